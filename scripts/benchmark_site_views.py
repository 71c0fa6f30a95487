"""Measure the live figures of the static site against the book's budgets.

1. Drawing every view (icaria.site_views.draw_views, two processes, no cache): the
   number of views, their size on disk and the time it takes. Budgets: 60 s, 40 MB.
2. On the built site (``_build/html``, run ``python3 make.py site`` first), served on
   127.0.0.1 and opened in headless Chromium: for every live figure, the time from
   moving a control to the new view on screen (image loaded), over every value of
   every control; median and worst. Budget: 100 ms.
3. The first load of every page (compressed bytes, as a static host serves them).
   Budget: 0.6 MB.

Prints each measure beside its budget and exits non-zero when one is missed.

Usage: ``python scripts/benchmark_site_views.py [--skip-drawing]``
"""

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
DRAW_BUDGET_S = 60
SIZE_BUDGET_MB = 40
VIEW_BUDGET_MS = 100
FIRST_LOAD_BUDGET_MB = 0.6

SHOWN = """([id, before]) => new Promise(resolve => {
  const img = document.getElementById(id).querySelector('img');
  const check = () => (img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0)
    ? resolve(performance.now()) : requestAnimationFrame(check);
  check(); })"""
MOVE = """([chart, position, index]) => {
  const box = document.querySelector(`.live-views[data-chart="${chart}"]`);
  const c = box.querySelectorAll('select, input[type=range]')[position];
  const start = performance.now(); c.value = String(index);
  c.dispatchEvent(new Event('input', {bubbles: true})); return start; }"""


def measure_drawing():
    from icaria import site_views

    folder = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    counts = site_views.draw_views(folder)
    seconds = time.perf_counter() - start
    size = sum(path.stat().st_size for path in folder.rglob("*")) / 1e6
    shutil.rmtree(folder)
    print(f"views: {sum(counts.values())} in {len(counts)} live figures, {size:.1f} MB (budget {SIZE_BUDGET_MB}), "
          f"drawn in {seconds:.1f} s on 2 processes (budget {DRAW_BUDGET_S})")
    for chart, count in counts.items():
        print(f"  {chart:24s} {count:4d} views")
    return seconds <= DRAW_BUDGET_S and size <= SIZE_BUDGET_MB


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=SITE))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def view_times(browser, url):
    """Milliseconds from a control's move to its view on screen, per chart."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url, wait_until="networkidle")
    times = {}
    for box in page.query_selector_all(".live-views[data-figure]"):
        chart, figure = box.get_attribute("data-chart"), box.get_attribute("data-figure")
        controls = box.query_selector_all("select, input[type=range]")
        for position, control in enumerate(controls):
            count = (len(control.query_selector_all("option")) if control.evaluate("c => c.tagName") == "SELECT"
                     else int(control.get_attribute("max")) + 1)
            default = int(control.get_attribute("data-default"))
            for index in [*range(count), default]:
                if index == int(control.evaluate("c => c.value")):
                    continue
                before = page.eval_on_selector(f"#{figure} img", "img => img.getAttribute('src')")
                start = page.evaluate(MOVE, [chart, position, index])
                shown = page.evaluate(SHOWN, [figure, before])
                times.setdefault(chart, []).append(shown - start)
    page.close()
    return times


def first_load_bytes(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    paths = set()
    page.on("response", lambda response: paths.add(unquote(urlparse(response.url).path)))
    page.goto(url, wait_until="networkidle")
    context.close()
    files = [SITE / path.lstrip("/") for path in paths]
    return sum(len(gzip.compress(path.read_bytes(), 6)) for path in files if path.is_file())


def measure_site():
    from playwright.sync_api import sync_playwright

    if not (SITE / "index.html").exists():
        sys.exit("Build the site first: python3 make.py site")
    server, base = serve()
    ok = True
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        pages = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                       if "_static" not in p.parts and "_sources" not in p.parts)
        every = []
        print(f"\nview on screen after a move (budget {VIEW_BUDGET_MS} ms):")
        for name in pages:
            if 'class="live-views"' not in (SITE / name).read_text(encoding="utf-8"):
                continue
            for chart, times in view_times(browser, f"{base}/{name}").items():
                every += times
                print(f"  {chart:24s} {len(times):4d} moves  median {statistics.median(times):5.1f} ms  "
                      f"worst {max(times):5.1f} ms")
        print(f"  all: {len(every)} moves, median {statistics.median(every):.1f} ms, worst {max(every):.1f} ms")
        ok &= max(every) <= VIEW_BUDGET_MS
        print(f"\nfirst load, compressed (budget {FIRST_LOAD_BUDGET_MB} MB):")
        loads = {name: first_load_bytes(browser, f"{base}/{name}") / 1e6 for name in pages}
        for name, size in sorted(loads.items(), key=lambda item: -item[1])[:12]:
            print(f"  {name:50s} {size:.2f} MB")
        print(f"  all {len(loads)} pages: {min(loads.values()):.2f}-{max(loads.values()):.2f} MB")
        ok &= max(loads.values()) <= FIRST_LOAD_BUDGET_MB
        browser.close()
    server.shutdown()
    return ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-drawing", action="store_true", help="only measure the built site")
    args = parser.parse_args(argv)
    ok = True
    if not args.skip_drawing:
        ok &= measure_drawing()
    ok &= measure_site()
    print("\nwithin every budget" if ok else "\nOVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
