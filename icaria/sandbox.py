"""Run one submitted notebook where it can harm nothing, and bring back its answers as data.

The grader (:func:`icaria.coursework.grade`) calls :func:`run`. It starts bubblewrap
(``bwrap``, the Debian package ``bubblewrap``: the sandbox Flatpak uses) with

- every namespace unshared (``--unshare-all``: no network, its own process IDs, its own
  user, hostname and IPC) and ``--die-with-parent`` (the sandbox dies with the grader);
- read-only binds of the system (``/usr``, ``/etc``), the Python installation, the
  virtual environment and the ``icaria`` package alone (not the book's repository:
  no ``instructor/``, no ``notebooks/`` with their solutions);
- read-only, the submitted notebook and the student's own twin (nothing else of the
  class folder, no other student's files);
- a ``/scratch`` folder in memory (a size-capped tmpfs) where the notebook runs, and
  an empty ``/tmp``; everything else is read-only, and all of it vanishes with the
  sandbox;
- limits: the number of processes at once (:data:`DEFAULT_PROCESSES`, counted by the
  grader, which kills the sandbox past it: a fork bomb), wall time (the grader kills
  the sandbox's process group, and the kernel's process namespace dies with it),
  memory (``RLIMIT_AS``), the size of any file (``RLIMIT_FSIZE``) and of what the
  sandbox prints (the grader stops reading and kills it past the limit).

Inside, ``python -m icaria.sandbox NOTEBOOK NAMES`` (this module's :func:`main`) runs
the notebook cell by cell in a fresh kernel, errors allowed, then reads the graded
names from the kernel and prints one line ``ICARIA-RESULT {json}``: the answers (as
numbers and text), the cells that raised, and how the run ended. The expected values
never enter the sandbox: they are compared in the grader's own process.

Where bubblewrap is missing, :func:`run` refuses (:class:`SandboxMissing`) unless
``unsafe=True``; then the same runner is a plain child process with the same limits,
in a temporary folder, as the grader's user: it can read and write what the grader can.
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from icaria.arguments import MessageOnly

RESULT_MARK = "ICARIA-RESULT "
SCRATCH = "/scratch"
TWIN_MOUNT = "/twin"
DEFAULT_TIMEOUT = 180          # seconds of wall time per notebook
DEFAULT_MEMORY_MB = 4096       # address space per process (a chapter's kernel peaks near 300 MB resident)
DEFAULT_OUTPUT_MB = 20         # what the sandbox prints, any file it writes, its scratch folder
DEFAULT_PROCESSES = 64         # processes at once inside (a kernel and its runner need about 4)
STUDENTS_ENV = "ICARIA_STUDENTS_DIR"


class SandboxMissing(MessageOnly, RuntimeError):
    """bubblewrap is not installed and the grader was not told to run without it."""


def bwrap():
    """The path of ``bwrap``, or None."""
    return shutil.which("bwrap")


def require(unsafe=False):
    """Refuse (:class:`SandboxMissing`, one line) when bubblewrap is missing, unless ``unsafe``."""
    if bwrap() is None and not unsafe:
        raise SandboxMissing("bubblewrap (bwrap) is not installed, so submissions cannot be sandboxed: install it "
                             "(apt-get install bubblewrap) or, knowing each submission then runs as you, pass "
                             "--unsafe-no-sandbox.")


def limits(memory_mb, output_mb):
    """A function setting the memory and file-size limits in the child before it starts."""
    def apply():
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
        resource.setrlimit(resource.RLIMIT_FSIZE, (output_mb << 20, output_mb << 20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def python_roots():
    """Folders the runner's Python needs, read-only: the interpreter's installation and
    the virtual environment (``sys.base_prefix``, ``sys.prefix``)."""
    return sorted({Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(),
                   Path(sys.prefix).absolute()})


def package_dir():
    """The ``icaria`` package this grader runs (its folder alone is bound, not the repository)."""
    return Path(__file__).resolve().parent


def sandbox_env(home):
    """The environment inside: nothing of the grader's but a plain PATH and locale."""
    return {"PATH": f"{Path(sys.prefix).absolute() / 'bin'}:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8",
            "PYTHONPATH": str(package_dir().parent), "XDG_CACHE_HOME": f"{home}/.cache",
            "MPLCONFIGDIR": f"{home}/.matplotlib", "JUPYTER_RUNTIME_DIR": f"{home}/.jupyter-runtime",
            "IPYTHONDIR": f"{home}/.ipython", "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def bwrap_command(notebook, twin, student_folder_name, names, output_mb):
    """The bubblewrap command line running ``notebook`` with ``twin`` bound read-only."""
    command = [bwrap(), "--unshare-all", "--die-with-parent", "--new-session", "--unshare-user",
               "--uid", "1000", "--gid", "1000", "--hostname", "sandbox",
               "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / link
        if target.is_symlink():
            command += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            command += ["--ro-bind", str(target), str(target)]
    for root in python_roots():
        command += ["--ro-bind", str(root), str(root)]
    command += ["--ro-bind", str(package_dir()), str(package_dir()),
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                "--size", str(output_mb << 20), "--tmpfs", SCRATCH,
                "--ro-bind", str(Path(notebook).resolve()), "/submission/submission.ipynb"]
    if twin is not None:
        command += ["--ro-bind", str(Path(twin).resolve()), f"{TWIN_MOUNT}/{student_folder_name}"]
    command += ["--remount-ro", "/", "--chdir", SCRATCH, "--clearenv"]
    for key, value in {**sandbox_env(SCRATCH), STUDENTS_ENV: TWIN_MOUNT}.items():
        command += ["--setenv", key, value]
    return command + [str(Path(sys.executable).absolute()), "-m", "icaria.sandbox",
                      "/submission/submission.ipynb", json.dumps(names)]


def unsafe_command(notebook, names, folder):
    """The runner as a plain child process (no sandbox), in ``folder``."""
    shutil.copy(notebook, Path(folder) / "submission.ipynb")
    return [sys.executable, "-m", "icaria.sandbox", str(Path(folder) / "submission.ipynb"), json.dumps(names)]


def read_capped(stream, cap, box, over):
    """Read ``stream`` into ``box`` up to ``cap`` bytes; past it, set ``over`` and drain."""
    size = 0
    for chunk in iter(lambda: stream.read(65536), b""):
        size += len(chunk)
        if size <= cap:
            box.append(chunk)
        elif not over.is_set():
            over.set()


def kill_group(process):
    """Kill ``process``'s process group (the sandbox and everything in it), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


CHILDREN_FILES = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()   # Linux 3.5 on, most kernels


def descendants(pid):
    """How many processes descend from ``pid`` (children, theirs, ...), from ``/proc``:
    each thread's list of its children (a few files: the grader asks 20 times a second,
    and scanning every process of a busy machine cost it more than 1 s of CPU a
    submission), or, where the kernel keeps no such lists, every process's parent."""
    if not CHILDREN_FILES:
        return descendants_by_scan(pid)
    count, stack = 0, [pid]
    while stack:
        parent = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:   # ended while we looked
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", "rb") as handle:
                    children = [int(child) for child in handle.read().split()]
            except OSError:
                continue
            count += len(children)
            stack += children
    return count


def descendants_by_scan(pid):
    """:func:`descendants` from every process's ``stat`` (its parent)."""
    children = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:   # ended while we looked
                continue
            parent = int(stat[stat.rindex(b")") + 2:].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    count, stack = 0, [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            count += 1
            stack.append(child)
    return count


def run(notebook, names, twin=None, student_folder_name="student", timeout=DEFAULT_TIMEOUT,
        memory_mb=DEFAULT_MEMORY_MB, output_mb=DEFAULT_OUTPUT_MB, unsafe=False, processes=DEFAULT_PROCESSES):
    """Run ``notebook`` (a path) and return its result: a dict with ``status`` (``ok``,
    ``timeout``, ``output``, ``processes``, ``died``, ``failed``), ``answers`` (name:
    {missing, number, text}), ``errors`` (cells that raised), ``seconds``, ``message``
    and, when the runner ended by itself, ``cpu`` (its CPU seconds and its kernel's: the
    grader cannot count the processes of the sandbox's own PID namespace). More than
    ``processes`` processes at once inside (a fork bomb) stop it:
    the grader counts the sandbox's processes as it waits (bubblewrap runs them in their
    own PID namespace, under their own user namespace, where ``RLIMIT_NPROC`` is not
    enforced against a grader running as root) and kills the whole sandbox."""
    require(unsafe)
    scratch = None
    if bwrap() and not unsafe:
        command, cwd = bwrap_command(notebook, twin, student_folder_name, names, output_mb), None
        env = None
    else:
        scratch = tempfile.mkdtemp(prefix="icaria-unsafe-grade-")
        command, cwd = unsafe_command(notebook, names, scratch), scratch
        env = {**sandbox_env(scratch), STUDENTS_ENV: str(Path(twin).parent) if twin else scratch}
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, preexec_fn=limits(memory_mb, output_mb))
    box, over = [], threading.Event()
    reader = threading.Thread(target=read_capped, args=(process.stdout, output_mb << 20, box, over), daemon=True)
    reader.start()
    status = None
    try:
        while process.poll() is None:
            if over.is_set():
                status = "output"
                break
            if time.monotonic() - started > timeout:
                status = "timeout"
                break
            if descendants(process.pid) > processes:
                status = "processes"
                break
            time.sleep(0.05)
    finally:   # a Ctrl-C or an error of the grader's: the sandbox goes too
        kill_group(process)
        reader.join(5)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    seconds = time.monotonic() - started
    text = b"".join(box).decode("utf-8", "replace")
    if status == "output" or over.is_set():
        return {"status": "output", "answers": {}, "errors": [], "seconds": seconds,
                "message": f"printed more than {output_mb} MB; stopped"}
    if status == "processes":
        return {"status": "processes", "answers": {}, "errors": [], "seconds": seconds,
                "message": f"started more than {processes} processes at once (the process limit); stopped"}
    if status == "timeout":
        return {"status": "timeout", "answers": {}, "errors": [], "seconds": seconds,
                "message": f"still running after {timeout:g} s (the time limit); stopped"}
    results = [line for line in text.splitlines() if line.startswith(RESULT_MARK)]
    if not results:
        tail = " ".join(text.strip().splitlines()[-1:])[:200]
        return {"status": "failed", "answers": {}, "errors": [], "seconds": seconds,
                "message": f"the runner ended with exit code {process.returncode} and no result"
                           + (f" ({tail})" if tail else "")}
    try:
        result = json.loads(results[-1][len(RESULT_MARK):])
    except ValueError:
        return {"status": "failed", "answers": {}, "errors": [], "seconds": seconds,
                "message": "the runner's result could not be read"}
    return {**result, "seconds": seconds}


# -- inside the sandbox ------------------------------------------------------------------------

ANSWERS_CODE = """
def _icaria_answers(names):
    import json, sys
    found = {}
    for name in names:
        value = globals().get(name, None)
        if value is None or value is ...:
            found[name] = {"missing": True}
            continue
        record = {"missing": False, "number": None, "text": str(value)[:500]}
        if not isinstance(value, str) and (isinstance(value, (int, float)) or hasattr(value, "__float__")):
            try:
                record["number"] = float(value)
            except Exception:
                pass
        found[name] = record
    sys.stdout.write("ICARIA-ANSWERS " + json.dumps(found) + "\\n")
_icaria_answers(%r)
"""


def answers_from(outputs):
    """The answers printed by the answers cell (its last ``ICARIA-ANSWERS`` line), or None."""
    lines = [line for output in outputs for line in output.get("text", "").splitlines()
             if line.startswith("ICARIA-ANSWERS ")]
    return json.loads(lines[-1].split(" ", 1)[1]) if lines else None


def execute(path, names, timeout=None):
    """Run the notebook at ``path`` cell by cell (errors allowed), then read ``names``
    from the kernel: the result dict :func:`run` returns (without ``seconds``)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    book = nbformat.read(path, as_version=4)
    answers_cell = nbformat.v4.new_code_cell(ANSWERS_CODE % (names,))
    client = NotebookClient(book, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": os.getcwd()}})
    errors, number = [], 0
    try:
        with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            for index, cell in enumerate(book.cells):
                if cell.cell_type != "code":
                    continue
                number += 1
                client.execute_cell(cell, index)
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        first = (cell.source.strip().splitlines() or [""])[0][:60]
                        errors.append({"cell": number, "first": first, "ename": output.get("ename", ""),
                                       "evalue": str(output.get("evalue", ""))[:100]})
            number = 0
            book.cells.append(answers_cell)
            client.execute_cell(answers_cell, len(book.cells) - 1)
    except DeadKernelError:
        where = f"code cell {number}" if number else "reading the answers"
        return {"status": "died", "answers": {}, "errors": errors, "message": f"the kernel died in {where}"}
    answers = answers_from(answers_cell.get("outputs", []))
    if answers is None:
        return {"status": "failed", "answers": {}, "errors": errors,
                "message": "the answers could not be read from the kernel"}
    return {"status": "ok", "answers": answers, "errors": errors, "message": ""}


def main(argv=None):
    """``python -m icaria.sandbox NOTEBOOK NAMES_JSON``: print the result line."""
    # jsonschema (which nbformat imports) imports rfc3987_syntax when it is installed, and
    # that builds a grammar at import: 1.6 s of CPU a submission, for IRI formats that no
    # notebook schema uses. The runner does without it.
    sys.modules.setdefault("rfc3987_syntax", None)
    path, names = (argv or sys.argv[1:])[:2]
    try:
        result = execute(path, json.loads(names))
    except Exception as error:   # whatever the notebook did, one line back to the grader
        result = {"status": "failed", "answers": {}, "errors": [],
                  "message": f"{type(error).__name__}: {str(error)[:200]}"}
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    result["cpu"] = round(sum(usage.ru_utime + usage.ru_stime for usage in used), 2)   # the runner and its kernel
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
