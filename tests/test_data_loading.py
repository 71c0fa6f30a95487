"""Bad data files fail with one clear message naming the file and the problem."""

import pytest

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
