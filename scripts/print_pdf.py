"""Print the single-page build of the book to a PDF, as jupyter-book's ``pdfhtml``
builder does, with page numbers in the footer and bookmarks (the PDF's outline, one
entry per heading). It needs a Chromium-family browser: the first of ``chromium``
(Debian), ``chromium-browser`` (Ubuntu) or Google Chrome found on the PATH, else
Playwright's own Chromium (``.venv/bin/playwright install chromium``).
``python3 make.py pdf`` builds the single page and runs this.

Usage: ``python scripts/print_pdf.py [SINGLE_PAGE_HTML] [PDF]``
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Sphinx writes the single page at the root document's path but links its styles,
# images and sections as if it sat at the top of the build: print a copy placed there.
SINGLE_PAGE = ROOT / "_build" / "singlehtml" / "book" / "intro.html"
PDF = ROOT / "_build" / "pdf" / "icaria-mm-step-by-step.pdf"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FOOTER = ('<div style="width: 100%; font-size: 8pt; text-align: center; color: #555;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


# Boxes the print styles keep whole (_assets/book.css) but that are taller than a page
# (A4 less the margins, at 96 px an inch): marked so that they break instead.
MARK_TALL_BOXES = """(pageHeight) => {
  const tall = Array.from(document.querySelectorAll('div.cell_input, div.cell_output, figure, table, .admonition'))
    .filter(box => box.getBoundingClientRect().height > pageHeight);
  tall.forEach(box => box.classList.add('taller-than-a-page'));
  return tall.length; }"""
PRINTED_WIDTH_PX, PRINTED_HEIGHT_PX = round((8.27 - 1.0) * 96), round((11.69 - 1.3) * 96)

MISSING_ASSETS = """() => [
  ...Array.from(document.querySelectorAll('link[rel=stylesheet]')).filter(link => !link.sheet).map(link => link.href),
  ...Array.from(document.images).filter(image => !image.naturalWidth).map(image => image.src)]"""


def top_level_copy(single_page):
    """The single page copied to the top of its build, where its relative links work."""
    single_page = Path(single_page)
    build = single_page.parent.parent if single_page.parent.name == "book" else single_page.parent
    copy = build / "print.html"
    copy.write_text(single_page.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def system_browser(names=BROWSERS):
    """The first Chromium-family browser on the PATH, or None (then Playwright's own)."""
    return next((found for found in map(shutil.which, names) if found), None)


def launch(playwright):
    """Chromium from the PATH, else Playwright's; a one-line message when there is neither."""
    browser = system_browser()
    try:
        return playwright.chromium.launch(**({"executable_path": browser} if browser else {}))
    except Exception as error:   # Playwright's browser not downloaded either
        raise SystemExit(f"No browser to print with: install chromium (Debian: apt-get install chromium; "
                         f"Ubuntu: chromium-browser) or Google Chrome, or run .venv/bin/playwright install "
                         f"chromium ({str(error).splitlines()[0]})") from None


def print_pdf(single_page=SINGLE_PAGE, pdf=PDF):
    """Print ``single_page`` to ``pdf`` (A4) with the book's print styles (_assets/book.css)."""
    from playwright.sync_api import sync_playwright

    pdf.parent.mkdir(parents=True, exist_ok=True)
    single_page = top_level_copy(single_page)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(single_page.resolve().as_uri(), wait_until="networkidle")
        missing = page.evaluate(MISSING_ASSETS)
        if missing:
            raise SystemExit(f"The single page lacks its styles or images, the PDF would be unstyled: {missing[:5]}")
        page.emulate_media(media="print")
        page.set_viewport_size({"width": PRINTED_WIDTH_PX, "height": PRINTED_HEIGHT_PX})
        page.evaluate(MARK_TALL_BOXES, PRINTED_HEIGHT_PX)
        page.pdf(path=str(pdf), format="A4", print_background=True, outline=True, tagged=True,
                 display_header_footer=True, header_template="<span></span>", footer_template=FOOTER,
                 margin={"top": "0.6in", "bottom": "0.7in", "left": "0.5in", "right": "0.5in"})   # 1.0 in, 1.3 in
        browser.close()
    return pdf


if __name__ == "__main__":
    arguments = [Path(argument) for argument in sys.argv[1:]]
    print(f"The PDF is {print_pdf(*arguments)}")
