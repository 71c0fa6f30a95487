"""The grader's sandbox, replayed: submissions that tamper, read, never end, kill their
kernel or are no notebook at all each get a clear row, never a traceback, and leave
another student's grade, the instructor kit and the machine as they were.

The submissions here are small notebooks made for chapter 5 (its metadata), graded
against expected values written into a scratch kit: the grading path is the real one
(bubblewrap, the runner, the comparison in the grader's process) without running the
whole chapter each time."""

import hashlib
import json
import os
import tempfile
import unicodedata

import nbformat
import psutil
import pytest

from icaria import coursework, sandbox
from icaria.arguments import ArgumentError

CHAPTER = "05-endpoints-and-censoring"
pytestmark = pytest.mark.skipif(sandbox.bwrap() is None, reason="bubblewrap is not installed (.ci/run installs it)")


def fake_expected(offset):
    """Expected values of chapter 5's answers for one student (made up, distinct per student)."""
    values = {"censored_mean_days_isapd": 300.5 + offset, "censored_mean_days_pd": 200.5 + offset,
              "isapd_share_at_162_month": 0.4 + offset / 100, "ttp_share_of_pfs_isapd": 0.9 + offset / 100,
              "pfs_hr_2019_04_11": 0.6 + offset / 100}
    return {a["name"]: {"exercise": a["exercise"], "what": a["what"], "kind": a["kind"],
                        "value": values[a["name"]], "tolerance": a["tolerance"], "log_tolerance": a["log_tolerance"]}
            for a in coursework.spec(CHAPTER)}


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """A scratch kit with alice's and bob's expected values of chapter 5."""
    folder = tmp_path_factory.mktemp("kit")
    for offset, student in enumerate(("alice", "bob")):
        path = folder / student / "expected" / f"{CHAPTER}.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(fake_expected(offset)))
    return folder


def submission(folder, student, *sources, name=CHAPTER):
    """A notebook made for chapter 5 and ``student`` with code cells ``sources``."""
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    book.metadata["icaria"] = {"chapter": CHAPTER, "student": student}
    path = folder / f"{name}.ipynb"
    nbformat.write(book, path)
    return path


def right_answers(offset):
    """A code cell assigning a student's (made-up) expected values."""
    return "\n".join(f"{name} = {answer['value']!r}" for name, answer in fake_expected(offset).items())


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers():
    """This process's descendants and the grader's scratch folders in the temporary folder."""
    children = {child.pid for child in psutil.Process().children(recursive=True)}
    folders = {name for name in os.listdir(tempfile.gettempdir()) if name.startswith("icaria-unsafe-grade-")}
    return children, folders


def test_right_answers_score_full_marks_in_the_sandbox(kit, tmp_path):
    score, possible, lines = coursework.grade(submission(tmp_path, "bob", right_answers(1)), "bob", kit)
    assert (score, possible) == (5, 5), lines
    assert not [line for line in lines if line.startswith("note:")], lines


def test_a_tampering_submission_changes_nothing_of_another_students(kit, tmp_path):
    """Alice's notebook tries to rewrite bob's expected values, the repository's
    assignment specs and alice's own twin, and to replace the checker through importlib;
    every write fails inside the sandbox, and bob's correct notebook keeps full marks."""
    bob_before = coursework.grade(submission(tmp_path, "bob", right_answers(1), name="bob"), "bob", kit)[0]
    target = kit / "bob" / "expected" / f"{CHAPTER}.json"
    spec_file = coursework.SPECS / f"{CHAPTER}.toml"
    twin = coursework.student_twin_folder("alice")
    sums = {path: digest(path) for path in (target, spec_file, twin / "adsl.csv")}
    tamper = submission(tmp_path, "alice",
                        f"import json\nopen({str(target)!r}, 'w').write(json.dumps({{}}))",
                        f"open({str(spec_file)!r}, 'a').write('x')",
                        "import os\nopen(os.path.join(os.environ['ICARIA_STUDENTS_DIR'], "
                        f"{twin.name!r}, 'adsl.csv'), 'w').write('')",
                        "import importlib, icaria.coursework as c\nc.check_answer = lambda *a: None\n"
                        "importlib.reload(c)", name="alice")
    score, possible, lines = coursework.grade(tamper, "alice", kit)
    assert (score, possible) == (0, 5)
    raised = [line for line in lines if line.startswith("note: code cell") and " raised " in line]
    assert [line.split()[3] for line in raised] == ["1", "2", "3"], lines
    assert {path: digest(path) for path in sums} == sums
    assert coursework.grade(submission(tmp_path, "bob", right_answers(1), name="bob"), "bob", kit)[0] == bob_before


def test_a_submission_cannot_read_outside_its_scratch_folder(kit, tmp_path):
    """The kit, the repository (its specs, the chapters' solutions) and the grader's own
    files are not in the sandbox; the student's twin is, read-only."""
    paths = [kit / "alice" / "expected" / f"{CHAPTER}.json", coursework.SPECS / f"{CHAPTER}.toml",
             coursework.NOTEBOOKS / f"{CHAPTER}.md", tmp_path]
    cells = [f"import os\nfound = os.listdir({str(path)!r}) if os.path.isdir({str(path)!r}) "
             f"else open({str(path)!r}).read()" for path in paths]
    cells.append("from icaria import coursework\ncensored_mean_days_isapd = coursework.reference_values("
                 f"{CHAPTER!r}, 'alice', '/scratch/kit')['censored_mean_days_isapd']['value']")
    cells.append("import os\ntwin_files = sorted(os.listdir(coursework.student_folder('alice')))\n"
                 "ttp_share_of_pfs_isapd = len(twin_files)")
    score, _, lines = coursework.grade(submission(tmp_path, "alice", *cells), "alice", kit)
    raised = [line.split()[3] for line in lines if line.startswith("note: code cell") and " raised " in line]
    assert raised == ["1", "2", "3", "4", "5"], lines
    assert score == 0 and "  lost: ttp_share_of_pfs_isapd is not what your twin gives" in lines


def test_a_never_ending_submission_is_stopped_at_the_limit_and_leaves_nothing(kit, tmp_path):
    before = leftovers()
    path = submission(tmp_path, "alice", right_answers(0), "while True:\n    pass")
    score, possible, lines = coursework.grade(path, "alice", kit, timeout=15)
    assert (score, possible) == (0, 5)
    assert lines[0] == "note: still running after 15 s (the time limit); stopped; answers not read, scored as missing"
    assert leftovers() == before


def test_a_fork_bomb_is_stopped_at_the_process_limit_and_leaves_nothing(kit, tmp_path):
    """Processes that fork without end are stopped when the sandbox holds more than the
    process limit, long before the time limit, with one line; nothing is left running."""
    before = leftovers()
    path = submission(tmp_path, "alice", right_answers(0), "import os\nwhile True:\n    os.fork()")
    score, possible, lines = coursework.grade(path, "alice", kit, timeout=120)
    assert (score, possible) == (0, 5)
    assert lines[0] == (f"note: started more than {sandbox.DEFAULT_PROCESSES} processes at once (the process "
                        "limit); stopped; answers not read, scored as missing")
    assert leftovers() == before


def test_the_process_count_from_children_lists_agrees_with_a_scan_of_every_process():
    """The grader's cheap count (each thread's children list) equals the full scan."""
    import subprocess
    import sys

    code = ("import subprocess, sys, time\n"
            "kids = [subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)']) for _ in range(3)]\n"
            "print('ready', flush=True)\ntime.sleep(30)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert parent.stdout.readline().strip() == "ready"
        assert sandbox.descendants(parent.pid) == sandbox.descendants_by_scan(parent.pid) == 3
    finally:
        os.killpg(parent.pid, 9)
        parent.wait()


def test_the_runner_reports_its_cpu_seconds(tmp_path):
    """The sandbox's result carries the CPU seconds of the runner and its kernel (the
    grader cannot count the sandbox's own PID namespace)."""
    path = submission(tmp_path, "alice", "x = sum(range(10))")
    result = sandbox.run(path, ["x"])
    assert result["status"] == "ok" and result["answers"]["x"]["number"] == 45
    assert result["cpu"] > 0


def test_ctrl_c_during_grading_stops_the_kernel(kit, tmp_path, monkeypatch):
    """A Ctrl-C (KeyboardInterrupt in the grader's wait) kills the sandbox and its kernel."""
    before = leftovers()
    calls = []

    def interrupted(seconds):
        calls.append(seconds)
        if len(calls) > 100:   # about five seconds in: the kernel is running the loop
            raise KeyboardInterrupt

    monkeypatch.setattr(sandbox.time, "sleep", interrupted)
    with pytest.raises(KeyboardInterrupt):
        coursework.grade(submission(tmp_path, "alice", "while True:\n    pass"), "alice", kit)
    monkeypatch.undo()
    assert leftovers() == before


def test_a_dying_kernel_is_a_clear_row(kit, tmp_path):
    path = submission(tmp_path, "alice", right_answers(0), "import os\nos._exit(1)")
    score, possible, lines = coursework.grade(path, "alice", kit)
    assert (score, possible) == (0, 5)
    assert lines[0] == "note: the kernel died in code cell 2; answers not read, scored as missing", lines


def test_a_submission_that_deletes_its_working_folder_is_still_graded_out_of_the_spec(kit, tmp_path):
    path = submission(tmp_path, "alice", "import os, shutil\nshutil.rmtree(os.getcwd(), ignore_errors=True)\n"
                      + right_answers(0))
    score, possible, lines = coursework.grade(path, "alice", kit)
    assert (score, possible) == (5, 5), lines


@pytest.mark.parametrize("text, reason", [('{"a": 1}', "not a Jupyter notebook"), ("[1, 2]", "not a Jupyter notebook"),
                                          ("not json", "not a Jupyter notebook")])
def test_a_file_that_is_no_notebook_is_refused_in_one_line(tmp_path, capsys, text, reason):
    path = tmp_path / f"{CHAPTER}.ipynb"
    path.write_text(text)
    with pytest.raises(ArgumentError, match=reason):
        coursework.made_for(path)
    with pytest.raises(SystemExit) as stopped:
        coursework.main(["grade", str(path), "--student", "alice"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith(f"({reason}).")


def test_without_bubblewrap_grading_refuses_unless_told(kit, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sandbox, "bwrap", lambda: None)
    monkeypatch.setattr(coursework, "KIT", kit)
    path = submission(tmp_path, "alice", right_answers(0))
    with pytest.raises(SystemExit) as stopped:
        coursework.main(["grade", str(path), "--student", "alice"])
    assert stopped.value.code == 2
    assert "bubblewrap (bwrap) is not installed" in capsys.readouterr().err
    assert coursework.main(["grade", str(path), "--student", "alice", "--unsafe-no-sandbox"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("WARNING: grading WITHOUT a sandbox")
    assert out.splitlines()[0] == "note: graded without a sandbox (--unsafe-no-sandbox)"
    assert out.splitlines()[-1] == "score: 5/5"


@pytest.mark.parametrize("student", ["../x", "/tmp/x", "s001/", "", "x" * 65, ".", "s001\n", "-x", "--student",
                                     " s001", "s001 ", "a\tb", "..", "s001/../s002", "C:\\x", "a\u200bb"])
def test_a_student_id_that_is_not_a_name_is_refused_in_one_line(student, capsys):
    with pytest.raises(ArgumentError, match="A student ID is 1 to 64 characters"):
        coursework.student_id(student)
    with pytest.raises(SystemExit) as stopped:
        coursework.main(["assignments", f"--student={student}", "--chapter", CHAPTER])
    assert stopped.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2   # usage and the message


@pytest.mark.parametrize("student", ["s001", "A-9_z", "x" * 40, "a b", "é", "CON", *coursework.AWKWARD_IDS])
def test_a_student_id_within_the_set_is_accepted(student):
    assert coursework.student_id(student) == unicodedata.normalize("NFC", student)


def test_awkward_ids_are_twenty_distinct_folder_names_even_without_case():
    assert len(coursework.AWKWARD_IDS) == 20
    assert len({coursework.folder_name(student).lower() for student in coursework.AWKWARD_IDS}) == 20


@pytest.mark.parametrize("student", ["../x", "/tmp/x", "s001/"])
def test_an_id_that_is_a_path_writes_nothing(student, tmp_path, monkeypatch, capsys):
    """Refused before any file is written: the assignments folder stays empty."""
    monkeypatch.setattr(coursework, "ASSIGNMENTS", tmp_path / "assignments")
    with pytest.raises(SystemExit):
        coursework.main(["assignments", "--student", student, "--chapter", CHAPTER])
    assert not (tmp_path / "assignments").exists() and list(tmp_path.iterdir()) == []
    assert "A student ID is 1 to 64 characters" in capsys.readouterr().err


def test_a_class_list_with_two_ids_differing_only_by_case_is_refused_in_one_line(tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("alice\nbob\nAlice\n")
    with pytest.raises(ArgumentError, match="'alice' and 'Alice' differ only by case") as refused:
        coursework.class_list(roster)
    assert "\n" not in str(refused.value)


# -- one kernel, one student ---------------------------------------------------------------------

def test_switching_student_in_one_kernel_switches_the_cached_timelines(monkeypatch):
    """use_student_twin for alice, then bob, in one session: the time machine's cuts are
    bob's (the caches are keyed by the seeds they came from), and alice's again after."""
    from icaria import paths, scorecard, timelines
    from icaria import twin as twins

    monkeypatch.setattr(twins, "SEEDS", dict(twins.SEEDS))
    monkeypatch.setattr(scorecard, "STUDENT_TWIN", False)
    # use_student_twin sets the data folder variable; setenv first records how to restore
    # it (delenv of an unset variable records nothing, and the student's twin would leak
    # into every later test and kernel of the session)
    monkeypatch.setenv(paths.DATA_ENV, "unset")
    monkeypatch.delenv(paths.DATA_ENV)
    events = {}
    for student in ("alice", "bob", "alice"):
        coursework.use_student_twin(student)
        events.setdefault(student, []).append(int(timelines.cut_twin("2019-04-11")["PFS"]["EVENT"].sum()))
        assert timelines.twin()["allocation"].equals(twins.student_twin(student)["allocation"])
    assert events["alice"][0] == events["alice"][1] != events["bob"][0]


def test_the_cache_lock_names_a_stopped_holder_within_seconds(tmp_path):
    """A process holding the cache lock and stopped (Ctrl-Z): another loader says so
    within seconds instead of waiting for ever; a holder that dies frees the lock."""
    import signal
    import subprocess
    import sys
    import time

    from icaria import cache
    from icaria.arguments import DataFileError

    code = ("import sys, time\nfrom pathlib import Path\nfrom icaria import cache\n"
            f"with cache.locked(Path({str(tmp_path)!r})):\n    print('held', flush=True)\n    time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        holder.send_signal(signal.SIGSTOP)
        started = time.monotonic()
        with pytest.raises(DataFileError, match=rf"held by process {holder.pid}, which is stopped"):
            with cache.locked(tmp_path):
                pass
        assert time.monotonic() - started < cache.LOCK_NOTICE + 2
        holder.send_signal(signal.SIGCONT)
        holder.kill()
        holder.wait()
        with cache.locked(tmp_path):   # the dead holder's lock went with it
            pass
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_grader_leaves_no_sandbox_behind(kit, tmp_path):
    """The grader killed with SIGKILL (no clean-up of its own runs): the sandbox dies with
    its parent, and the kernel with the sandbox's process namespace."""
    import signal
    import subprocess
    import sys
    import time

    path = submission(tmp_path, "alice", "while True:\n    pass")
    code = f"from icaria import coursework\ncoursework.grade({str(path)!r}, 'alice', {str(kit)!r})\n"
    grader = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 60
        inside = []
        while time.monotonic() < deadline:   # until the kernel runs inside the sandbox
            inside = psutil.Process(grader.pid).children(recursive=True)
            if any("ipykernel" in " ".join(child.cmdline()) for child in inside if child.is_running()):
                break
            time.sleep(0.5)
        assert inside, "no sandbox started"
        grader.send_signal(signal.SIGKILL)
        grader.wait()
        gone, alive = psutil.wait_procs(inside, timeout=10)
        assert alive == []
    finally:
        grader.kill()


def test_four_processes_making_one_students_twin_at_once_read_whole_files(tmp_path):
    """Each writes into a temporary folder and renames it into place: every process then
    reads the same, complete twin."""
    import subprocess
    import sys

    code = ("import json\nfrom icaria import coursework\nfrom icaria.twin import checksums\n"
            "print(json.dumps(checksums(coursework.use_student_twin('dora'))))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("ICARIA_DATA_DIR", None)
    runs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(4)]
    sums = [json.loads(run.communicate(timeout=300)[0]) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len(sums[0]) > 5 and all(found == sums[0] for found in sums)
    folders = list((tmp_path / "icaria-mm").rglob("students/*/*"))   # students/GENERATOR/TWIN
    assert len(folders) == 1 and coursework.is_twin_of(folders[0], "dora")   # no temporary folder left


def test_a_twin_made_by_another_generator_is_made_again(tmp_path, monkeypatch):
    """A student's twin in the cache from an earlier generator (its stamp names another,
    or none: made before stamps named one) is stale and is made again, not loaded."""
    from icaria import twin as twins

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ICARIA_DATA_DIR", raising=False)
    folder = coursework.student_twin_folder("dora")
    stamp = json.loads((folder / "student.json").read_text())
    assert stamp["generator"] == coursework.twin_generator_key()
    fresh = (folder / "adsl.csv").read_text()
    for old in ({**stamp, "generator": "an-older-one"}, {k: v for k, v in stamp.items() if k != "generator"}):
        (folder / "adsl.csv").write_text(fresh.replace("TWIN-0001", "TWIN-9999", 1))   # the old generator's file
        (folder / "student.json").write_text(json.dumps({**old, "checksums": twins.checksums(folder)}))
        assert not coursework.is_twin_of(folder, "dora")
        assert coursework.student_twin_folder("dora") == folder and (folder / "adsl.csv").read_text() == fresh
        assert coursework.is_twin_of(folder, "dora")


# -- a class in one command ------------------------------------------------------------------------

def test_a_class_is_graded_into_a_gradebook_in_one_command(kit, tmp_path, monkeypatch, capsys):
    """Alice hands in right answers, bob a file that is no notebook, carol nothing, dora
    after the deadline, and a folder of nobody on the list is there too: one row each
    with its reason, a feedback file per student, and no crash."""
    import csv
    import datetime
    import shutil

    monkeypatch.setattr(coursework, "KIT", kit)
    for student, offset in (("carol", 2), ("dora", 3)):
        path = kit / student / "expected" / f"{CHAPTER}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(fake_expected(offset)))
    folder = tmp_path / "returned"
    for student in ("alice", "dora", "zed"):
        (folder / student).mkdir(parents=True)
        offset = {"alice": 0, "dora": 3, "zed": 0}[student]
        made = submission(tmp_path, student, right_answers(offset), name=student)
        shutil.move(made, folder / student / f"{CHAPTER}.ipynb")
    (folder / "bob").mkdir()
    (folder / "bob" / f"{CHAPTER} (1).ipynb").write_text('{"not": "a notebook"}')
    due = datetime.datetime.now() + datetime.timedelta(hours=1)
    later = (due + datetime.timedelta(hours=1)).timestamp()
    os.utime(folder / "dora" / f"{CHAPTER}.ipynb", (later, later))
    roster = tmp_path / "class.txt"
    roster.write_text("# the class\nalice\nbob\ncarol\n\ndora\n")
    out = tmp_path / "grades"
    argv = ["grade", str(folder), "--class-list", str(roster), "--out", str(out), "--due", due.isoformat(),
            "--grade-late", "--jobs", "2"]
    assert coursework.main(argv) == 0
    assert "5 row(s), 2 graded" in capsys.readouterr().out
    with open(out / "gradebook.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert list(next(iter(rows.values()))) == ["student", "chapter", "score", "possible", "notes"]
    assert (rows["alice"]["score"], rows["alice"]["possible"], rows["alice"]["notes"]) == ("5", "5", "")
    assert rows["bob"]["score"] == "0" and rows["bob"]["notes"].startswith("unreadable: Cannot read")
    assert rows["carol"]["notes"] == "missing: no submission"
    assert rows["dora"]["score"] == "5" and rows["dora"]["notes"].startswith("late: handed in")
    assert rows["zed"]["notes"] == "folder 'zed' is no student of the class list; not graded"
    feedback = (out / "feedback" / "alice.txt").read_text()
    assert feedback.startswith(f"# Student alice\n\n## {CHAPTER}: 5/5") and "ex-endpoints-later: 1/1" in feedback
    assert sorted(path.name for path in (out / "feedback").iterdir()) == [
        "alice.txt", "bob.txt", "carol.txt", "dora.txt"]


def test_a_class_with_unicode_ids_is_graded_under_their_derived_folders(kit, tmp_path, monkeypatch):
    """Élodie hands in under her derived folder (as the hand-outs name it), Zoë 山田 under
    a folder named by the ID itself, stored decomposed as macOS may; the class list is
    decomposed too. The gradebook shows each ID (NFC, UTF-8), the feedback file is named
    by the derived folder and starts with the ID."""
    import csv
    import shutil

    monkeypatch.setattr(coursework, "KIT", kit)
    students = {"Élodie Lefèvre": 4, "Zoë 山田": 5}
    folder = tmp_path / "returned"
    for student, offset in students.items():
        path = kit / coursework.folder_name(student) / "expected" / f"{CHAPTER}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(fake_expected(offset)))
        where = folder / (coursework.folder_name(student) if offset == 4 else unicodedata.normalize("NFD", student))
        where.mkdir(parents=True)
        shutil.move(submission(tmp_path, student, right_answers(offset)), where / f"{CHAPTER}.ipynb")
    roster = tmp_path / "class.txt"
    roster.write_text(unicodedata.normalize("NFD", "\n".join(students)) + "\n", encoding="utf-8")
    out = tmp_path / "grades"
    assert coursework.main(["grade", str(folder), "--class-list", str(roster), "--out", str(out), "--jobs", "1"]) == 0
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert {student: (row["score"], row["notes"]) for student, row in rows.items()} == {
        student: ("5", "") for student in students}
    for student in students:
        feedback = (out / "feedback" / f"{coursework.folder_name(student)}.txt").read_text(encoding="utf-8")
        assert feedback.startswith(f"# Student {student}\n\n## {CHAPTER}: 5/5")


def test_a_class_list_with_a_line_that_is_no_id_is_refused_in_one_line(tmp_path, capsys):
    roster = tmp_path / "class.txt"
    roster.write_text("alice\n../bob\n")
    (tmp_path / "returned").mkdir()
    with pytest.raises(SystemExit) as stopped:
        coursework.main(["grade", str(tmp_path / "returned"), "--class-list", str(roster)])
    assert stopped.value.code == 2
    assert f"{roster}, line 2: A student ID is" in capsys.readouterr().err
