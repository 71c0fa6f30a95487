"""The helper scripts run (their timings are printed, not asserted)."""

import subprocess
import sys

from conftest import REPO_ROOT


def test_benchmark_script_times_every_live_figure_against_its_budgets():
    """It runs and prints every figure's times beside the budgets; whether a budget is
    met depends on the machine's load, so both exit statuses of a complete run pass."""
    from icaria.live_figures import LIVE_FIGURES

    result = subprocess.run([sys.executable, "scripts/benchmark_widgets.py", "--repeat", "1"], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert result.returncode in (0, 3), result.stderr   # 3: a budget missed
    assert "median ms" in result.stdout and "worst ms" in result.stdout and "budget" in result.stdout
    assert all(f"{name} " in result.stdout for name in LIVE_FIGURES)
    assert ("Over budget: none." in result.stdout) == (result.returncode == 0)


def test_scorecard_check_mode_reports_fresh():
    result = subprocess.run([sys.executable, "-m", "icaria.scorecard", "--check"], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_catalog_lists_every_live_figure_of_the_package():
    """Every factory named ``*_live`` in the package is in the catalog the benchmark
    and the protocol test read."""
    import importlib
    import pkgutil

    import icaria
    from icaria.live_figures import LIVE_FIGURES

    factories = set()
    for module_info in pkgutil.walk_packages(icaria.__path__, "icaria."):
        if module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        factories |= {getattr(module, name) for name in dir(module)
                      if name.endswith("_live") and callable(getattr(module, name))
                      and getattr(module, name).__module__ == module.__name__}
    listed = {factory for _, factory in LIVE_FIGURES.values()}
    assert factories == listed, sorted(factory.__name__ for factory in factories ^ listed)


def test_calibration_parameter_search_names_real_parameters():
    import copy
    import importlib.util

    from icaria.twin import outcomes

    spec = importlib.util.spec_from_file_location("calibrate_twin", REPO_ROOT / "scripts" / "calibrate_twin.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    parameters = copy.deepcopy(outcomes.PARAMETERS)
    for knob, (key, sub) in script.KNOBS.items():
        before = copy.deepcopy(parameters[key])
        script.set_knob(parameters, knob, 2.0)
        if sub is None:
            assert parameters[key] == 2 * before, knob
        elif sub == "*":
            assert parameters[key] == {name: 2 * value for name, value in before.items()}, knob
        else:
            assert parameters[key][sub] == 2 * before[sub], knob


def test_the_readme_layout_lists_every_script():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [path.name for path in (REPO_ROOT / "scripts").glob("*.py") if f"`scripts/{path.name}`" not in readme]
    assert not missing, f"README's layout table does not list {missing}"


def test_the_pdf_is_printed_with_any_chromium_on_the_path(tmp_path, monkeypatch):
    """Debian's ``chromium``, Ubuntu's ``chromium-browser`` or Google Chrome, whichever
    the PATH has; none: Playwright's own (None)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("print_pdf", REPO_ROOT / "scripts" / "print_pdf.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert script.system_browser() is None
    for name in ("google-chrome", "chromium-browser", "chromium"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
        assert script.system_browser() == str(tmp_path / name)


def test_the_notebook_zip_readme_names_only_what_the_zip_holds(tmp_path):
    """The zip's own README: its commands run from the unzipped folder, so every file
    they name is in the zip, and `pip install .` finds the package and the data files
    pyproject.toml ships. The full replay (a fresh venv, a chapter run) is
    scripts/replay_notebook_zip.py."""
    import re
    import zipfile

    from icaria.sphinx_fixes import ARCHIVE, ARCHIVE_FOLDER, write_notebook_archive

    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    from replay_notebook_zip import readme_commands

    write_notebook_archive(REPO_ROOT, tmp_path)
    with zipfile.ZipFile(tmp_path / ARCHIVE) as archive:
        names = {name.removeprefix(f"{ARCHIVE_FOLDER}/") for name in archive.namelist()}
        readme = archive.read(f"{ARCHIVE_FOLDER}/README.md").decode()
    commands = readme_commands(readme)
    assert any("venv" in command for command in commands) and any("execute notebooks/" in c for c in commands)
    named = {token for command in commands for token in re.findall(r"[\w./-]+\.(?:txt|ipynb|toml)\b", command)}
    assert named and named <= names, named - names
    assert "make.py" not in readme and {"pyproject.toml", "README.md", "data/adsl.csv"} <= names
    shipped = re.findall(r'"(other-twins[^"]+|data-[^"]+\.json)"', (REPO_ROOT / "pyproject.toml").read_text())
    assert shipped and all(any(name.endswith(file) for name in names) for file in shipped), shipped


def test_hub_link_builds_the_nbgitpuller_link_and_refuses_a_bad_hub():
    from urllib.parse import parse_qs, urlsplit

    def hub_link(*args):
        return subprocess.run([sys.executable, "scripts/hub_link.py", *args], cwd=REPO_ROOT,
                              capture_output=True, text=True)

    made = hub_link("https://hub.example.edu/", "--chapter", "07-progression-free-survival")
    assert made.returncode == 0, made.stderr
    link = urlsplit(made.stdout.strip())
    query = {key: values[0] for key, values in parse_qs(link.query).items()}
    assert (link.scheme, link.netloc, link.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert query == {"repo": "https://github.com/icaria-mm-book/icaria-mm-step-by-step", "branch": "main",
                     "urlpath": "lab/tree/icaria-mm-step-by-step/notebooks/07-progression-free-survival.ipynb"}
    for bad in (["hub.example.edu"], ["https://hub.example.edu", "--chapter", "99-nothing"]):
        refused = hub_link(*bad)
        assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
        assert "Traceback" not in refused.stderr


def scripts_module(name, monkeypatch):
    """A script of ``scripts/`` imported as a module (its folder on the path, as when run)."""
    import importlib

    monkeypatch.syspath_prepend(str(REPO_ROOT / "scripts"))
    return importlib.import_module(name)


def test_check_mistakes_shows_each_listed_mistake_failing_on_a_slice_of_ids(monkeypatch, capsys):
    """The suite's slice of scripts/check_mistakes.py (200 IDs is the script's own run):
    chapter 10 for two IDs, in-process; every listed mistake fails both, the book's
    number is a row of every answer, and the exit code says whether any row passes."""
    check_mistakes = scripts_module("check_mistakes", monkeypatch)
    code = check_mistakes.main(["--student", "s001", "--student", "Z-9_q", "--chapter", "10-safety", "--jobs", "1"])
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| 10-safety |")]
    answers = check_mistakes.coursework.spec("10-safety")
    assert len(rows) == len(answers) + sum(len(answer["mistakes"]) for answer in answers)
    listed = [row for row in rows if check_mistakes.BOOK_MISTAKE not in row]
    assert all(row.endswith("| 2 | 100.0 | yes |") for row in listed), listed
    assert code == (1 if any(row.endswith("| NO |") for row in rows) else 0)


def test_grade_matrix_fast_path_builds_and_grades_a_chapter_in_process(monkeypatch, capsys, tmp_path):
    """It runs the chapter for the ID, saves its row, and a second run with the same
    ``--save`` file resumes: the ID already there is tallied, not run again."""
    grade_matrix = scripts_module("grade_matrix", monkeypatch)
    saved = tmp_path / "matrix.jsonl"
    command = ["--fast", "--student", "1e5", "--chapter", "06-who-was-in-the-trial", "--jobs", "1",
               "--save", str(saved)]
    assert grade_matrix.main(command) == 0
    first = capsys.readouterr().out
    assert "| 06-who-was-in-the-trial | 1/1 | 1/1 | 1/1 |" in first and "<!-- '1e5': 1/1 chapters" in first
    assert list(grade_matrix.saved_rows(saved)) == ["1e5"]
    assert grade_matrix.main(command) == 0
    second = capsys.readouterr().out
    assert "1 ID(s) already in" in second and "<!-- '1e5'" not in second
    assert "| 06-who-was-in-the-trial | 1/1 | 1/1 | 1/1 |" in second
    assert len(saved.read_text().splitlines()) == 1


def test_grade_matrix_runs_a_range_of_the_random_ids_and_reports_saved_failures(monkeypatch, capsys, tmp_path):
    """``--random N --start S`` takes IDs S.. of the same seeded list; rows saved by an
    earlier run (here written by hand, one failing) are tallied without running."""
    import json

    grade_matrix = scripts_module("grade_matrix", monkeypatch)
    from check_mistakes import random_ids

    chapter = "06-who-was-in-the-trial"
    ids = random_ids(3, seed=5)
    saved = tmp_path / "matrix.jsonl"
    rows = {ids[1]: [True, True, True, 1.0, ""], ids[2]: [False, False, False, 1.0, "KeyError: 'status'"]}
    saved.write_text("".join(json.dumps({"student": s, "rows": {chapter: row}}) + "\n" for s, row in rows.items()))
    assert grade_matrix.main(["--fast", "--random", "3", "--start", "1", "--chapter", chapter, "--save", str(saved),
                              "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert f"| {chapter} | 1/2 | 1/2 | 1/2 |" in out and "2 ID(s) already in" in out
    assert f"failed: {ids[2]!r} {chapter}: KeyError: 'status'" in out and ids[0] not in out
    assert grade_matrix.main(["--fast", "--random", "3", "--chapter", chapter, "--save", str(saved),
                              "--tally-only"]) == 1   # ids[0] is not saved: not run, not counted
    assert f"| {chapter} | 1/2 | 1/2 | 1/2 |" in capsys.readouterr().out


def test_grade_matrix_worker_checks_each_file_once_and_copies_what_it_returns(monkeypatch, tmp_path):
    """The fast path's worker cache: the same file gives an equal table, a copy each time
    (a chapter changing its table changes no other's); changed bytes are read and checked
    afresh (a truncated file is refused, not served from the cache)."""
    import shutil

    import pytest

    grade_matrix = scripts_module("grade_matrix", monkeypatch)
    from icaria import data
    from icaria.arguments import DataFileError

    shutil.copy(REPO_ROOT / "data" / "adsl.csv", tmp_path / "adsl.csv")
    load = grade_matrix.loaded_once(data.load)
    first = load("adsl", data_dir=tmp_path)
    first.loc[first.index[0], "AGE"] = -1
    again = load("adsl", data_dir=tmp_path)
    assert again.equals(data.load("adsl", data_dir=tmp_path)) and len(load.cache) == 1
    (tmp_path / "adsl.csv").write_text((tmp_path / "adsl.csv").read_text().splitlines()[0] + "\n")
    with pytest.raises(DataFileError, match="no rows"):
        load("adsl", data_dir=tmp_path)
