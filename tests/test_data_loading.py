"""Bad data files fail with one clear message naming the file and the problem; so do
faults of the environment (the data folder, the cache, the home folder)."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from icaria import paths
from icaria.data import SCHEMAS, DataFileError, load

GOOD_ADLB = "USUBJID,TRT01P,PARAMCD,ATOXGR\nICARIA-001,Isa-Pd,NEUT,3\nICARIA-002,Pd,PLAT,0\n"


def write(tmp_path, name, text, mode="w"):
    path = tmp_path / f"{name}.csv"
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def test_a_good_file_loads_with_typed_columns(tmp_path):
    write(tmp_path, "adlb", GOOD_ADLB)
    table = load("adlb", data_dir=tmp_path)
    assert list(table["ATOXGR"]) == [3, 0]


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError, match=r"adsl\.csv: file not found"):
        load("adsl", data_dir=tmp_path)


def test_missing_column(tmp_path):
    write(tmp_path, "adlb", "USUBJID,TRT01P,PARAMCD\nICARIA-001,Isa-Pd,NEUT\n")
    with pytest.raises(DataFileError, match=r"adlb\.csv: missing column\(s\) ATOXGR"):
        load("adlb", data_dir=tmp_path)


def test_truncated_file(tmp_path):
    write(tmp_path, "adlb", GOOD_ADLB + "ICARIA-003,Pd")
    with pytest.raises(DataFileError, match=r"adlb\.csv: column PARAMCD is empty on line 4"):
        load("adlb", data_dir=tmp_path)


def test_corrupted_bytes(tmp_path):
    write(tmp_path, "adlb", b"\xff\xfe\x00\x81garbage\x00\n\x93\x00", mode="wb")
    with pytest.raises(DataFileError, match=r"adlb\.csv"):
        load("adlb", data_dir=tmp_path)


def test_ragged_rows(tmp_path):
    write(tmp_path, "adlb", GOOD_ADLB + "ICARIA-003,Pd,HGB,2,extra,more\n")
    with pytest.raises(DataFileError, match=r"adlb\.csv: cannot be read as CSV"):
        load("adlb", data_dir=tmp_path)


def test_wrong_kind_of_value(tmp_path):
    write(tmp_path, "adlb", GOOD_ADLB.replace(",3\n", ",three\n"))
    message = r"column ATOXGR should hold a whole number from 0 to 4, but line 2 has 'three'"
    with pytest.raises(DataFileError, match=message):
        load("adlb", data_dir=tmp_path)


def test_unknown_arm(tmp_path):
    write(tmp_path, "adlb", GOOD_ADLB.replace("Isa-Pd", "Placebo"))
    with pytest.raises(DataFileError, match=r"column TRT01P should hold Isa-Pd or Pd"):
        load("adlb", data_dir=tmp_path)


def test_empty_file(tmp_path):
    write(tmp_path, "adlb", "")
    with pytest.raises(DataFileError, match=r"adlb\.csv: cannot be read as CSV"):
        load("adlb", data_dir=tmp_path)


def test_unknown_dataset_and_cut(tmp_path):
    with pytest.raises(DataFileError, match="Unknown dataset 'adxx'"):
        load("adxx", data_dir=tmp_path)
    with pytest.raises(DataFileError, match="Unknown data cut"):
        load("adsl", cut="interim-2", data_dir=tmp_path)


def test_every_schema_names_the_key_columns():
    for name, schema in SCHEMAS.items():
        assert {"USUBJID", "TRT01P"} <= set(schema), name


def test_the_data_dictionary_lists_every_allowed_code_of_the_schema():
    """data/README.md and the loader's schema agree: each coded column's row in the
    dictionary names every code the loader accepts ("As in adsl" points to adsl's row,
    "(below)" to a table under it)."""
    import re

    from icaria import data, paths

    sections = {part.split(".csv", 1)[0]: part for part in re.split(
        r"\n## ", (paths.REPO_ROOT / "data" / "README.md").read_text(encoding="utf-8"))}

    def row(name, column):
        lines = [line for line in sections[name].splitlines()
                 if line.startswith("| ") and f"`{column}`" in line.split("|")[1]]
        return lines[0] if lines else ""

    for name, schema in {**data.SCHEMAS, **data.UNCUT_SCHEMAS}.items():
        for column, kind in schema.items():
            if not isinstance(kind, tuple):
                continue
            text = row(name, column)
            text = row("adsl", column) if "As in adsl" in text else text
            text = sections[name] if "(below)" in text else text
            missing = [code for code in map(str, kind) if code and f"`{code}`" not in text]
            assert not missing, f"data/README.md, {name}.{column}: codes {missing} not listed"


def test_adtte_parameter_codes_are_the_twins():
    from icaria import data
    from icaria.twin import adam

    assert set(data.TTE_PARAMS) == set(adam.PARAMS)


# ---------------------------------------------------------------------------
# Provenance: the book's fingerprints are those of the committed data.

def test_the_content_fingerprints_are_fresh():
    """icaria/twin/data-content-sha256.json describes the committed data/ (after
    regenerating the data, run ``python -m icaria.twin``: it rewrites both checksum files)."""
    from icaria import paths, provenance

    assert provenance.book_fingerprints() == provenance.fingerprints(paths.REPO_ROOT / "data"), (
        "stale: run `python -m icaria.twin` to rewrite icaria/twin/data-content-sha256.json")


def test_the_books_data_loads_at_both_cuts_without_a_notice(capsys):
    from icaria import data

    for cut in data.CUTS:
        for name in data.SCHEMAS:
            assert "notice" not in load(name, cut).attrs
    assert "not the book's data" not in capsys.readouterr().err


# ---------------------------------------------------------------------------
# Environment faults: one line naming the variable or the folder.

BOOK_DATA = paths.REPO_ROOT / "data"


@pytest.fixture
def away_from_the_book(tmp_path, monkeypatch):
    """No copy of the book in sight: the working directory is a scratch folder and the
    source checkout is hidden, so the package must use (or make) its cache."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path / "no-book")
    monkeypatch.delenv(paths.DATA_ENV, raising=False)
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))   # no clone of the book in the home folder either
    return tmp_path


def test_data_dir_a_file(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "a-file"))
    with pytest.raises(DataFileError, match=r"^ICARIA_DATA_DIR=.*a-file is a file, not a folder"):
        load("adsl")


def test_data_dir_a_symlink_loop(tmp_path, monkeypatch):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "loop"))
    with pytest.raises(DataFileError, match=r"^ICARIA_DATA_DIR=.*loop cannot be read as the data folder"):
        load("adsl")


def test_data_dir_naming_the_final_cut(monkeypatch):
    monkeypatch.setenv(paths.DATA_ENV, str(BOOK_DATA / "final-os"))
    with pytest.raises(DataFileError, match=r"^ICARIA_DATA_DIR=.*final-os holds the final-os data cut"):
        load("adtte")


def test_data_dir_holding_a_copy_of_the_final_cut(tmp_path, monkeypatch):
    shutil.copytree(BOOK_DATA / "final-os", tmp_path / "mine")
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "mine"))
    with pytest.raises(DataFileError, match=r"adtte\.csv of the final-os data cut .*ICARIA_DATA_DIR names the wrong"):
        load("adtte")


def test_cache_home_a_file(away_from_the_book, monkeypatch):
    (away_from_the_book / "a-file").write_text("x")
    monkeypatch.setenv(paths.CACHE_ENV, str(away_from_the_book / "a-file"))
    with pytest.raises(DataFileError, match=r"^Cannot write the simulated twin into .*a-file.* set XDG_CACHE_HOME"):
        load("adsl")


def test_an_unwritable_cache(away_from_the_book, monkeypatch):
    if os.geteuid() == 0:   # root writes anywhere but in sysfs
        folder = paths.Path("/sys/kernel")
        if not folder.is_dir():
            pytest.skip("no folder root cannot write in")
    else:
        folder = away_from_the_book / "read-only"
        folder.mkdir(mode=0o555)
    monkeypatch.setenv(paths.CACHE_ENV, str(folder))
    with pytest.raises(DataFileError, match=r"^Cannot write the simulated twin into .*set XDG_CACHE_HOME"):
        load("adsl")


def test_no_home_and_no_passwd_entry(away_from_the_book, monkeypatch):
    import pwd

    def no_entry(uid):
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv(paths.CACHE_ENV, raising=False)
    with pytest.raises(DataFileError, match=r"^No copy of the book here and no home folder .*ICARIA_DATA_DIR"):
        load("adsl")
    monkeypatch.setenv(paths.DATA_ENV, str(BOOK_DATA))
    assert len(load("adsl")) == 307


def test_a_deleted_working_directory(tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    monkeypatch.delenv(paths.DATA_ENV, raising=False)
    gone.rmdir()
    assert len(load("adsl")) == 307   # the source checkout's data


# ---------------------------------------------------------------------------
# A cache that cannot break: four kernels at once, and a regeneration killed midway.

READ_CACHE = ("import icaria.paths as p, icaria.cache as c, json; from pathlib import Path; "
              "p.REPO_ROOT = Path('/no-book'); print(json.dumps(p.file_checksums(c.data_dir()), sort_keys=True))")


def python(code, cache):
    env = {**os.environ, paths.CACHE_ENV: str(cache)}
    env.pop(paths.DATA_ENV, None)
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=cache.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_four_kernels_regenerating_at_once_read_identical_files(tmp_path):
    kernels = [python(READ_CACHE, tmp_path / "cache") for _ in range(4)]
    results = [kernel.communicate(timeout=300) for kernel in kernels]
    assert all(kernel.returncode == 0 for kernel in kernels), [err[-500:] for _, err in results]
    outputs = {out.strip().splitlines()[-1] for out, _ in results}
    assert len(outputs) == 1
    book = json.loads((paths.PACKAGE_DIR / "twin" / "data-sha256.json").read_text())
    assert json.loads(outputs.pop()) == book   # byte for byte the book's data


def test_a_regeneration_killed_midway_heals_on_the_next_load(tmp_path):
    cache = tmp_path / "cache"
    folder = paths.Path(cache) / "icaria-mm"
    kernel = python(READ_CACHE, cache)
    for _ in range(600):   # until it writes its temporary folder
        if list(folder.glob("*/.data-new-*/*.csv")):
            break
        time.sleep(0.05)
    kernel.kill()
    kernel.communicate()
    assert kernel.returncode != 0, "the regeneration finished before it could be killed"
    target = next(folder.iterdir()) / "data"
    target.mkdir(parents=True, exist_ok=True)
    (target / "adsl.csv").write_bytes(b"")   # what the old code left: 0-byte files
    healed = python(READ_CACHE, cache)
    out, err = healed.communicate(timeout=300)
    assert healed.returncode == 0, err[-500:]
    assert paths.cache_is_whole(target) and not list(target.parent.glob(".data-*"))


def test_a_stopped_holder_of_the_cache_lock_is_named_to_the_next_loader(tmp_path):
    """Issue 33: a process holding the cache lock that stops (Ctrl-Z, SIGSTOP) blocked every
    other loader with no message. The next loader now ends with one message naming it
    (after LOCK_NOTICE seconds, well before LOCK_PATIENCE), and loads once it is gone."""
    import signal

    from icaria import cache as cache_module

    hidden = "import icaria.paths as p, time; from pathlib import Path; p.REPO_ROOT = Path('/no-book'); "
    holder = python(hidden + "from icaria import cache; folder = p.data_dir(); folder.parent.mkdir(parents=True, "
                    "exist_ok=True)\nwith cache.locked(folder.parent):\n    print('held', flush=True)\n"
                    "    time.sleep(600)\n", tmp_path / "cache")
    try:
        assert holder.stdout.readline().strip() == "held"
        holder.send_signal(signal.SIGSTOP)
        loader = python(hidden + "from icaria import data; print(len(data.load('adsl')))", tmp_path / "cache")
        out, err = loader.communicate(timeout=cache_module.LOCK_PATIENCE / 2)
        assert loader.returncode != 0
        assert f"DataFileError: The cache lock {tmp_path / 'cache'}" in err, err[-500:]
        assert f"is held by process {holder.pid}, which is stopped: resume it (kill -CONT {holder.pid})" in err
        holder.send_signal(signal.SIGCONT)
        holder.kill()
        holder.wait()
        loader = python(hidden + "from icaria import data; print(len(data.load('adsl')))", tmp_path / "cache")
        out, err = loader.communicate(timeout=300)
        assert loader.returncode == 0 and out.strip().splitlines()[-1] == "307", err[-500:]
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("student", ["book", "s001", "Zoë Brontë", "student-with-a-long-identifier-0042"])
def test_the_generator_writes_only_the_vocabularies_coded_columns_allow(student):
    """The loader refuses coded text outside icaria/vocabulary.py; the generator, for the
    book's twin and students' twins alike, at both cuts, writes nothing else."""
    from icaria import published, twin, vocabulary
    from icaria.twin import adam

    made = twin.generate() if student == "book" else twin.student_twin(student)
    allowed = {"EVNTDESC": vocabulary.EVENT_DESCRIPTIONS, "CNSDTDSC": vocabulary.CENSOR_DESCRIPTIONS,
               "AEDECOD": vocabulary.AE_TERMS}
    for cutoff in (published.PRIMARY_CUTOFF, published.FINAL_OS_CUTOFF):
        tables = adam.cut_at(made, cutoff)
        for name, column in (("adtte", "EVNTDESC"), ("adtte", "CNSDTDSC"), ("adae", "AEDECOD")):
            written = set(tables[name][column].dropna()) - {""}
            assert written <= set(allowed[column]), (student, cutoff, column, written - set(allowed[column]))
        for name, names in vocabulary.PARAMETER_NAMES.items():   # each code's description
            pairs = set(zip(tables[name]["PARAMCD"], tables[name]["PARAM"]))
            assert pairs <= set(names.items()), (student, cutoff, name, pairs - set(names.items()))


@pytest.mark.parametrize("student", ["s001", "Zoë Brontë"])
def test_a_students_twin_passes_every_rule_of_meaning_at_both_cuts(student, tmp_path):
    """The loader's rules (vocabularies, events per parameter, no date after death, adverse
    events on treatment, fatal events in patients who died, MRD negativity) hold for
    students' twins as for the book's, so grading never meets a refusal of honest data."""
    from icaria import data, twin

    twin.write_files(twin.student_twin(student), tmp_path)
    for cut in data.CUTS:
        for name in data.SCHEMAS:
            if (tmp_path / data.CUTS[cut] / f"{name}.csv").is_file():
                assert len(load(name, cut, data_dir=tmp_path)) > 0


def test_an_edited_cache_file_is_named_not_silently_regenerated(away_from_the_book):
    """A cached twin file edited by hand (its SHA-256 no longer the manifest's) stops the
    load with one line naming the file and what to do; the edit is kept. Deleting the
    file, as the line says, brings the book's twin back."""
    from icaria import cache

    folder = cache.data_dir()
    edited = folder / "final-os" / "adsl.csv"
    text = edited.read_text(encoding="utf-8").replace(",ONGOING,", ",DISCONTINUED,", 1)
    edited.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load("adsl", cut="final-os")
    message = str(caught.value)
    assert "\n" not in message and str(edited) in message and "was edited" in message
    assert "Delete it" in message and paths.DATA_ENV in message
    assert edited.read_text(encoding="utf-8") == text   # not overwritten
    edited.unlink()
    assert len(load("adsl", cut="final-os")) == 307 and paths.cache_is_whole(folder)
