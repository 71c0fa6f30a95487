"""Patient timelines read from the twin's ADaM rows, for the chapter on endpoints
and censoring: a swimmer plot, one patient's endpoints under each censoring
convention, and the trial cut at any calendar date (the "time machine").

Everything here is read from ``adsl`` and ``adtte`` as an analyst would; nothing
uses the twin's latent times except :func:`cut_twin`, which cuts the trial at a
date exactly as :func:`icaria.twin.adam.cut_at` does.
"""

import textwrap
from functools import lru_cache

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.transforms import offset_copy

from icaria import published
from icaria.arguments import ArgumentError, once_each, one_of, rows_in, table_with
from icaria.arguments import date as checked_date
from icaria.live import Changed, Chart, LiveFigure, dropdown, selection_slider
from icaria.numbers import plural
from icaria.plots import KM_BOTTOM_POINTS, KaplanMeierPanel, median_text
from icaria.published import DAYS_PER_MONTH
from icaria.style import ARM_COLOURS, OKABE_ITO, SMALL_TEXT

# The chapter this module serves (tests/test_lint.py checks that it imports the module).
CHAPTER = "05-endpoints-and-censoring"

# What a swimmer plot marks, with the marker and colour of each (shape differs, so
# colour is never the only cue).
MARKERS = {
    "RESPONSE": ("First response (PR or better)", "^", OKABE_ITO["green"]),
    "PROGRESSION_IRC": ("Progression (committee)", "D", OKABE_ITO["vermillion"]),
    "PROGRESSION_INV": ("Progression (investigator)", "d", OKABE_ITO["orange"]),
    "SYMPTOMATIC": ("Symptomatic deterioration", "P", OKABE_ITO["sky_blue"]),
    "NEXT_TREATMENT": ("Further treatment starts", "s", OKABE_ITO["purple"]),
    "DEATH": ("Death", "X", OKABE_ITO["black"]),
    "ALIVE": ("Alive at the cutoff", ">", OKABE_ITO["grey"]),
}

# Endpoints a student can apply to one patient, in the order the chapter teaches them.
CONVENTIONS = {
    "PFS": "PFS, committee (primary): censored at further treatment",
    "PFSNC": "PFS, committee: further treatment ignored",
    "PFSNT": "PFS, committee: further treatment counted as an event",
    "PFSINV": "PFS, investigator",
    "PFSINVSD": "PFS, investigator, symptomatic deterioration counted",
    "TTP": "Time to progression: deaths censored",
    "OS": "Overall survival",
    "TTNT": "Time to next treatment",
    "DOR": "Duration of response (responders)",
}

# The kinds of patient the chapter follows, each with the rule that finds one.
DEFAULT_EXAMPLE = "further treatment before progression"
EXAMPLE_RULES = {
    "progressed (committee)": lambda t: t["PFS_EVENT"] == "Progressive disease",
    "died before progression": lambda t: t["PFS_EVENT"] == "Death",
    "further treatment before progression": lambda t: t["PFS_CENSORING"].str.contains("further", na=False),
    "no event yet at the cutoff": lambda t: t["PFS_CENSORING"].str.contains("cutoff", na=False) & t["ON_TREATMENT"],
    "never assessed": lambda t: t["PFS_CENSORING"].str.contains("Randomisation", na=False),
    "investigator saw progression earlier": lambda t: (t["PFSINV_MONTHS"] < t["PFS_MONTHS"] - 0.5)
    & (t["PFS_EVENT"] == "Progressive disease"),
    "symptomatic deterioration first": lambda t: t["PFSINVSD_MONTHS"] < t["PFSINV_MONTHS"] - 0.5,
    "responded, then progressed": lambda t: t["RESPONSE"].notna() & (t["PFS_EVENT"] == "Progressive disease"),
}


def endpoint_table(adtte):
    """One row per patient, one column per PARAMCD: months, event flag, event and censoring text."""
    rows = adtte.assign(MONTHS=adtte["AVAL"] / DAYS_PER_MONTH, EVENT=1 - adtte["CNSR"])
    return rows.pivot(index="USUBJID", columns="PARAMCD", values=["MONTHS", "EVENT", "EVNTDESC", "CNSDTDSC"])


TIMELINE_ENDPOINTS = ("OS", "PFS", "PFSNC", "PFSINV", "PFSINVSD", "TTNT")


def patient_timelines(adsl, adtte):
    """One row per patient: arm, follow-up and the months at which each marked thing happened."""
    table_with("adsl", adsl, ["USUBJID", "TRT01P", "SAFFL", "TRTDURD", "EOTSTT", "NTDARA"])
    table_with("adtte", adtte, ["USUBJID", "PARAMCD", "AVAL", "CNSR", "EVNTDESC", "CNSDTDSC"])
    once_each("adsl", rows_in("adsl", adsl), ["USUBJID"])
    once_each("adtte", adtte, ["USUBJID", "PARAMCD"])
    for code in TIMELINE_ENDPOINTS:
        missing = sorted(set(adsl["USUBJID"]) - set(adtte.loc[adtte["PARAMCD"] == code, "USUBJID"]))
        if missing:
            raise ArgumentError(f"adtte: {len(missing)} patient(s) of adsl have no {code} row (for example "
                                f"{', '.join(map(str, missing[:3]))}); a timeline reads "
                                f"{', '.join(TIMELINE_ENDPOINTS)} of every patient.")
    wide = endpoint_table(adtte)
    months, event, text = wide["MONTHS"].astype(float), wide["EVENT"].astype(float), wide["EVNTDESC"]
    base = adsl.set_index("USUBJID")
    table = pd.DataFrame({"TRT01P": base["TRT01P"], "FOLLOW_UP": months["OS"]})
    table["TREATMENT_END"] = np.where(base["SAFFL"] == "Y", base["TRTDURD"] / DAYS_PER_MONTH, 0.0)
    table["ON_TREATMENT"] = base["EOTSTT"] == "ONGOING"
    table["RESPONSE"] = months["TTR"] if "TTR" in months else np.nan
    table["PROGRESSION_IRC"] = months["PFSNC"].where(text["PFSNC"] == "Progressive disease")
    table["PROGRESSION_INV"] = months["PFSINV"].where(text["PFSINV"] == "Progressive disease")
    # Symptomatic deterioration: an event of PFSINVSD before the investigator's progression
    # (PFSINVSD counts it as progression; PFSINV does not).
    first_sd = (text["PFSINVSD"] == "Progressive disease") & (months["PFSINVSD"] < months["PFSINV"])
    table["SYMPTOMATIC"] = months["PFSINVSD"].where(first_sd)
    table["NEXT_TREATMENT"] = months["TTNT"].where(event["TTNT"] == 1)
    table["DARATUMUMAB"] = base["NTDARA"] == "Y"
    table["DEATH"] = months["OS"].where(event["OS"] == 1)
    table["ALIVE"] = months["OS"].where(event["OS"] == 0)
    for code in ("PFS", "PFSINV", "PFSINVSD"):
        table[f"{code}_MONTHS"] = months[code]
    table["PFS_EVENT"] = text["PFS"]
    table["PFS_CENSORING"] = wide["CNSDTDSC"]["PFS"]
    return table


def pick_examples(timelines):
    """One patient of each kind in ``EXAMPLE_RULES`` (the first by identifier not yet
    picked), as a Series: kind -> USUBJID."""
    table_with("timelines (from patient_timelines)", timelines,
               ["PFS_EVENT", "PFS_CENSORING", "ON_TREATMENT", "PFS_MONTHS", "PFSINV_MONTHS", "PFSINVSD_MONTHS",
                "RESPONSE"])
    picked = {}
    for kind, rule in EXAMPLE_RULES.items():
        candidates = [patient for patient in timelines.index[rule(timelines).fillna(False).to_numpy(dtype=bool)]
                      if patient not in picked.values()]
        if candidates:
            picked[kind] = candidates[0]
    return pd.Series(picked, name="USUBJID")


def draw_swimmer(ax, timelines, labels=None):
    """A swimmer plot: one lane per patient (top to bottom in the order given), dark
    while on study treatment, light after it, with a marker for each event."""
    lanes = np.arange(len(timelines))[::-1]
    for lane, (patient, row) in zip(lanes, timelines.iterrows()):
        colour = ARM_COLOURS[row["TRT01P"]]
        ax.barh(lane, row["FOLLOW_UP"], height=0.5, color=colour, alpha=0.25)
        ax.barh(lane, min(row["TREATMENT_END"], row["FOLLOW_UP"]), height=0.5, color=colour)
    for column, (label, marker, colour) in MARKERS.items():
        ax.plot(timelines[column].to_numpy(), lanes, marker, color=colour, ms=8, mec="white", mew=0.6,
                label=label, linestyle="none")
    names = labels if labels is not None else timelines.index
    ax.set_yticks(lanes, [f"{name} ({arm})" for name, arm in zip(names, timelines["TRT01P"])], linespacing=1.1)
    ax.set_xlabel("Months since randomisation")
    ax.set_xlim(0, None)
    return ax


# ---------------------------------------------------------------------------
# One patient under each convention (a live figure)


def convention_rows(adtte, patient):
    """The patient's rows of every endpoint, by PARAMCD."""
    return adtte[adtte["USUBJID"] == patient].set_index("PARAMCD")


def describe(row):
    """'8.2 months: event (Progressive disease)' or '8.2+ months: censored (...)';
    the + marks a censored time, as survival tables write it."""
    months = row["AVAL"] / DAYS_PER_MONTH
    if row["CNSR"] == 0:
        return f"{months:.1f} months: event ({row['EVNTDESC']})"
    return f"{months:.1f}+ months: censored ({row['CNSDTDSC']})"


class ConventionFigure(Chart):
    """One patient's timeline, and under it the interval a chosen endpoint analyses.
    The artists are made once; each view only moves them."""

    LANE, ANALYSED = 0.0, -0.7
    # 5.2 inches wide: 10 pt type shows at 9 CSS px on a 390 px phone. The title (up to
    # five lines of TITLE_WIDTH characters) runs from the figure's left edge.
    figsize = (5.2, 4.8)
    TITLE_WIDTH = 56
    warm_up = [{}]

    def __init__(self, adsl, adtte, examples):
        self.adtte = adtte
        self.timelines = patient_timelines(adsl, adtte)
        self.examples = examples
        self.xmax = float(np.ceil(self.timelines.loc[list(examples.values), "FOLLOW_UP"].max() / 3) * 3)

    def default_patient(self):
        """The patient shown first: the one censored at further treatment, whose rules
        differ most (the first example if the data have none)."""
        return self.examples.get(DEFAULT_EXAMPLE, self.examples.iloc[0])

    def controls(self):
        return {
            "patient": dropdown("Patient", {f"{patient}: {kind}": patient for kind, patient in self.examples.items()},
                                self.default_patient(), width="400px"),
            "convention": dropdown("Endpoint", {label: code for code, label in CONVENTIONS.items()}, "PFS",
                                   width="480px"),
        }

    def build(self, figure):
        figure.clear()
        figure.subplots_adjust(left=0.19, right=0.96, top=0.76, bottom=0.4)
        ax = figure.add_subplot()
        follow_up = ax.barh([self.LANE], [0], height=0.5, alpha=0.25)[0]
        treatment = ax.barh([self.LANE], [0], height=0.5)[0]
        markers = {column: ax.plot([], [], marker, color=colour, ms=9, mec="white", mew=0.6, linestyle="none",
                                   label=label)[0]
                   for column, (label, marker, colour) in MARKERS.items()}
        interval, = ax.plot([], [], color=OKABE_ITO["black"], lw=3)
        event, = ax.plot([], [], "o", color=OKABE_ITO["black"], ms=10, label="Endpoint: event")
        censored, = ax.plot([], [], "|", color=OKABE_ITO["black"], ms=16, mew=3, label="Endpoint: censored")
        ax.set_yticks([self.LANE, self.ANALYSED], ["timeline", "endpoint"])
        ax.set_ylim(-1.2, 0.6)
        ax.set_xlim(0, self.xmax)
        ax.set_xlabel("Months since randomisation")
        ax.legend(handles=[*markers.values(), event, censored], loc="upper center", bbox_to_anchor=(0.38, -0.25),
                  ncol=2, fontsize=SMALL_TEXT, handletextpad=0.3, columnspacing=1.0)
        title = figure.text(0.02, 0.98, "", ha="left", va="top", fontsize=SMALL_TEXT, fontweight="bold")
        return {"ax": ax, "follow_up": follow_up, "treatment": treatment, "markers": markers, "interval": interval,
                "event": event, "censored": censored, "title": title}

    def update(self, patient=None, convention="PFS"):
        patient = self.default_patient() if patient is None else patient
        if patient not in set(self.examples.values):
            raise ArgumentError(f"Patient {patient!r} is not one of the chapter's examples.")
        if convention not in CONVENTIONS:
            raise ArgumentError(f"Unknown endpoint {convention!r}; choose one of {', '.join(CONVENTIONS)}.")
        a = self.artists
        timeline = self.timelines.loc[patient]
        colour = ARM_COLOURS[timeline["TRT01P"]]
        a["follow_up"].set(width=timeline["FOLLOW_UP"], color=colour)
        a["treatment"].set(width=min(timeline["TREATMENT_END"], timeline["FOLLOW_UP"]), color=colour)
        for column, line in a["markers"].items():
            at = timeline[column]
            line.set_data(([at], [self.LANE]) if pd.notna(at) else ([], []))
        rows = convention_rows(self.adtte, patient)
        kind = self.examples.index[list(self.examples.values).index(patient)]
        heading = "\n".join(textwrap.fill(line, self.TITLE_WIDTH, subsequent_indent="  ")
                            for line in (f"{patient} ({timeline['TRT01P']}), {kind}", CONVENTIONS[convention])) + "\n"
        for line in (a["interval"], a["event"], a["censored"]):
            line.set_data([], [])
        if convention not in rows.index:
            a["title"].set_text(heading + "not defined (the patient never responded)")
        else:
            row = rows.loc[convention]
            start = timeline["RESPONSE"] if convention == "DOR" else 0.0
            end = start + row["AVAL"] / DAYS_PER_MONTH
            a["interval"].set_data([start, end], [self.ANALYSED] * 2)
            a["event" if row["CNSR"] == 0 else "censored"].set_data([end], [self.ANALYSED])
            a["title"].set_text(heading + textwrap.fill(describe(row), self.TITLE_WIDTH, subsequent_indent="  "))
        changed = [a["follow_up"], a["treatment"], *a["markers"].values(), a["interval"], a["event"], a["censored"],
                   a["title"]]
        return Changed(changed)

    def caption(self, patient=None, convention="PFS"):
        patient = self.default_patient() if patient is None else patient
        kind = self.examples.index[list(self.examples.values).index(patient)]
        rows = convention_rows(self.adtte, patient)
        what = (describe(rows.loc[convention]) if convention in rows.index
                else "not defined, as the patient never responded")
        return (f"One simulated patient ({patient}, {self.timelines.loc[patient, 'TRT01P']}; {kind}) under the rule "
                f"of {CONVENTIONS[convention]}. Top: the patient's timeline (dark: on treatment) with each event "
                f"marked; bottom: the interval this endpoint analyses, {what}.")


def convention_live(adsl=None, adtte=None):
    """Chapter 5's live figure: one patient under each endpoint's rule."""
    from icaria import data

    adsl = data.load("adsl") if adsl is None else adsl
    adtte = data.load("adtte") if adtte is None else adtte
    examples = pick_examples(patient_timelines(adsl, adtte))
    return LiveFigure(ConventionFigure(adsl, adtte, examples))


# ---------------------------------------------------------------------------
# The data-cut time machine (a live figure)

TIME_MACHINE_ENDPOINTS = {"Progression-free survival (committee)": "PFS", "Overall survival": "OS"}
PLANNED_EVENTS = {"PFS": 162, "OS": 220}
KM_LABELS = {"PFS": "PFS probability", "OS": "Probability alive"}
CUT_MARKS = {published.PRIMARY_CUTOFF: "primary cut", published.FINAL_OS_CUTOFF: "final OS cut"}


def seeds_key():
    """The seeds the twin is generated from now (a student's, once ``use_student_twin``
    chose them), as a key for the caches below: each cache belongs to one twin."""
    from icaria.twin import SEEDS

    return tuple(sorted(SEEDS.items()))


def twin():
    """The twin's latent data, generated once per session from the chosen seeds."""
    return twin_of(seeds_key())


@lru_cache(maxsize=2)
def twin_of(seeds):
    """The twin's latent data for ``seeds`` (a :func:`seeds_key`)."""
    from icaria.twin import generate

    return generate(dict(seeds))


def cut_twin(cutoff):
    """PFS and OS rows (with MONTHS and EVENT) of the twin as known on ``cutoff``, a
    date from the first randomisation to the final OS cut (the twin's span)."""
    first, _ = published.RANDOMISATION_PERIOD
    cutoff = checked_date("cutoff", cutoff, first, published.FINAL_OS_CUTOFF).strftime("%Y-%m-%d")
    return cut_of(seeds_key(), cutoff)


@lru_cache(maxsize=256)
def cut_of(seeds, cutoff):
    """:func:`cut_twin` of the twin of ``seeds`` (a :func:`seeds_key`)."""
    from icaria import survival
    from icaria.twin import adam

    adtte = adam.endpoints_at(twin_of(seeds), cutoff, tuple(PLANNED_EVENTS))
    return {code: survival.endpoint(adtte, code) for code in PLANNED_EVENTS}


def cutoff_dates():
    """The dates the time machine offers: the 1st of every month from the first
    patient's second month to the final OS cut, plus the two published cuts."""
    first, _ = published.RANDOMISATION_PERIOD
    months = pd.date_range(pd.Timestamp(first) + pd.offsets.MonthBegin(2), published.FINAL_OS_CUTOFF, freq="MS")
    dates = sorted({*months.strftime("%Y-%m-%d"), *CUT_MARKS})
    return dates


def events_by_date():
    """Events of each endpoint (both arms) known at every offered cutoff date, counted
    without building each cut's rows (cutting the whole twin at all 61 dates took 0.9 s)."""
    return events_of(seeds_key())


@lru_cache(maxsize=2)
def events_of(seeds):
    """:func:`events_by_date` of the twin of ``seeds`` (a :func:`seeds_key`)."""
    from icaria.twin import adam

    dates = pd.to_datetime(CUTOFF_DATES).to_numpy()
    counts = [adam.events_at(twin_of(seeds), cutoff, tuple(PLANNED_EVENTS)) for cutoff in CUTOFF_DATES]
    return {code: (dates, np.array([count[code] for count in counts])) for code in PLANNED_EVENTS}


def cut_summary(rows, code, cutoff):
    """Patients, events and information fraction of one endpoint at a cutoff."""
    events = int(rows["EVENT"].sum())
    return {"cutoff": cutoff, "randomised": len(rows), "events": events,
            "information fraction": events / PLANNED_EVENTS[code]}


class TimeMachineFigure(Chart):
    """Top: Kaplan-Meier curves of the chosen endpoint at the cutoff, with the risk
    table. Bottom: events accrued over calendar time, the cutoff and the two
    published cuts marked. Artists are made once and updated. The panels are stacked,
    5.2 inches wide: 10 pt type shows at 9 CSS px on a 390 px phone."""

    XMAX, STEP = 60, 12
    figsize = (5.2, 7.4)
    warm_up = [{}, {"endpoint": "OS"}]
    # Vertical layout, inches from the top: the three title lines, the survival panel (its
    # risk table under it), then the calendar panel with its legend under it.
    KM_TOP, KM_HEIGHT, CALENDAR_HEIGHT, LEGEND_ROOM = 0.85, 2.3, 1.75, 0.95

    def controls(self):
        return {
            "cutoff": selection_slider("Cutoff date", CUTOFF_DATES, published.PRIMARY_CUTOFF, width="480px"),
            "endpoint": dropdown("Endpoint", TIME_MACHINE_ENDPOINTS, "PFS", width="400px"),
        }

    def build(self, figure):
        figure.clear()
        width, height = figure.get_size_inches()
        left, right = 0.8 / width, 0.96

        def panel_box(top, tall):
            """An axes rectangle ``tall`` inches high whose top is ``top`` inches below the figure's."""
            return (left, 1 - (top + tall) / height, right - left, tall / height)

        # One survival panel for both endpoints: its y label and title are redrawn with the
        # curves, so both endpoints share one background (one full draw, not two).
        ax = figure.add_axes(panel_box(self.KM_TOP, self.KM_HEIGHT))
        panel = KaplanMeierPanel(ax, xmax=self.XMAX, step=self.STEP, ylabel="", keep_fits=True)
        ylabel = ax.text(0, 0.5, "", transform=offset_copy(ax.transAxes, fig=figure, x=-30, units="points"),
                         rotation=90, ha="right", va="center", fontsize=mpl.rcParams["axes.labelsize"])
        panel_title = ax.set_title("", loc="left", fontsize=SMALL_TEXT)
        calendar_top = self.KM_TOP + self.KM_HEIGHT + (KM_BOTTOM_POINTS + 22) / 72
        calendar_ax = figure.add_axes(panel_box(calendar_top, self.CALENDAR_HEIGHT))
        for code, colour in zip(PLANNED_EVENTS, (OKABE_ITO["blue"], OKABE_ITO["black"])):
            dates, counts = events_by_date()[code]
            calendar_ax.step(dates, counts, where="post", color=colour, lw=2,
                             label=f"{code} events (planned {PLANNED_EVENTS[code]})")
            calendar_ax.axhline(PLANNED_EVENTS[code], color=colour, lw=0.8, ls=":")
        for (date, label), at in zip(CUT_MARKS.items(), ((235, "top"), (5, "bottom"))):
            calendar_ax.axvline(pd.Timestamp(date), color=OKABE_ITO["grey"], lw=1, ls="--")
            # A few points left of its line, so the chosen cutoff (drawn over it) never hides it; the
            # primary cut's label at the top, above the curves, the final cut's at the bottom.
            calendar_ax.annotate(label, (pd.Timestamp(date), at[0]), xytext=(-4, 0), textcoords="offset points",
                                 rotation=90, ha="right", va=at[1], fontsize=SMALL_TEXT, color=OKABE_ITO["grey"])
        cursor = calendar_ax.axvline(pd.Timestamp(published.PRIMARY_CUTOFF), color=OKABE_ITO["vermillion"], lw=2,
                                     label="chosen cutoff")
        calendar_ax.set_ylim(0, 240)
        calendar_ax.set_xlim(pd.Timestamp("2017-01-01"), pd.Timestamp("2022-03-01"))
        calendar_ax.set_ylabel("Events so far\n(both arms)")
        calendar_ax.set_xlabel("Calendar date")
        # Under the panel: the curves fill the panel itself.
        calendar_ax.legend(loc="upper left", bbox_to_anchor=(-0.1, -self.LEGEND_ROOM / 2 / self.CALENDAR_HEIGHT),
                           fontsize=SMALL_TEXT, ncol=2, handlelength=1.5, columnspacing=1.0)
        title = figure.text(0.02, 1 - 0.06 / height, "", ha="left", va="top", fontsize=SMALL_TEXT)
        return {"panel": panel, "ylabel": ylabel, "panel_title": panel_title, "cursor": cursor, "title": title}

    def update(self, cutoff=published.PRIMARY_CUTOFF, endpoint="PFS"):
        if cutoff not in CUTOFF_DATES:
            raise ArgumentError(f"Cutoff {cutoff!r} is not offered; choose a date between {CUTOFF_DATES[0]} and "
                             f"{CUTOFF_DATES[-1]}.")
        one_of("Endpoint", endpoint, PLANNED_EVENTS)
        panel = self.artists["panel"]
        self.artists["ylabel"].set_text(KM_LABELS[endpoint])
        self.artists["panel_title"].set_text(f"{endpoint}, simulated twin")
        rows = cut_twin(cutoff)[endpoint]
        medians = panel.update(rows)
        self.artists["cursor"].set_xdata([pd.Timestamp(cutoff)] * 2)
        summary = cut_summary(rows, endpoint, cutoff)
        self.artists["title"].set_text(
            f"Trial cut on {cutoff}: {summary['randomised']} randomised, {summary['events']} {endpoint} events\n"
            f"(information fraction {summary['information fraction']:.2f})\nMedian {endpoint}: Isa-Pd "
            f"{median_text(medians['Isa-Pd'])}, Pd {median_text(medians['Pd'])}")
        return Changed([*panel.artists(), self.artists["ylabel"], self.artists["panel_title"], self.artists["cursor"],
                        self.artists["title"]], extra=summary)

    def caption(self, cutoff=published.PRIMARY_CUTOFF, endpoint="PFS"):
        one_of("Endpoint", endpoint, PLANNED_EVENTS)
        summary = cut_summary(cut_twin(cutoff)[endpoint], endpoint, cutoff)
        name = {code: label for label, code in TIME_MACHINE_ENDPOINTS.items()}[endpoint]
        known = ", the primary cut" if cutoff == published.PRIMARY_CUTOFF else (
            ", the final OS cut" if cutoff == published.FINAL_OS_CUTOFF else "")
        return (f"The simulated twin cut on {pd.Timestamp(cutoff):%d %b %Y}{known}: {summary['randomised']} patients "
                f"randomised, {plural(summary['events'], 'PFS event' if endpoint == 'PFS' else 'death')} "
                "(information fraction "
                f"{summary['information fraction']:.2f} of the planned {PLANNED_EVENTS[endpoint]}). Top: Kaplan-Meier "
                f"curves of {name.lower()} with the numbers at risk under the plot. Bottom: PFS events and deaths "
                "accrued over calendar time, with the planned 162 and 220 (dotted), the primary and final cuts "
                "(dashed) and the chosen cutoff (solid).")


CUTOFF_DATES = cutoff_dates()


def time_machine_live():
    """Chapter 5's live data-cut time machine."""
    return LiveFigure(TimeMachineFigure())
