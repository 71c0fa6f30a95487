"""The nbgitpuller link for a class on a JupyterHub: give the hub's address, get the
link to hand out. A click clones the book into the student's home folder (or merges
the book's updates into their copy) and opens a chapter in JupyterLab.

Usage: ``python scripts/hub_link.py HUB_URL [--chapter NAME] [--branch main] [--repo URL]``

The repository defaults to the book's (``repository.url`` in ``_config.yml``); the
chapter to the first one.
"""

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"


def book_repository():
    config = (REPO_ROOT / "_config.yml").read_text(encoding="utf-8")
    return re.search(r"^repository:\n\s+url: (\S+)", config, re.M).group(1)


def hub_link(hub_url, chapter, repository, branch="main"):
    """The nbgitpuller link; a ValueError with a one-line message for a bad argument."""
    hub = urlsplit(hub_url.strip())
    if hub.scheme not in ("http", "https") or not hub.netloc or hub.query or hub.fragment:
        raise ValueError(f"hub URL must look like https://hub.example.edu, not {hub_url!r}")
    if not (NOTEBOOKS_DIR / f"{chapter}.ipynb").is_file():
        known = ", ".join(sorted(path.stem for path in NOTEBOOKS_DIR.glob("*.ipynb")))
        raise ValueError(f"no chapter {chapter!r}; the chapters are: {known}")
    folder = repository.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    urlpath = quote(f"lab/tree/{folder}/notebooks/{chapter}.ipynb", safe="/")   # slashes kept, as JupyterLab shows it
    query = f"{urlencode({'repo': repository, 'branch': branch}, quote_via=quote, safe='')}&urlpath={urlpath}"
    return f"{hub.scheme}://{hub.netloc}{hub.path.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv=None):
    chapters = sorted(path.stem for path in NOTEBOOKS_DIR.glob("*.ipynb"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hub_url", help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--chapter", default=chapters[0], help=f"the chapter to open (default {chapters[0]})")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--repo", default=book_repository(), help="the repository to pull (default: the book's)")
    args = parser.parse_args(argv)
    try:
        print(hub_link(args.hub_url, args.chapter, args.repo, args.branch))
    except ValueError as error:
        print(f"hub_link.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
