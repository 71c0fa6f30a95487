"""The live routes, replayed here: Binder (and Thebe's Live Code, which uses the same
image), a JupyterHub class with nbgitpuller, and Colab.

- Binder: repo2docker prints the Dockerfile it would build (``--no-build``, no Docker
  needed); its Python version and its pip steps are replayed in a fresh virtual
  environment of that Python, and chapters run from a copy of the repository: in the
  suite one chapter of each kind and every chapter that opens a data file of the
  installed package (nbval already runs every chapter in the test environment);
  ``scripts/full_matrix.py`` runs every chapter there.
- Hub: the image is that same environment; nbgitpuller pulls the book into a fresh
  home folder, the package finds that clone's data from there, and a chapter that
  reads both data cuts runs there (the Binder replay runs the others in this
  environment; running all of them twice would cost a minute of the suite's ten).
- Colab: one chapter alone in an empty folder, in an environment with Colab's own
  pins (a stand-in package declares them, as ``google-colab`` does) and without the
  book's package; its set-up cell fetches the book from ``ICARIA_BOOK_REPO`` (a local
  clone), changes none of the host's packages, and the chapter runs to the end. An
  unreachable book stops the chapter with one line.
- Hand-out: a student's hub link from ``make.py handout`` pulls the hand-outs branch
  beside the book's clone and opens that student's notebook, which runs on their twin;
  their Colab link's file, fetched from that branch, sets itself up on Colab's pins and
  runs on their twin too (in the full matrix only: a second Colab environment).

Every route pulls the PUBLIC copy (the private paths of ``scripts/export_public.py``
left out), as students do.

Each run must reproduce the numbers the committed chapter records for the
scorecard. Environments are made once per test session (about a minute each, from
pip's cache), in the background as soon as the session has collected a test needing
them (``prestart``; conftest's ``in_background``), while the tests before these run;
the Binder slice's chapters run there right after its environment, and its test checks
their results.
"""

import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import FULL_MATRIX, REPO_ROOT, in_background, representative

from icaria.live_figures import LIVE_FIGURES
from icaria.scorecard import recorded_values

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
# Modules that open data files of the package besides the twin's checksums (pyproject's
# package-data): a non-editable install that lost one breaks only the chapters using it.
PACKAGE_DATA_MODULES = ("other_twins", "software_defaults")


def chapter_kind(notebook):
    """An audit page (90-99), a chapter with a live figure, or a chapter without."""
    if notebook.stem.startswith("9"):
        return "audit page"
    return "chapter with a live figure" if notebook.stem in {c for c, _ in LIVE_FIGURES.values()} else "chapter"


def binder_chapters():
    """The chapters the Binder replay runs: one of each kind and every one that uses a
    module reading the package's data files; every chapter under the full matrix."""
    uses_package_data = [nb for nb in NOTEBOOKS if any(
        module in nb.with_suffix(".md").read_text(encoding="utf-8") for module in PACKAGE_DATA_MODULES)]
    return representative(NOTEBOOKS, chapter_kind, also=uses_package_data)
BOOK_FOLDER = "icaria-mm-step-by-step"
COLAB_CHAPTER = "05-endpoints-and-censoring"     # data, Kaplan-Meier figures, two live figures
HUB_CHAPTER = "09-overall-survival"             # reads the primary and the final-OS cut
# What Colab ships and pins (google-colab requires these exact versions of the kernel's
# stack); the replay's stand-in package declares them the same way.
COLAB_PINS = ["numpy==2.0.2", "pandas==2.2.2", "matplotlib==3.10.0", "ipywidgets==7.7.1", "ipykernel==6.17.1",
              "ipython==7.34.0", "notebook==6.5.7"]
GIT_AS_REPLAY = ["git", "-c", "user.name=replay", "-c", "user.email=replay@localhost", "-c", "init.defaultBranch=main"]


def tool(name):
    """A command of the environment running the tests."""
    return str(Path(sys.executable).parent / name)


# The environment as the session started: set-up made in the background thread never sees
# what a test running meanwhile sets (monkeypatch's PATH, a PYTHONPATH).
SESSION_ENV = dict(os.environ)


def run(command, env=None, **options):
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                            env=SESSION_ENV if env is None else env, **options)
    output = result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{output}"
    return result.stdout


def replay_env(extra=None):
    """The environment of a replayed process: no trace of the test environment."""
    env = {key: value for key, value in SESSION_ENV.items()
           if not key.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER", "ICARIA"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if Path(p).resolve() != Path(sys.executable).parent.resolve())
    return {**env, **(extra or {})}


REPLAY_ROOT = []


def replay_folder(tmp_path_factory):
    """The session's folder of the replays (made once)."""
    if not REPLAY_ROOT:
        REPLAY_ROOT.append(tmp_path_factory.mktemp("live-routes"))
    return REPLAY_ROOT[0]


@pytest.fixture(scope="session")
def replay_root(tmp_path_factory):
    return replay_folder(tmp_path_factory)


def is_private(name):
    """Whether a file stays in the private repository (scripts/export_public.py's list;
    in the public copy, which has no such script, nothing is private)."""
    exporter = REPO_ROOT / "scripts" / "export_public.py"
    if not exporter.is_file():
        return False
    spec = importlib.util.spec_from_file_location("export_public", exporter)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.is_private(name)


def make_book_repo(replay_root):
    """The PUBLIC copy of the repository as it stands (tracked and new files, the
    private ones left out, as `make.py public` does), as a git repository on branch
    main, in a folder named like the published one: what every student route pulls."""
    copy = replay_root / "origin" / BOOK_FOLDER
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT)
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file() and not is_private(name):
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    run([*GIT_AS_REPLAY, "init", "-q"], cwd=copy)
    run([*GIT_AS_REPLAY, "add", "-A"], cwd=copy)
    run([*GIT_AS_REPLAY, "commit", "-q", "-m", "replay"], cwd=copy)
    return copy


def read_binder_recipe(book_repo):
    """What repo2docker would build: (Python version, pip steps), from its Dockerfile."""
    dockerfile = run([tool("repo2docker"), "--no-build", "."], cwd=book_repo)
    # Build files are named with escapes ("-2e" is "."): decode, then read the conda lock's Python.
    decoded = re.sub(r"-([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), dockerfile)
    versions = re.findall(r"environment\.py-(\d+\.\d+)-linux-64\.lock", decoded)
    steps = [line[len("RUN "):] for line in dockerfile.splitlines()
             if line.startswith("RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install")]
    assert versions and steps, dockerfile[-3000:]
    return versions[0], steps


def base_jupyterlab(python_version):
    """The JupyterLab version of repo2docker's base environment for that Python (its
    conda lock file), which the Binder and hub images run."""
    import repo2docker

    lock = Path(repo2docker.__file__).parent / "buildpacks" / "conda" / f"environment.py-{python_version}-linux-64.lock"
    return re.search(r"/jupyterlab-(\d+\.\d+\.\d+)-py", lock.read_text(encoding="utf-8")).group(1)


def make_venv(python_version, folder):
    base = shutil.which(f"python{python_version}", path=replay_env()["PATH"])
    assert base, f"no python{python_version} on PATH to replay with"
    run([base, "-m", "venv", folder])
    return folder / "bin"


def make_binder_env(binder_recipe, book_repo, replay_root):
    """A fresh environment of Binder's Python, built by Binder's own pip steps."""
    version, steps = binder_recipe
    bin_dir = make_venv(version, replay_root / "binder-env")
    # repo2docker's base environment brings JupyterLab and a kernel; stand in for it.
    run([bin_dir / "pip", "install", "--quiet", "ipykernel", f"jupyterlab=={base_jupyterlab(version)}",
         "-c", REPO_ROOT / "requirements.txt"], env=replay_env())
    for step in steps:
        command = step.replace("${KERNEL_PYTHON_PREFIX}/bin/", f"{bin_dir}/").replace(" --no-cache-dir", "")
        run(["bash", "-c", command], cwd=book_repo, env=replay_env())
    return bin_dir


def make_colab_env(python_version, replay_root):
    """A fresh environment of that Python holding what Colab ships, pinned as Colab pins
    it (the stand-in package), and not the book's package."""
    bin_dir = make_venv(python_version, replay_root / "colab-env")
    run([bin_dir / "pip", "install", "--quiet", colab_stand_in(replay_root / "colab-stand-in")], env=replay_env())
    return bin_dir


# Each set-up is queued once, after what it needs (the background queue runs in order).
def book_repo_job(factory):
    return in_background("book repo", make_book_repo, replay_folder(factory))


def recipe_job(factory):
    repo = book_repo_job(factory)
    return in_background("binder recipe", lambda: read_binder_recipe(repo.result()))


def binder_env_job(factory):
    repo, recipe, root = book_repo_job(factory), recipe_job(factory), replay_folder(factory)
    return in_background("binder env", lambda: make_binder_env(recipe.result(), repo.result(), root))


def binder_chapters_job(factory):
    repo, env = book_repo_job(factory), binder_env_job(factory)
    chapters = binder_chapters()
    return in_background("binder chapters", lambda: (chapters, *run_binder_chapters(env.result(), repo.result(),
                                                                                    chapters)))


def colab_env_job(factory):
    recipe, root = recipe_job(factory), replay_folder(factory)
    return in_background("colab env", lambda: make_colab_env(recipe.result()[0], root))


def prestart(fixturenames, factory):
    """Called by conftest once the session has collected: queue the environments its tests need."""
    if "binder_env" in fixturenames:
        binder_env_job(factory)
    if "binder_chapters_run" in fixturenames:
        binder_chapters_job(factory)
    if "colab_env" in fixturenames:
        colab_env_job(factory)


@pytest.fixture(scope="session")
def book_repo(tmp_path_factory):
    return book_repo_job(tmp_path_factory).result()


@pytest.fixture(scope="session")
def binder_recipe(tmp_path_factory):
    return recipe_job(tmp_path_factory).result()


@pytest.fixture(scope="session")
def binder_env(tmp_path_factory):
    return binder_env_job(tmp_path_factory).result()


@pytest.fixture(scope="session")
def binder_chapters_run(tmp_path_factory):
    """The slice of chapters run in Binder's environment (queued right after it)."""
    return binder_chapters_job(tmp_path_factory).result()


@pytest.fixture(scope="session")
def colab_env(tmp_path_factory):
    return colab_env_job(tmp_path_factory).result()


def execute(bin_dir, notebook, env):
    """Run a notebook top to bottom in place with the environment's own Jupyter."""
    result = subprocess.run([bin_dir / "jupyter-execute", "--inplace", "--timeout=600", notebook.name],
                            cwd=notebook.parent, env=env, capture_output=True, text=True)
    return result.returncode, result.stderr[-3000:]


def execute_all(bin_dir, notebooks, env):
    """Run the notebooks two at a time; (exit code, log) by notebook."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(notebooks, pool.map(lambda nb: execute(bin_dir, nb, env), notebooks)))


def run_binder_chapters(bin_dir, book_repo, chapters):
    """The chapters run in Binder's environment from the book's copy: (the copies, their results)."""
    notebooks = [book_repo / "notebooks" / nb.name for nb in chapters]
    return notebooks, execute_all(bin_dir, notebooks, replay_env({"HOME": str(book_repo.parent)}))


def assert_same_numbers(executed, committed):
    """The run records the same scorecard numbers as the committed chapter (NaN, a
    median not reached, equals NaN)."""
    values, expected = recorded_values(executed), recorded_values(committed)
    differing = {key: (values.get(key), value) for key, value in expected.items()
                 if not (values.get(key) == value or (math.isnan(value) and math.isnan(values.get(key, 0.0))))}
    assert values.keys() == expected.keys() and not differing, f"{executed.stem}: {differing}"


def test_binder_uses_the_python_the_book_is_tested_with(binder_recipe):
    version, steps = binder_recipe
    assert version == f"{sys.version_info.major}.{sys.version_info.minor}"
    assert any('-r "requirements.txt"' in step for step in steps)


def test_binder_install_gives_a_whole_package(binder_env, replay_root):
    """A non-editable install (repo2docker's `pip install .`) imports every module and
    carries the twin's checksums; run away from any copy of the book."""
    script = ("import importlib, pkgutil, icaria\n"
              "names = [m.name for m in pkgutil.walk_packages(icaria.__path__, 'icaria.') "
              "if not m.name.endswith('__main__')]\n"
              "[importlib.import_module(name) for name in names]\n"
              "from icaria import twin\n"
              "print(icaria.__file__, twin.CHECKSUMS.is_file(), len(names))")
    elsewhere = replay_root / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    output = run([binder_env / "python", "-c", script], cwd=elsewhere, env=replay_env({"HOME": str(elsewhere)}))
    location, has_checksums, count = output.split()
    assert "site-packages" in location and has_checksums == "True" and int(count) > 20


def test_binder_runs_every_chapter(binder_chapters_run):
    """Binder's environment runs the chapters (the suite's slice: binder_chapters) to
    the numbers the committed chapters record."""
    chapters, notebooks, results = binder_chapters_run
    assert {chapter_kind(nb) for nb in chapters} == {chapter_kind(nb) for nb in NOTEBOOKS}
    failures = {nb.stem: log for nb, (code, log) in results.items() if code != 0}
    assert not failures, "\n\n".join(f"{name}:\n{log}" for name, log in failures.items())
    for executed, committed in zip(notebooks, chapters):
        assert_same_numbers(executed, committed)


def test_hub_pulls_the_book_and_its_chapters_read_that_clone(binder_env, book_repo, replay_root):
    home = replay_root / "hub-home"
    home.mkdir()
    env = replay_env({"HOME": str(home)})
    clone = home / BOOK_FOLDER
    run([binder_env / "gitpuller", book_repo.as_uri(), "main", clone], cwd=home, env=env)
    # MyST renders in the image's JupyterLab: solutions and answers fold as on the site.
    extensions = labextensions(binder_env, env)
    assert re.search(r"jupyterlab-myst v[\d.]+ enabled\s+OK", extensions), extensions
    where = run([binder_env / "python", "-c", "from icaria import paths; print(paths.data_dir())"],
                cwd=clone / "notebooks", env=env)
    assert Path(where.strip()) == clone / "data"
    notebook = clone / "notebooks" / f"{HUB_CHAPTER}.ipynb"
    code, log = execute(binder_env, notebook, env)
    assert code == 0, log
    assert_same_numbers(notebook, REPO_ROOT / "notebooks" / notebook.name)


def test_a_students_hand_out_link_pulls_their_own_notebook_which_runs_on_their_twin(binder_env, book_repo,
                                                                                      replay_root):
    """`make.py handout`'s hub link, replayed: nbgitpuller pulls the hand-outs branch of
    the public repository into its own folder (the book's clone beside it untouched),
    and the student's notebook runs there on that student's twin; no instructor file
    is in either clone."""
    from icaria import handout

    student, chapter = "s001", "00-survival-primer"
    out = replay_root / "handouts"
    rows = handout.handouts([student], [chapter], out, assignments=replay_root / "assignments", run=False,
                            hub_url="https://hub.example.edu", repository=book_repo.as_uri())
    query = dict(part.split("=", 1) for part in rows[0]["hub_link"].split("?", 1)[1].split("&"))
    assert query["branch"] == handout.BRANCH and query["targetpath"] == handout.HUB_FOLDER
    run([*GIT_AS_REPLAY, "push", "-q", "--force", str(book_repo), f"{handout.BRANCH}:{handout.BRANCH}"], cwd=out)
    home = replay_root / "handout-home"
    home.mkdir()
    env = replay_env({"HOME": str(home)})
    run([binder_env / "gitpuller", book_repo.as_uri(), "main", home / BOOK_FOLDER], cwd=home, env=env)
    run([binder_env / "gitpuller", book_repo.as_uri(), handout.BRANCH, home / handout.HUB_FOLDER], cwd=home, env=env)
    opened = home / query["urlpath"].removeprefix("lab/tree/")
    assert opened == home / handout.HUB_FOLDER / student / f"{chapter}.ipynb" and opened.is_file()
    assert not list(home.rglob("instructor")) and not list(home.rglob("assignments/*.toml"))
    assert not (home / BOOK_FOLDER / student).exists()   # the book's clone did not get the hand-outs
    code, log = execute(binder_env, opened, env)
    assert code == 0, log
    import nbformat

    ran = nbformat.read(opened, as_version=4)
    assert ran.metadata["icaria"] == {"chapter": chapter, "student": student}
    assert f"STUDENT = {student!r}" in "".join(cell.source for cell in ran.cells)
    stamps = [json.loads(path.read_text()) for path in home.rglob("student.json")]
    assert [stamp["student"] for stamp in stamps] == [student]   # the kernel made and read this student's twin


def labextensions(bin_dir, env):
    """What `jupyter labextension list` reports (it writes to stderr), without colours."""
    listed = subprocess.run([bin_dir / "jupyter", "labextension", "list"], env=env, capture_output=True, text=True)
    return re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout + listed.stderr)


def freeze(bin_dir):
    lines = run([bin_dir / "pip", "freeze", "--exclude-editable"], env=replay_env()).splitlines()
    return {line for line in lines if not line.lower().startswith("icaria")}


def colab_stand_in(folder):
    """A package that requires Colab's pins, as google-colab does: pip check fails if
    anything installed later moves one of them."""
    folder.mkdir(parents=True)
    requirements = ", ".join(f'"{pin}"' for pin in COLAB_PINS)
    (folder / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        f'[project]\nname = "colab-stand-in"\nversion = "1.0"\ndependencies = [{requirements}]\n'
        '[tool.setuptools]\npy-modules = []\n')
    return folder


def only_the_setup_cell(chapter, folder):
    """The chapter's set-up cell and one cell that needs the package, alone."""
    notebook = json.loads(chapter.read_text(encoding="utf-8"))
    notebook["cells"] = notebook["cells"][:1] + [{"cell_type": "code", "execution_count": None, "id": "after",
                                                  "metadata": {}, "outputs": [], "source": "import icaria"}]
    path = folder / chapter.name
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def test_colab_chapter_alone_sets_itself_up(colab_env, book_repo, replay_root):
    """A lone chapter on Colab's pins without `icaria`: with the book out of reach, the
    set-up cell stops with one line; with it in reach, it installs the package from
    ICARIA_BOOK_REPO, changes no package the host had (pip check stays clean), and the
    chapter runs to the end."""
    bin_dir = colab_env
    run([bin_dir / "pip", "check"], env=replay_env())
    before = freeze(bin_dir)
    home = replay_root / "colab" / "root"
    home.mkdir(parents=True)

    offline = only_the_setup_cell(REPO_ROOT / "notebooks" / f"{COLAB_CHAPTER}.ipynb", replay_root / "colab")
    nowhere = replay_env({"HOME": str(home), "ICARIA_BOOK_REPO": str(replay_root / "no-such-book")})
    run([bin_dir / "jupyter-execute", "--inplace", "--allow-errors", offline.name], cwd=offline.parent, env=nowhere)
    outputs = [cell["outputs"] for cell in json.loads(offline.read_text(encoding="utf-8"))["cells"]]
    errors = [output for output in outputs[0] if output["output_type"] == "error"]
    assert len(errors) == 1 and errors[0]["ename"] == "SetUpFailed", outputs[0]
    assert len(errors[0]["traceback"]) == 1 and "Could not fetch the book" in errors[0]["traceback"][0]
    offline.unlink()

    content = replay_root / "colab" / "content"
    content.mkdir(parents=True)
    notebook = content / f"{COLAB_CHAPTER}.ipynb"
    shutil.copy2(REPO_ROOT / "notebooks" / notebook.name, notebook)
    env = replay_env({"HOME": str(home), "ICARIA_BOOK_REPO": str(book_repo), "ICARIA_BOOK_REF": "main"})
    code, log = execute(bin_dir, notebook, env)
    assert code == 0, log
    assert (home / BOOK_FOLDER / "data" / "adsl.csv").is_file()
    after = freeze(bin_dir)
    assert before <= after, f"the set-up cell changed packages the host already had: {sorted(before - after)}"
    run([bin_dir / "pip", "check"], env=replay_env())
    assert_same_numbers(notebook, REPO_ROOT / "notebooks" / notebook.name)
    assert sorted(p.name for p in content.iterdir()) == [notebook.name], "the chapter wrote beside itself"


@pytest.mark.skipif(not FULL_MATRIX, reason="a second Colab environment (about 6 minutes): scripts/full_matrix.py")
def test_a_students_colab_link_opens_their_notebook_which_sets_itself_up_on_their_twin(binder_recipe, book_repo,
                                                                                          replay_root):
    """`make.py handout`'s Colab link, replayed: the link is parsed as Colab reads it
    (github/OWNER/NAME/blob/BRANCH/PATH of the public repository), that file is taken
    from the hand-outs branch pushed to the (local) public repository, as Colab fetches
    a GitHub blob, and run alone in an empty folder on Colab's pins without the book's
    package. Its set-up cell installs the package from ICARIA_BOOK_REPO, the notebook
    makes and reads its student's twin (the one the grader makes for that ID), and the
    host's packages stay as they were. The ID is Unicode, with a space."""
    from urllib.parse import unquote, urlsplit

    import nbformat

    from icaria import coursework, handout
    from icaria.twin import checksums

    student, chapter = "Zoë 山田", "00-survival-primer"
    public = handout.public_repository()
    out = replay_root / "colab-handouts"
    rows = handout.handouts([student], [chapter], out, assignments=replay_root / "colab-assignments", run=False,
                            repository=public)
    run([*GIT_AS_REPLAY, "push", "-q", "--force", str(book_repo), f"{handout.BRANCH}:{handout.BRANCH}"], cwd=out)
    link = urlsplit(rows[0]["colab_link"])
    assert (link.scheme, link.netloc, link.query, link.fragment) == ("https", "colab.research.google.com", "", "")
    _, host, owner, name, blob, branch, *path = unquote(link.path).split("/")
    assert (host, blob, branch) == ("github", "blob", handout.BRANCH) and public == f"https://github.com/{owner}/{name}"
    assert "/".join(path) == rows[0]["notebook"] == f"{coursework.folder_name(student)}/{chapter}.ipynb"

    version, _ = binder_recipe
    bin_dir = make_venv(version, replay_root / "colab-handout-env")
    run([bin_dir / "pip", "install", "--quiet", colab_stand_in(replay_root / "colab-handout-stand-in")],
        env=replay_env())
    before = freeze(bin_dir)
    home, content = replay_root / "colab-handout" / "root", replay_root / "colab-handout" / "content"
    home.mkdir(parents=True)
    content.mkdir(parents=True)
    notebook = content / path[-1]
    notebook.write_bytes(subprocess.run(["git", "show", f"{branch}:{'/'.join(path)}"], cwd=book_repo,
                                        capture_output=True, check=True).stdout)
    env = replay_env({"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "ICARIA_BOOK_REPO": str(book_repo),
                      "ICARIA_BOOK_REF": "main"})
    code, log = execute(bin_dir, notebook, env)
    assert code == 0, log
    ran = nbformat.read(notebook, as_version=4)
    assert ran.metadata["icaria"] == {"chapter": chapter, "student": student}
    assert f"STUDENT = {student!r}" in "".join(cell.source for cell in ran.cells)
    stamps = [json.loads(path.read_text()) for path in home.rglob("student.json")]
    assert [stamp["student"] for stamp in stamps] == [student]
    assert stamps[0]["checksums"] == checksums(coursework.student_twin_folder(student))   # the grader's twin
    assert not list(home.rglob("instructor")) and not list(home.rglob("assignments/*.toml"))
    assert before <= freeze(bin_dir), "the set-up cell changed packages the host already had"
    run([bin_dir / "pip", "check"], env=replay_env())
    assert sorted(p.name for p in content.iterdir()) == [notebook.name], "the notebook wrote beside itself"


def test_the_setup_cell_does_nothing_where_the_package_is_installed():
    """Its stored output is empty in every chapter: nbval re-checks that on each run."""
    for path in NOTEBOOKS:
        first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
        assert first["cell_type"] == "code" and first["outputs"] == [], path.stem
