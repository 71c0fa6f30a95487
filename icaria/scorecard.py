"""The reproduction scorecard: every published number beside the book's value.

In a chapter, compute the book's values in the open, then call
``show({"id": value, ...})``: it displays published, book, difference and status,
and records each value in the notebook's outputs (as a myst-nb ``glue``), so
prose can cite it with ``{glue:text}`` and the scorecard can collect it.

``python -m icaria.scorecard`` reads the executed notebooks and regenerates
``book/scorecard.csv`` and the page ``book/scorecard.md``; ``--check`` only
reports whether they are stale.
"""

import argparse
import csv
import io
import json
import math
import sys
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from icaria import paths, published
from icaria.numbers import NOT_REACHED
from icaria.published import BY_ID, CHAPTERS, PAPER_INCONSISTENCIES, PUBLISHED, ROUTES, STATUSES, chapter_page

CSV_COLUMNS = ["id", "quantity", "published", "book", "difference", "route", "status", "note"]
GLUE_PREFIX = "application/papermill.record/"
GLUE_MIME = GLUE_PREFIX + "text/plain"
# A glued float is stored with this many significant digits. Processors and BLAS code
# paths (OpenBLAS picks kernels by CPU; numpy dispatches AVX2 or AVX-512) agree to about
# 15 digits, not to the last one, and nbval compares the stored text exactly: 10 digits
# are far beyond what any page prints and the same on every machine.
GLUE_DIGITS = 10


def round_half_up(value, decimals):
    """Round as printed tables do (0.5 goes up), not as binary floats happen to fall; a
    value that is not finite (a median not reached, in another twin) stays as it is."""
    if not math.isfinite(value):
        return float(value)
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def paper_round(value, decimals):
    """Round as the paper appears to print (a rule inferred from its numbers; the paper
    states none): first to one more decimal, then to ``decimals``, each half up
    (19.46 -> 19.5 -> 20). Every printed percentage of its Tables 1-4 and the Results
    follows from its count this way, except the few in PAPER_INCONSISTENCIES."""
    return round_half_up(round_half_up(value, decimals + 1), decimals)


def shown_equal(a, b, decimals):
    """Equal as the scorecard prints the book's value (two more decimals than the paper)."""
    return round_half_up(a, decimals + 2) == round_half_up(b, decimals + 2)


def status_of(entry, book):
    """``match``, ``within``, ``off``, ``not-calibrated`` (an emergent twin number that
    is not equal to the paper's) or ``paper-inconsistent`` (the paper contradicts
    itself, and the book's value is what the paper's own counts give; a flagged row
    whose book value is anything else is ``off``)."""
    if entry.inconsistent:
        return "paper-inconsistent" if shown_equal(book, entry.expected, entry.decimals) else "off"
    if entry.below:
        return "match" if book < entry.value else "off"
    if abs(paper_round(book, entry.decimals) - entry.value) < 1e-9:
        return "match"
    if entry.tolerance is not None and abs(book - entry.value) <= entry.tolerance + 1e-12:
        return "within"
    if entry.route == "emergent":
        return "not-calibrated"
    return "off"


def format_number(value, decimals):
    """A number as text: counts (whole numbers printed without decimals) plain, others
    to two more places than printed, with no zeros padding the end beyond the paper's
    places (0.45, not 0.4500; 90.7, not 90.700); NaN (a median or limit the curve never
    reaches) as "not reached"."""
    value = float(value)
    if math.isnan(value):
        return NOT_REACHED
    if value.is_integer() and (decimals == 0 or value == 0):
        return str(int(value))
    text = f"{0.0 if round(value, decimals + 2) == 0 else value:.{decimals + 2}f}"   # no "-0.00"
    whole, _, places = text.partition(".")
    places = places.rstrip("0").ljust(decimals, "0")
    return f"{whole}.{places}" if places else whole


def printed_number(value, decimals):
    """A published number as the paper prints it: ``decimals`` places, no padding
    (48, not 48.000; 0.0008, not 0.000800)."""
    return str(int(value)) if decimals == 0 and float(value).is_integer() else f"{value:.{decimals}f}"


def scorecard_row(entry, book):
    """One published number beside the book's: the scorecard's columns, as text."""
    return {
        "id": entry.id,
        "quantity": entry.quantity,
        "published": ("<" if entry.below else "") + printed_number(entry.value, entry.decimals),
        "book": format_number(book, entry.decimals),
        "difference": "" if math.isnan(book) or entry.below else format_number(book - entry.value, entry.decimals),
        "route": entry.route,
        "status": status_of(entry, book),
        "note": " ".join(part for part in (entry.inconsistent, entry.note) if part),
    }


def comparison_table(book_values):
    """Published, book, difference, route and status for each id in ``book_values``, with
    the tolerance when a number has one (the twin's calibration targets)."""
    entries = [lookup(key) for key in book_values]
    rows = [scorecard_row(entry, book) for entry, book in zip(entries, book_values.values())]
    table = pd.DataFrame(rows).set_index("quantity").drop(columns=["id", "note"])
    if any(entry.tolerance is not None for entry in entries):
        table.insert(3, "tolerance", [tolerance_text(entry.tolerance) if entry.tolerance is not None else ""
                                      for entry in entries])
    return table


def tolerance_text(tolerance):
    """A tolerance as printed in the scorecard (±value)."""
    return f"±{tolerance:g}"


def lookup(key):
    """The registry entry of ``key``, with a message naming the registry if it is unknown."""
    if key not in BY_ID:
        raise KeyError(f"{key!r} is not in the published registry (icaria/published.py).")
    return BY_ID[key]


def glue(name, value, display=True):
    """Record ``value`` under ``name`` in the notebook's outputs, for ``{glue:text}`` in
    prose and for the scorecard: the output myst-nb's ``glue`` writes, made here so a
    live kernel needs nothing of the book's build tools."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display as show_output

    bundle, metadata = format_display_data(glue_value(value))
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    show_output({prefix + mime: data for mime, data in bundle.items()}, raw=True, metadata=metadata)


def glue_value(value):
    """``value`` as a notebook stores it: a finite float to :data:`GLUE_DIGITS` significant
    digits (the same text on every processor), anything else unchanged."""
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.{GLUE_DIGITS}g}")
    return value


# Set by icaria.coursework.use_student_twin: the session reads a student's twin, whose
# numbers are theirs, not the book's, and are not judged against the paper.
STUDENT_TWIN = False


def student_view(table):
    """The comparison as a student's twin shows it: "your twin" beside the paper, no status."""
    return table.rename(columns={"book": "your twin"}).drop(columns=["status"])


def show(book_values):
    """Display the comparison and record each value for the scorecard (on a student's
    twin, :func:`student_view` of it is displayed). Returns the whole comparison, status
    included, which chapters group and filter by (on any twin)."""
    from IPython.display import display

    table = comparison_table(book_values)
    for key, book in book_values.items():
        whole = float(book).is_integer() and lookup(key).decimals == 0
        glue(key, int(book) if whole else float(book), display=False)   # a count reads "307", not "307.0"
    display(student_view(table) if STUDENT_TWIN else table)
    return table


def recorded_values(notebook_path):
    """Values that a notebook recorded with :func:`show`, read from its stored outputs."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name in BY_ID and GLUE_MIME in output.get("data", {}):
                values[name] = float(output["data"][GLUE_MIME])
    return values


def collect(notebooks_dir=paths.NOTEBOOKS_DIR):
    """Every recorded value of every notebook; an id recorded twice is an error."""
    values, where = {}, {}
    for notebook_path in sorted(notebooks_dir.glob("*.ipynb")):
        for key, value in recorded_values(notebook_path).items():
            if key in where:
                raise ValueError(f"{key!r} is recorded in both {where[key]} and {notebook_path.name}.")
            values[key], where[key] = value, notebook_path.name
    return values


def scorecard_rows(values):
    """One row per registry entry; an entry no notebook computed is reported, not hidden."""
    missing = [entry.id for entry in PUBLISHED if entry.id not in values]
    if missing:
        raise ValueError(f"No chapter computes these published numbers: {', '.join(missing)}.")
    return [scorecard_row(entry, values[entry.id]) for entry in PUBLISHED]


def csv_text(rows):
    """Scorecard rows as the text of book/scorecard.csv."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def markdown_cell(text):
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|")


ROUTE_TITLES = {
    "exact": "Exact recomputations",
    "built": "Counts the twin was built to contain",
    "calibrated": "Twin statistics tuned to the paper",
    "emergent": "Twin statistics neither built nor tuned",
}
ROUTE_MEANINGS = {
    "exact": "recomputed from counts and design parameters printed in the paper",
    "built": "a count the simulated twin was constructed to contain: equal by construction",
    "calibrated": "a statistic of the twin tuned to the paper, inside its tolerance",
    "emergent": "a statistic of the twin that was neither built nor tuned: how far the model carries",
}
README_START, README_END = "<!-- scorecard summary: start -->", "<!-- scorecard summary: end -->"


def route_status_table(rows):
    """How many numbers of each route have each status, as a markdown table. Routes
    are never added together: a count the twin was built to contain says nothing
    about whether a recomputation is right."""
    counts = Counter((row["route"], row["status"]) for row in rows)
    statuses = [status for status in STATUSES if any(counts[route, status] for route in ROUTES)]
    lines = ["| route | what it means | " + " | ".join(statuses) + " |",
             "|---|---|" + "---|" * len(statuses)]
    for route in ROUTES:
        cells = [str(counts[route, status]) if counts[route, status] else "" for status in statuses]
        lines.append(f"| `{route}` | {ROUTE_MEANINGS[route]} | " + " | ".join(cells) + " |")
    return lines


def page_text(rows):
    """The scorecard page: routes by status, then one table per chapter and route."""
    lines = [
        "(scorecard)=",
        "# Reproduction scorecard",
        "",
        "Every published number that a chapter discusses, beside the value the book",
        "computes. The route says how the book obtains its value; the status says how",
        "close it lands: `match` means equal at the paper's printed precision (rounded as",
        "the paper rounds: to one more decimal, then to the printed one), `within` means",
        "inside the stated tolerance, `off` means outside it, `not-calibrated` marks an",
        "emergent twin number, shown with its difference, and `paper-inconsistent` means",
        "the paper's own figures disagree and the book's value is what its counts give",
        "(the note explains).",
        "",
        *route_status_table(rows),
        "",
        "Only the `exact` row is evidence that the book reproduces the paper's arithmetic.",
        "The `built` row shows that the generator works; the `calibrated` row that the",
        "twin resembles the trial where it was tuned to; the `emergent` row how far that",
        "resemblance carries.",
        "",
        "This page and `book/scorecard.csv` are generated by `python -m icaria.scorecard`",
        "from the executed chapters; the test suite fails when either is stale.",
        "",
    ]
    for chapter, title in CHAPTERS.items():
        chapter_rows = [r for r in rows if BY_ID[r["id"]].chapter == chapter]
        if chapter_rows:
            lines += [f"## {title}", "", f"Computed in [{title}](../{chapter_page(chapter)}.ipynb).", ""]
            for route in ROUTES:
                lines += route_table(route, [r for r in chapter_rows if r["route"] == route])
    return "\n".join(lines)


def route_table(route, rows):
    """One compact table (it fits the text column) for one chapter's rows of one route."""
    if not rows:
        return []
    difference = "difference" if route in ("exact", "emergent") else "difference (tolerance)"
    lines = [f"### {ROUTE_TITLES[route]}", "", ":::{div} scorecard-table", "",
             f"| quantity | published | book | {difference} | status | where in the paper; how the book computes it |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        entry = BY_ID[r["id"]]
        source = entry.source + (f"; {r['note']}" if r["note"] else "")
        tolerance = f" ({tolerance_text(entry.tolerance)})" if entry.tolerance is not None else ""
        cells = [r["quantity"], r["published"], r["book"], r["difference"] + tolerance, r["status"], source]
        lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    return lines + ["", ":::", ""]


def double_rounding_rows(rows):
    """Exact rows where rounding once to the printed decimals misses the paper's number
    and rounding as the paper does (one more decimal first) hits it."""
    found = []
    for r in rows:
        entry = BY_ID[r["id"]]
        if entry.route != "exact" or entry.inconsistent or entry.below:
            continue
        book = float(r["book"])
        once = round_half_up(book, entry.decimals)
        if abs(once - entry.value) > 1e-9 and abs(paper_round(book, entry.decimals) - entry.value) < 1e-9:
            found.append((entry, book, once))
    return found


def printed_percentages():
    """Registry entries that are percentages the paper prints beside a count."""
    return [entry for entry in PUBLISHED if entry.route == "exact" and "(%)" in entry.quantity]


def rounding_rule_counts(values):
    """How many printed percentages follow from their counts: ``(printed, under the
    paper's two-step rounding, under rounding once)``; a "<1" fits when below 1."""
    def fits(entry, rounding):
        book = values[entry.id]
        if entry.below:
            return book < entry.value
        return abs(rounding(book, entry.decimals) - entry.value) < 1e-9

    entries = printed_percentages()
    return (len(entries), sum(fits(entry, paper_round) for entry in entries),
            sum(fits(entry, round_half_up) for entry in entries))


def unprinted_gaps():
    """Table 1 characteristics whose printed categories do not add up to the arm: the
    registry fills the gap with an unprinted "Unknown" or "Missing" category.
    Returns ``(characteristic, arm, printed sum, arm size, filler, count)`` rows."""
    gaps = []
    for column in ("ISSENTRY",):
        for arm, categories in published.TABLE1_CATEGORIES[column].items():
            filler = "Unknown"
            printed = sum(count for category, count in categories.items() if category != filler)
            gaps.append((published.TABLE1_LABELS[column], arm, printed, published.RANDOMISED[arm], filler,
                         categories[filler]))
    return gaps


def critical_reading_text(rows, values):
    """The page "Reading the paper critically": every place where the paper's own
    numbers disagree, from the scorecard rows, so the page and the scorecard agree."""
    by_id = {r["id"]: r for r in rows}
    percentages, two_step, once = rounding_rule_counts(values)
    lines = [
        "(critical-reading)=",
        "# Reading the paper critically",
        "",
        "A published table is a set of claims that can be checked against each other: a",
        "percentage against its count and denominator, a column against its header, a",
        "p-value against its confidence interval. The chapters recompute every such number",
        "of the paper from the paper's own counts; this page gathers the places where the",
        "paper disagrees with itself, each with the check a reader can do with a calculator.",
        "None of them changes the trial's conclusions; all of them are worth noticing.",
        "",
        "The page is generated from the {ref}`scorecard` by `python -m icaria.scorecard`, so the",
        "two cannot disagree: each row below is a scorecard row with the status",
        "`paper-inconsistent`.",
        "",
        "## First, the paper's rounding rule",
        "",
        "Before calling a printed percentage wrong, find out how the paper rounds. The paper",
        "does not say; the rule below is inferred from its numbers. It rounds twice: first to",
        "one decimal, then to a whole number, each time half up. Most of the time that gives",
        "the same answer as rounding once; where the first step lands exactly on a half, it",
        f"does not. Of the {percentages} printed percentages the book recomputes from their counts",
        f"(Tables 1, 3 and 4 and the Results), {two_step} follow from their counts under this rule",
        f"and {once} under rounding once; the rest are listed further down. A rule that fits",
        "more numbers is better supported, not confirmed. These numbers of the paper look",
        "wrong under one rounding and are right under the inferred one:",
        "",
        ":::{div} scorecard-table",
        "",
        "| quantity | printed | from the counts | rounded once | rounded as the paper does |",
        "|---|---|---|---|---|",
    ]
    for entry, book, once in double_rounding_rows(rows):
        places = entry.decimals
        lines.append(f"| {markdown_cell(entry.quantity)} | {entry.value:.{places}f} | {book:.{places + 2}f} | "
                     f"{once:.{places}f} | {paper_round(book, places):.{places}f} |")
    lines += [
        "",
        ":::",
        "",
        "A reader who rounds once would flag these as errors; under the inferred rule they",
        "are not. The lesson runs both ways: check a paper, but check your own rule first.",
        "",
        "## Where the paper leaves a gap",
        "",
        "Some columns do not add up to their arm, and the paper does not say why. The twin",
        "needs one category for every patient, so the book fills each gap with a category the",
        "paper does not print:",
        "",
    ]
    for characteristic, arm, printed_sum, arm_size, filler, count in unprinted_gaps():
        lines.append(f"- {characteristic}, {arm}: the printed categories add up to {printed_sum} of "
                     f"{arm_size}; the book adds \"{filler}\" for the other {count}.")
    lines += [
        "",
        "## Where the paper disagrees with itself",
        "",
        ":::{div} scorecard-table",
        "",
        "| quantity | printed | from the paper's own numbers | the check | chapter |",
        "|---|---|---|---|---|",
    ]
    for key in PAPER_INCONSISTENCIES:
        entry, row = BY_ID[key], by_id[key]
        title, page = CHAPTERS[entry.chapter], chapter_page(entry.chapter)
        printed = ("<" if entry.below else "") + f"{entry.value:.{entry.decimals}f}"
        cells = [entry.quantity, printed, row["book"], entry.inconsistent, f"[{title}](../{page}.ipynb)"]
        lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    lines += [
        "",
        ":::",
        "",
        "## Checks to make on any trial report",
        "",
        "- **Percentages from counts.** Divide, then round the way the paper rounds.",
        "- **Columns against headers.** Add up each column of a categorical table; it should",
        "  give the number of patients in its header.",
        "- **Intervals against estimates.** A hazard ratio's 95% interval is symmetric on the",
        "  log scale: log(upper) − log(lower) = 2 × 1.96 × SE. From the SE follow z and the",
        "  p-value; compare with the one printed, and note whether it is one- or two-sided.",
        "- **Events against the design.** The number of events at an analysis should match",
        "  what the Methods planned, or the paper should say why not.",
        "- **Methods against results.** An interval method named in the Methods should",
        "  reproduce the printed limits; if none does, say which is closest.",
        "",
    ]
    return "\n".join(lines)


def readme_text(rows, readme):
    """The README with its scorecard summary (between the two markers) brought up to date."""
    head, rest = readme.split(README_START)
    _, tail = rest.split(README_END)
    return head + README_START + "\n" + "\n".join(route_status_table(rows)) + "\n" + README_END + tail


def generated_files():
    """The scorecard CSV and page as they should be, from the committed notebooks."""
    values = collect()
    rows = scorecard_rows(values)
    readme = paths.REPO_ROOT / "README.md"
    return {paths.SCORECARD_CSV: csv_text(rows), paths.SCORECARD_PAGE: page_text(rows),
            paths.CRITICAL_READING_PAGE: critical_reading_text(rows, values),
            readme: readme_text(rows, readme.read_text(encoding="utf-8"))}


def main(argv=None):
    """Regenerate the scorecard files (or, with --check, report whether they are stale)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the files are stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generated_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path.relative_to(paths.REPO_ROOT))
            if not args.check:
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("Stale: " + ", ".join(map(str, stale)) + ". Run: python -m icaria.scorecard", file=sys.stderr)
        return 1
    print("Scorecard " + ("is up to date." if not stale else "written: " + ", ".join(map(str, stale))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
