"""Print the single-page build of the book to a PDF, as jupyter-book's ``pdfhtml``
builder does, with the system's Chromium when there is one (Debian: ``chromium``)
and Playwright's own browser otherwise. ``python3 make.py pdf`` builds the single
page and runs this.

Usage: ``python scripts/print_pdf.py [SINGLE_PAGE_HTML] [PDF]``
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Sphinx writes the single page at the root document's path but links its styles,
# images and sections as if it sat at the top of the build: print a copy placed there.
SINGLE_PAGE = ROOT / "_build" / "singlehtml" / "book" / "intro.html"
PDF = ROOT / "_build" / "pdf" / "icaria-mm-step-by-step.pdf"
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")


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


def print_pdf(single_page=SINGLE_PAGE, pdf=PDF):
    """Print ``single_page`` to ``pdf`` (A4) with the book's print styles (_assets/book.css)."""
    from playwright.sync_api import sync_playwright

    pdf.parent.mkdir(parents=True, exist_ok=True)
    single_page = top_level_copy(single_page)
    with sync_playwright() as playwright:
        options = {"executable_path": str(SYSTEM_CHROMIUM)} if SYSTEM_CHROMIUM.exists() else {}
        browser = playwright.chromium.launch(**options)
        page = browser.new_page()
        page.goto(single_page.resolve().as_uri(), wait_until="networkidle")
        missing = page.evaluate(MISSING_ASSETS)
        if missing:
            raise SystemExit(f"The single page lacks its styles or images, the PDF would be unstyled: {missing[:5]}")
        page.pdf(path=str(pdf), format="A4", print_background=True,
                 margin={"top": "0.6in", "bottom": "0.6in", "left": "0.5in", "right": "0.5in"})
        browser.close()
    return pdf


if __name__ == "__main__":
    arguments = [Path(argument) for argument in sys.argv[1:]]
    print(f"The PDF is {print_pdf(*arguments)}")
