"""Print the single-page build of the book to a PDF, as jupyter-book's ``pdfhtml``
builder does, with the system's Chromium when there is one (Debian: ``chromium``)
and Playwright's own browser otherwise. ``python3 make.py pdf`` builds the single
page and runs this.

Usage: ``python scripts/print_pdf.py [SINGLE_PAGE_HTML] [PDF]``
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SINGLE_PAGE = ROOT / "_build" / "singlehtml" / "index.html"
PDF = ROOT / "_build" / "pdf" / "icaria-mm-step-by-step.pdf"
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
KEEP_TOGETHER = """div.cell_input, div.cell_output, figure { break-inside: avoid; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .header-article, .prev-next-area { display: none; }"""


def print_pdf(single_page=SINGLE_PAGE, pdf=PDF):
    from playwright.sync_api import sync_playwright

    pdf.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        options = {"executable_path": str(SYSTEM_CHROMIUM)} if SYSTEM_CHROMIUM.exists() else {}
        browser = playwright.chromium.launch(**options)
        page = browser.new_page()
        page.goto(Path(single_page).resolve().as_uri(), wait_until="networkidle")
        page.add_style_tag(content=KEEP_TOGETHER)
        page.pdf(path=str(pdf), format="A4", print_background=True,
                 margin={"top": "0.6in", "bottom": "0.6in", "left": "0.5in", "right": "0.5in"})
        browser.close()
    return pdf


if __name__ == "__main__":
    arguments = [Path(argument) for argument in sys.argv[1:]]
    print(f"The PDF is {print_pdf(*arguments)}")
