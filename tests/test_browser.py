"""Every page of the built site opens in headless Chromium without a JavaScript
error, a missing image, an image without alt text, or a broken local file."""

from urllib.parse import urlparse

from conftest import SITE_DIR

IMAGES_SCRIPT = """imgs => imgs.map(i => ({src: i.getAttribute('src'), alt: i.getAttribute('alt'),
                                        broken: i.complete && i.naturalWidth === 0}))"""


def site_pages():
    return sorted(str(path.relative_to(SITE_DIR)) for path in SITE_DIR.rglob("*.html")
                  if "_static" not in path.parts and "_sources" not in path.parts)


def page_problems(browser, url, site_url):
    """What goes wrong when a reader opens ``url``: a list of sentences."""
    problems = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("response", lambda response: problems.append(f"HTTP {response.status} for {urlparse(response.url).path}")
            if response.status >= 400 and response.url.startswith(site_url)
            and not response.url.endswith("/favicon.ico") else None)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    for image in page.eval_on_selector_all("img", IMAGES_SCRIPT):
        if image["broken"]:
            problems.append(f"missing image {image['src']}")
        if not (image["alt"] or "").strip():
            problems.append(f"image without alt text {image['src']}")
    page.close()
    return problems


def test_every_page_opens_cleanly(site, served_site, browser):
    pages = site_pages()
    assert len(pages) >= 6, pages
    reports = {name: page_problems(browser, f"{served_site}/{name}", served_site) for name in pages}
    failures = {name: problems for name, problems in reports.items() if problems}
    assert not failures, "\n".join(f"{name}: {'; '.join(problems)}" for name, problems in failures.items())


def test_saved_widgets_render_without_a_kernel(site, served_site, browser):
    page = browser.new_page()
    page.goto(f"{served_site}/notebooks/01-trial-at-a-glance.html", wait_until="load")
    page.wait_for_selector(".widget-dropdown", timeout=15000)
    labels = page.inner_text(".jupyter-widgets.widget-vbox")
    page.close()
    assert "Arm" in labels and "Cycles" in labels and "need a running kernel" in labels
