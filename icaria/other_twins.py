"""Sixty other twins: the book's generator run again with other seeds for the outcome
streams (the baseline and the model unchanged), each cut at the primary cutoff.

Chapter 2 shows how far one draw can move (the spread of their PFS results) and
chapter 7 pools them to measure the generator's true subgroup hazard ratios. Making
the 60 twins takes about 20 s, so their PFS rows, with the baseline columns the
subgroups need, are stored in ``other-twins-pfs.csv.gz`` beside this module and
checked: the file records the checksums of the book's own twin it was made with
(``icaria/twin/data-sha256.json``), and :func:`cuts` makes the twins afresh (with a
note) when the generator has changed since. ``tests/test_other_twins.py`` regenerates
some of them and compares; ``python -m icaria.other_twins`` rewrites the file.
"""

import gzip
import hashlib
import io
import json
import sys
from pathlib import Path

import pandas as pd

from icaria import published
from icaria.twin import CHECKSUMS, SEEDS, adam, generate

DRAWS = 60
STORED = Path(__file__).with_name("other-twins-pfs.csv.gz")
FINGERPRINT = Path(__file__).with_name("other-twins-pfs.json")
ADTTE_COLUMNS = ["USUBJID", "TRT01P", "STRAT1R", "STRAT2R", "PARAMCD", "AVAL", "CNSR"]
ADSL_COLUMNS = ["USUBJID", "TRT01P", "STRAT1R", "STRAT2R", "AGEGR1", "SEX", "ISSENTRY", "CYTORISK", "EGFRGR1",
                "REFLEN", "REFPI", "REFLENLST"]
OUTCOME_STREAMS = [name for name in SEEDS if "/" in name]   # e.g. "progression/Pd"


def outcome_seeds(draw):
    """The outcome streams' seeds of other twin number ``draw`` (0-59)."""
    return {stream: 100_000 + 97 * draw + k for k, stream in enumerate(OUTCOME_STREAMS)}


def make_cut(draw):
    """Other twin number ``draw``, cut at the primary cutoff: its PFS rows of ADTTE and
    the baseline columns of ADSL the subgroups need."""
    cut = adam.cut_at(generate(outcome_seeds(draw)), published.PRIMARY_CUTOFF)
    adtte = cut["adtte"].loc[cut["adtte"]["PARAMCD"] == "PFS", ADTTE_COLUMNS].reset_index(drop=True)
    return {"adtte": adtte, "adsl": cut["adsl"][ADSL_COLUMNS].reset_index(drop=True)}


def chosen_twin_fingerprint():
    """SHA-256 of the book's own twin's checksums: it changes when the generator does."""
    return hashlib.sha256(CHECKSUMS.read_bytes()).hexdigest()


def as_table(cuts):
    """One table of every twin's PFS rows with their baseline columns, and ``TWIN``."""
    shared = ["TRT01P", "STRAT1R", "STRAT2R"]   # in both tables: kept once, from ADTTE
    return pd.concat([cut["adtte"].merge(cut["adsl"].drop(columns=shared), on="USUBJID").assign(TWIN=draw)
                      for draw, cut in enumerate(cuts)], ignore_index=True)


def from_table(table):
    """The cuts of :func:`as_table`, back apart."""
    return [{"adtte": rows[ADTTE_COLUMNS].reset_index(drop=True), "adsl": rows[ADSL_COLUMNS].reset_index(drop=True)}
            for _, rows in table.groupby("TWIN", sort=True)]


def write(path=STORED):
    """Make the 60 twins and store them (deterministic bytes), with the fingerprint."""
    text = as_table([make_cut(draw) for draw in range(DRAWS)]).to_csv(index=False, lineterminator="\n")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as stream:
        stream.write(text.encode("utf-8"))
    FINGERPRINT.write_text(json.dumps({"chosen_twin_checksums_sha256": chosen_twin_fingerprint()}, indent=1) + "\n",
                           encoding="utf-8")


def is_current():
    """Whether the stored twins were made by the generator the book's twin comes from."""
    if not (STORED.is_file() and FINGERPRINT.is_file()):
        return False
    stored = json.loads(FINGERPRINT.read_text(encoding="utf-8"))["chosen_twin_checksums_sha256"]
    return stored == chosen_twin_fingerprint()


def cuts():
    """The 60 other twins, each a dict with ``adtte`` (PFS rows) and ``adsl`` (baseline
    columns): read from the stored file, or made afresh when it is out of date."""
    if not is_current():
        print("The stored other twins are out of date; making them afresh (about 20 s). "
              "Rewrite them with: python -m icaria.other_twins", file=sys.stderr, flush=True)
        return [make_cut(draw) for draw in range(DRAWS)]
    with gzip.open(STORED, "rb") as stream:
        table = pd.read_csv(io.BytesIO(stream.read()), dtype=str)
    table[["AVAL", "CNSR", "TWIN"]] = table[["AVAL", "CNSR", "TWIN"]].astype(int)
    return from_table(table)


if __name__ == "__main__":
    write()
    print(f"Wrote {STORED} and {FINGERPRINT}.")
