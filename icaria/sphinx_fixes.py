"""A small Sphinx extension for the book's build: fixes, and pages that carry only
what they use.

- sphinx-thebe 0.3.1 registers its inline configuration script once per read phase;
  under jupyter-book 1 that can happen twice, and the page then declares
  ``THEBE_JS_URL`` twice, a JavaScript error. Repeated script entries are dropped.
- MathJax (1.2 MB) is loaded only by pages with a formula.
- The theme's icon font script (``fontawesome.js``, 1.5 MB, every page) is replaced by
  ``icons.css``: one CSS mask per icon the site shows, taken from that script's own
  icon paths at the end of the build.
- Source maps (``*.map``, 3.4 MB) are not shipped.
- Pictures load lazily: a first visit downloads the figures on its first screen only.
- The theme's colour mode defaults to light (the figures are drawn on white), which
  also keeps the theme from logging "Got invalid theme mode" on a first visit.
- The scorecard's tables label every cell with its column's name (``data-label``), so
  that on a phone ``book.css`` stacks each row as a small card of "name: value" lines.
- Citation lists are marked up as lists of list items (the bibliography's
  ``doc-biblioentry`` role is deprecated in ARIA and breaks the list's structure).
- The theme's left sidebar, whose book title sits outside any landmark, becomes a
  navigation landmark, so every part of a page belongs to one.
- ``icaria-mm-notebooks.zip`` beside the pages: every chapter as an executed
  notebook, with the data, the book's package and its requirements, for readers who
  download the lot, and a README of its own (:data:`ARCHIVE_README`) whose commands
  work from the unzipped folder (``scripts/replay_notebook_zip.py`` follows them in a
  fresh virtual environment).
"""

import re
from pathlib import Path

ICON_CSS = "icons.css"
FONTAWESOME_TAG = re.compile(r'\s*<script[^>]*src="[^"]*fontawesome\.js[^"]*"[^>]*></script>')
ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")
ICON_MODIFIERS = {"solid", "regular", "brands", "lg", "sm", "xs", "fw", "2x", "3x", "spin", "pulse"}
def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    """Sphinx hook: keep one copy of each script a page would load twice."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = (getattr(script, "filename", str(script)) or "", getattr(script, "attributes", {}).get("body", ""))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def mathjax_only_where_needed(app, pagename, templatename, context, doctree):
    """Drop MathJax and its configuration from a page without a formula."""
    from docutils import nodes  # the build's, not the live runtime's: imported when building

    if doctree is None or any(True for _ in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))):
        return
    context["script_files"] = [
        script for script in context.get("script_files", [])
        if "mathjax" not in (getattr(script, "filename", "") or "").lower()
        and "MathJax" not in getattr(script, "attributes", {}).get("body", "")]


def light_mode_by_default(app, config):
    """Sphinx hook: open the book in light mode (the theme's default mode logs a console error)."""
    config.html_context = {**(config.html_context or {})}
    config.html_context.setdefault("default_mode", "light")


def icon_paths(fontawesome_js, names):
    """``name -> (width, height, path)`` for each icon name found in the script."""
    found = {}
    for name in names:
        key = f'"{name}"' if "-" in name else name
        match = re.search(r'(?:[{,])' + re.escape(key) + r':\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]+)"\]',
                          fontawesome_js)
        if match:
            found[name] = (int(match.group(1)), int(match.group(2)), match.group(3))
    return found


def icon_css(icons):
    """CSS that draws each icon as a mask filled with the text colour."""
    rules = [".fa-solid, .fa-regular, .fa-brands, .fas, .far, .fab { font-family: inherit !important; }",
             ".fa-solid::before, .fa-regular::before, .fa-brands::before { vertical-align: -0.125em; }",
             ".fa-lg { font-size: 1.25em; line-height: 0.05em; }"]
    for name, (width, height, path) in sorted(icons.items()):
        svg = (f"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'%3E"
               f"%3Cpath d='{path}'/%3E%3C/svg%3E")
        rules.append(f".fa-{name}::before {{ content: \"\"; display: inline-block; width: {width / height:.4f}em;"
                     f" height: 1em; background-color: currentColor; -webkit-mask: url(\"{svg}\") no-repeat center;"
                     f" mask: url(\"{svg}\") no-repeat center; }}")
    return "\n".join(rules) + "\n"


ARCHIVE = "icaria-mm-notebooks.zip"
ARCHIVE_PARTS = ("notebooks/*.ipynb", "data/**/*", "icaria/**/*.py", "icaria/twin/*.json",
                 "icaria/*.csv.gz", "icaria/*.json", "_toc.yml", "pyproject.toml", "requirements.txt", "LICENSE*")
ARCHIVE_FOLDER = "icaria-mm-step-by-step"
# The archive's README.md (also the package's long description, which pyproject.toml
# names). Each ```bash block is run, in order, by scripts/replay_notebook_zip.py.
ARCHIVE_README = """# ICARIA-MM, step by step: the notebooks

Every chapter of the book as an executed notebook (`notebooks/`), the simulated
data (`data/`) and the book's Python package (`icaria/`). The data are simulated: no
real patient's record is in them. The book's text, its website and its source are at
https://github.com/icaria-mm-book/icaria-mm-step-by-step.

## Set up, once

You need Python 3.11 or later (Debian and Ubuntu: `sudo apt install python3-venv`).
In a terminal, in this folder (the one holding this README), make a virtual
environment and install the pinned packages, JupyterLab and the book's package:

```bash
python3 -m venv .venv
.venv/bin/python -m pip install --quiet -r requirements.txt jupyterlab .
```

On Windows, write `.venv\\Scripts\\python` for `.venv/bin/python`.

## Open the notebooks

```text
.venv/bin/jupyter lab notebooks/
```

JupyterLab opens in your browser; run a chapter's cells in order.

## Or run a chapter without a browser

```bash
.venv/bin/jupyter execute notebooks/00-survival-primer.ipynb
```

The chapters find the data in `data/` of this folder by themselves.
"""


def write_notebook_archive(source, out):
    """Zip the chapters with what they need to run, in a folder named after the book."""
    import zipfile

    files = sorted({path for pattern in ARCHIVE_PARTS for path in Path(source).glob(pattern) if path.is_file()})
    with zipfile.ZipFile(out / ARCHIVE, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.writestr(archive_entry(path.relative_to(source)), path.read_bytes())
        archive.writestr(archive_entry("README.md"), ARCHIVE_README)


def archive_entry(name):
    """A zip entry of the archive's folder, with a fixed date (the same bytes each build)."""
    import zipfile

    info = zipfile.ZipInfo(f"{ARCHIVE_FOLDER}/{name}", (2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def accessibility_fixes(page):
    """What axe-core finds on the theme's and pandas' markup, mended: the citation list's
    role, the sidebar as a named navigation landmark, and the empty top-left corner
    cell of a pandas table (an empty header, which a screen reader announces as a
    header of nothing) as an ordinary cell."""
    page = re.sub(r'(<div class="citation"[^>]*?) role="doc-biblioentry"', r'\1 role="listitem"', page)
    page = page.replace('<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">',
                        '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" '
                        'role="navigation" aria-label="Book contents">')
    return page.replace("<th></th>", "<td></td>")


MATHJAX_TAG = re.compile(r'<script defer="defer" src="(?P<src>[^"]*_static/mathjax/tex-mml-chtml\.js[^"]*)"></script>')
MATHJAX_LOADER = """<script>
    // MathJax loads when the first formula nears the screen, not with the page.
    document.addEventListener("DOMContentLoaded", function () {
      var formulas = document.querySelectorAll(".math"), started = false;
      function start() {
        if (started) return;
        started = true;
        var script = document.createElement("script");
        script.src = "%s";
        document.head.appendChild(script);
      }
      if (!formulas.length) return;
      if (!("IntersectionObserver" in window)) return start();
      var watcher = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) { watcher.disconnect(); start(); }
      }, {rootMargin: "200px 0px"});
      formulas.forEach(function (formula) { watcher.observe(formula); });
    });
    </script>"""


def lazy_mathjax(page):
    """MathJax (0.26 MB compressed, with its fonts 0.3 MB) loads when a formula nears the
    screen, so a page whose formulas sit lower down keeps its first visit light."""
    return MATHJAX_TAG.sub(lambda tag: MATHJAX_LOADER % tag["src"], page)


def lazy_images(page):
    """Pictures load as the reader nears them (``loading="lazy"``), so a first visit
    downloads only what is on the first screen."""
    return re.sub(r"<img (?![^>]*\bloading=)", '<img loading="lazy" ', page)


SCORECARD_TABLE = re.compile(r'<div class="scorecard-table[^"]*">.*?</table>', re.S)
HEADER_CELL = re.compile(r'<th class="head"><p>(.*?)</p></th>', re.S)


def label_table_cells(table):
    """Give each ``<td>`` of one table the name of its column as ``data-label``."""
    names = [re.sub(r"<[^>]+>", "", name).replace('"', "&quot;")
             for name in HEADER_CELL.findall(table.split("</thead>")[0])]
    rows = table.split("<tr")
    for index, row in enumerate(rows):
        if "<td>" in row:
            cells = row.split("<td>")
            rows[index] = cells[0] + "".join(f'<td data-label="{names[position] if position < len(names) else ""}">'
                                             + cell for position, cell in enumerate(cells[1:]))
    return "<tr".join(rows)


def label_scorecard_cells(page):
    """Label the cells of the scorecard's tables with their columns (stacked on a phone)."""
    return SCORECARD_TABLE.sub(lambda match: label_table_cells(match.group(0)), page)


def trim_assets(app, exception):
    """After an HTML build: icons as CSS instead of fontawesome.js, the accessibility
    fixes, pictures loaded lazily, no source maps, the notebooks archive.
    Each page is read once and written only if it changed."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    pages = {path: path.read_text(encoding="utf-8") for path in out.rglob("*.html") if "_static" not in path.parts}
    script = out / "_static" / "scripts" / "fontawesome.js"
    if script.exists():
        theme_scripts = [path.read_text(encoding="utf-8") for path in script.parent.glob("*.js") if path != script]
        used = {name for text in [*pages.values(), *theme_scripts] for name in ICON_CLASS.findall(text)}
        icons = icon_paths(script.read_text(encoding="utf-8"), sorted(used - ICON_MODIFIERS))
        (out / "_static" / ICON_CSS).write_text(icon_css(icons), encoding="utf-8")
        script.unlink()
        (out / "_static" / "scripts" / "fontawesome.js.LICENSE.txt").unlink(missing_ok=True)
    for page, text in pages.items():
        trimmed = label_scorecard_cells(accessibility_fixes(FONTAWESOME_TAG.sub("", text)))
        if app.builder.name == "html":   # the PDF's single page keeps its pictures and MathJax eager
            trimmed = lazy_mathjax(lazy_images(trimmed))
        if trimmed != text:
            page.write_text(trimmed, encoding="utf-8")
    for source_map in out.rglob("*.map"):
        source_map.unlink()
    write_notebook_archive(Path(app.srcdir), out)


def html_handlers_for_the_single_page(app):
    """The PDF route (``jupyter-book build . --builder pdfhtml``) writes one single HTML
    page. Extensions that register how to write their nodes for ``html`` only
    (sphinx-jupyterbook-latex's hidden cells; jupyter-book issue 2322) leave that
    builder without a way; give it the ``html`` one."""
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, visitors in handlers.get("html", {}).items():
        single.setdefault(node, visitors)


def setup(app):
    """Register the fixes with Sphinx (the extension's entry point)."""
    app.connect("builder-inited", html_handlers_for_the_single_page)
    app.connect("config-inited", light_mode_by_default)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.connect("html-page-context", mathjax_only_where_needed, priority=901)
    app.connect("build-finished", trim_assets)
    app.add_css_file(ICON_CSS)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
