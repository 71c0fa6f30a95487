"""The live figures on the website, where no kernel runs: every view drawn at build.

For each live figure of the catalog (:data:`icaria.live_figures.LIVE_FIGURES`), the
build draws every view the website offers (:func:`icaria.live.site_views`) with the
chart's own code, the code a kernel runs, into
``_static/views/<Chart>/<key>.png`` (``key``: each control's index into its site
values, joined by ``-``), with ``views.json``: the mode (``grid`` or ``star``), the
default key, and each view's alt text, caption (the chart's ``caption`` of that
view's values) and SHA-256. A new chart in the catalog gets
its views with no other change.

The chapter's output of ``live.widget()`` carries the form (:func:`icaria.live.site_form`);
the build links each form to the figure above it (``data-figure``, the id of the
nearest figure before it) and ``_assets/live-views.js`` swaps that figure's image for
the view the reader picks.

Views are drawn at twice the text column's width (sharp on dense screens) and saved
as 256-colour PNGs. Drawing them all takes a few tens of seconds, on two processes;
they are kept in ``_build/.views-cache/<fingerprint>`` (the package's code, the
data and the drawing libraries' versions) and copied when nothing changed.
"""

import hashlib
import io
import json
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

from PIL import Image

VIEWS = Path("_static") / "views"
SCALE = 2                # views drawn at twice the text column's width
COLOURS = 256            # a palette PNG: a quarter of the bytes, no visible loss on these figures
CHUNK = 80               # views per task: a task builds its live figure once
ALT_LIMIT = 700          # characters of figure text an alt text quotes at most
ROOT = Path(__file__).resolve().parent.parent


def describe(name, live, values):
    """Alt text of the view just drawn: the figure's name, the settings, and the
    text the figure shows (titles, annotations), read from the drawn figure: only
    what is visible, so a panel hidden in this view (left from another) says nothing."""
    from icaria.live import control_label, value_label

    settings = "; ".join(f"{control_label(control)}: {value_label(control, values[key])}"
                         for key, control in live.controls.items())
    texts = [text.get_text() for text in live.figure.texts if text.get_visible()]
    for axes in (axes for axes in live.figure.axes if axes.get_visible()):
        texts += [axes.get_title(loc) for loc in ("left", "center", "right")]
        texts += [text.get_text() for text in axes.texts if text.get_visible()]
    shown = " ".join(" ".join(text.split()) for text in texts if text.strip())
    if len(shown) > ALT_LIMIT:
        shown = shown[:ALT_LIMIT].rsplit(" ", 1)[0] + " ..."
    return f"{name} ({settings}). {shown}".strip()


def palette_png(png):
    """The same picture as a 256-colour PNG (deterministic)."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(COLOURS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="png")
    return buffer.getvalue()


def view_png(live, key):
    """The website's PNG of the view ``key`` (indices into the site values)."""
    from icaria.live import site_values

    values = {name: site_values(control)[index] for (name, control), index in zip(live.controls.items(), key)}
    return values, palette_png(live.draw_png(**values))


def site_live_figure(factory):
    """The factory's live figure redrawn at the website's scale."""
    import matplotlib as mpl

    from icaria.live import LiveFigure
    from icaria.style import BOOK_RC

    mpl.rcParams.update(BOOK_RC)   # as a chapter's kernel draws, after use_book_style()
    return LiveFigure(factory().chart, scale=SCALE, warm_up=False)


def draw_chunk(task):
    """Draw some views of one live figure into ``folder``; return key -> (alt, sha256)."""
    name, factory, keys, folder = task
    from icaria.live import view_name

    live = site_live_figure(factory)
    drawn = {}
    for key in keys:
        values, png = view_png(live, key)
        (Path(folder) / f"{view_name(key)}.png").write_bytes(png)
        drawn[view_name(key)] = {"alt": describe(name, live, values), "caption": live.chart.caption(**values),
                                 "sha256": hashlib.sha256(png).hexdigest()}
    return drawn


def plan(catalog):
    """(name, chart class, mode, default key, keys) of every live figure in ``catalog``."""
    from icaria.live import site_values, site_views

    plans = []
    for name, (_, factory) in catalog.items():
        live = factory()
        mode, keys = site_views(live.controls)
        default = tuple(site_values(control).index(control.value) for control in live.controls.values())
        plans.append((name, factory, type(live.chart).__name__, mode, default, keys))
    return plans


def draw_views(out, catalog=None, workers=2):
    """Draw every view of every live figure of ``catalog`` under ``out``; return
    chart name -> number of views."""
    from icaria.live import view_name
    from icaria.live_figures import LIVE_FIGURES

    catalog = LIVE_FIGURES if catalog is None else catalog
    plans = plan(catalog)
    tasks, manifests = [], {}
    for name, factory, chart, mode, default, keys in plans:
        folder = Path(out) / chart
        folder.mkdir(parents=True, exist_ok=True)
        manifests[chart] = {"name": name, "mode": mode, "default": view_name(default), "views": {}}
        tasks += [(name, factory, keys[start:start + CHUNK], str(folder)) for start in range(0, len(keys), CHUNK)]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(draw_chunk, tasks))
    else:
        results = [draw_chunk(task) for task in tasks]
    for (_, _, _, folder), drawn in zip(tasks, results):
        manifests[Path(folder).name]["views"].update(drawn)
    for chart, manifest in manifests.items():
        (Path(out) / chart / "views.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return {chart: len(manifest["views"]) for chart, manifest in manifests.items()}


def fingerprint():
    """What the views depend on: the package's code, the data, the drawing libraries."""
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("icaria/**/*.py"), *ROOT.glob("data/**/*.csv")]):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    for package in ("matplotlib", "numpy", "pillow", "pandas", "lifelines", "scipy"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def write_site_views(out):
    """The views under ``out/_static/views``, from the cache when nothing changed."""
    cache = ROOT / "_build" / ".views-cache" / fingerprint()
    if not (cache / "done").exists():
        shutil.rmtree(cache.parent, ignore_errors=True)
        draw_views(cache)
        (cache / "done").write_text("")
    target = Path(out) / VIEWS
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(cache, target, ignore=shutil.ignore_patterns("done"))
    return target


FORM = re.compile(r'<div class="live-views" data-chart="(?P<chart>\w+)"')
FIGURE_ID = re.compile(r'<figure\b[^>]*\bid="(?P<id>[^"]+)"')


class UnlinkedForm(Exception):
    """A live figure's form with no figure above it, or with no views drawn."""


def link_forms(page, views):
    """Give every live-views form of ``page`` the id of the nearest figure above it
    (``data-figure``); refuse a form without one, or whose chart has no views."""
    linked, last = [], 0
    for form in FORM.finditer(page):
        figures = list(FIGURE_ID.finditer(page, 0, form.start()))
        if not figures:
            raise UnlinkedForm(f"the live figure {form['chart']} has no figure above it to redraw")
        if not (views / form["chart"] / "views.json").exists():
            raise UnlinkedForm(f"no views were drawn for {form['chart']}: add its factory to "
                               "icaria.live_figures.LIVE_FIGURES")
        linked += [page[last:form.end()], f' data-figure="{figures[-1]["id"]}"']
        last = form.end()
    return "".join(linked) + page[last:]


def add_site_views(app, exception):
    """After the HTML build: draw (or copy) the views and link each form to its figure."""
    if exception is not None or app.builder.name != "html":
        return
    views = write_site_views(app.outdir)
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if 'class="live-views"' in text and "_static" not in path.parts:
            try:
                path.write_text(link_forms(text, views), encoding="utf-8")
            except UnlinkedForm as problem:
                raise RuntimeError(f"{path.relative_to(app.outdir)}: {problem}") from None


def page_assets(app, pagename, templatename, context, doctree):
    """The form's script and style, on the pages that have a live figure only."""
    if 'class="live-views"' in context.get("body", ""):
        app.add_js_file("live-views.js", defer="defer")
        app.add_css_file("live-views.css")


def setup(app):
    """Register with Sphinx (the extension's entry point)."""
    app.connect("html-page-context", page_assets)
    app.connect("build-finished", add_site_views, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
