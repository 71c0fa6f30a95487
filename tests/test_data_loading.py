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
    with pytest.raises(DataFileError, match=r"column ATOXGR should hold a number, but line 2 has 'three'"):
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
