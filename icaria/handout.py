"""Hand-out per student: each student's own assignment notebooks, and the links that open them.

``python3 make.py handout --class-list FILE [--chapter NN-name ...] [--hub URL]`` writes
``_build/handouts/``, a git repository on the branch ``handouts`` with one commit:

- ``NAME/NN-name.ipynb``: each student's notebook of each chapter (from ``make.py
  assignments``, built here when missing), run on that student's own twin; NAME is the
  ID's :func:`icaria.coursework.folder_name` (the ID itself when it is a plain ASCII
  name, else an ASCII slug and a hash of it: a folder, URL and git path that hold
  anywhere);
- ``links.csv`` (student, chapter, notebook, hub_link, colab_link; UTF-8, the student
  column the ID as on the class list), one row per student and chapter, for an LMS to
  import or a mail merge: the hub's nbgitpuller link and the Colab link each open THAT
  student's notebook and no other's.

The instructor pushes that branch to the PUBLIC repository (``_config.yml``'s
``repository.url``; never the private one): ``git -C _build/handouts push --force
URL handouts``. The notebooks hold no expected value (a student's notebook prints none:
``tests/test_coursework.py``), so a public branch is safe; the hub clones it into its
own folder (``icaria-mm-assignments``), beside the book's clone, never into it.
"""

import argparse
import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from icaria import coursework, paths
from icaria.arguments import ArgumentError

HANDOUTS = paths.REPO_ROOT / "_build" / "handouts"
BRANCH = "handouts"
HUB_FOLDER = "icaria-mm-assignments"   # where nbgitpuller puts the hand-outs in a student's home
COLUMNS = ["student", "chapter", "notebook", "hub_link", "colab_link"]


def public_repository():
    """The public repository's address: ``repository.url`` of ``_config.yml`` (one place)."""
    config = (paths.REPO_ROOT / "_config.yml").read_text(encoding="utf-8")
    return re.search(r"^repository:\n\s+url: (\S+)", config, re.M).group(1)


def hub_link(hub_url, repository, notebook, branch=BRANCH):
    """The nbgitpuller link that pulls ``branch`` of ``repository`` into ``HUB_FOLDER``
    and opens ``notebook`` (a path in that branch); ArgumentError for a bad hub address."""
    hub = urlsplit(hub_url.strip())
    if hub.scheme not in ("http", "https") or not hub.netloc or hub.query or hub.fragment:
        raise ArgumentError(f"--hub must look like https://hub.example.edu, not {hub_url!r}")
    query = (urlencode({"repo": repository, "branch": branch, "targetpath": HUB_FOLDER}, quote_via=quote, safe="")
             + "&urlpath=" + quote(f"lab/tree/{HUB_FOLDER}/{notebook}", safe="/"))   # as JupyterLab shows it
    return f"{hub.scheme}://{hub.netloc}{hub.path.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def colab_link(repository, notebook, branch=BRANCH):
    """The Colab link of ``notebook`` on ``branch`` of ``repository`` (a GitHub address;
    empty for another host, which Colab cannot open)."""
    found = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(\.git)?/?", repository)
    if not found:
        return ""
    owner, name = found.group(1), found.group(2)
    return f"https://colab.research.google.com/github/{owner}/{name}/blob/{quote(branch)}/{quote(notebook)}"


def handouts(students, chapters, out=HANDOUTS, assignments=coursework.ASSIGNMENTS, hub_url=None,
             repository=None, run=True):
    """Write the hand-outs of ``students`` for ``chapters`` into ``out`` (see the module's
    text) and commit them on branch ``handouts``; return the rows of ``links.csv``."""
    repository = repository or public_repository()
    students = [coursework.student_id(student) for student in students]
    for chapter in chapters:
        coursework.spec(chapter)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rows = []
    for student in students:
        for chapter in chapters:
            folder = coursework.folder_name(student)
            made = Path(assignments) / folder / f"{chapter}.ipynb"
            if not made.is_file():
                made = coursework.student_notebook(chapter, student, assignments, run=run)
            notebook = f"{folder}/{chapter}.ipynb"
            (out / folder).mkdir(exist_ok=True)
            shutil.copyfile(made, out / notebook)
            rows.append({"student": student, "chapter": chapter, "notebook": notebook,
                         "hub_link": hub_link(hub_url, repository, notebook) if hub_url else "",
                         "colab_link": colab_link(repository, notebook)})
            print(f"{student}: {chapter}", flush=True)
    with open(out / "links.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    commit(out)
    return rows


def commit(folder):
    """Make ``folder`` a git repository on branch ``handouts`` with its files in one commit."""
    def git(*args):
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)
        if done.returncode != 0:
            raise ArgumentError(f"git {args[0]} failed in {folder}: {(done.stderr.strip().splitlines() or [''])[-1]}")

    git("init", "--quiet", f"--initial-branch={BRANCH}")
    git("add", "--all")
    git("-c", "user.name=ICARIA-MM book", "-c", "user.email=book@invalid", "commit", "--quiet",
        "-m", "Students' assignment notebooks")


def main(argv=None):
    """``python -m icaria.handout --class-list FILE [--chapter NN-name ...] [--hub URL]``."""
    parser = argparse.ArgumentParser(prog="python3 make.py handout", description=__doc__.splitlines()[0])
    parser.add_argument("--class-list", type=Path, required=True, help="the class's student IDs, one a line")
    parser.add_argument("--chapter", action="append", default=[], help="a chapter (repeat; default: all)")
    parser.add_argument("--hub", help="the JupyterHub's address, e.g. https://hub.example.edu (for hub links)")
    parser.add_argument("--out", type=Path, default=HANDOUTS, help="where the hand-outs go (default _build/handouts)")
    args = parser.parse_args(argv)
    try:
        students = coursework.class_list(args.class_list)
        rows = handouts(students, args.chapter or coursework.chapters(), args.out, hub_url=args.hub)
    except coursework.KitMissing as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return 2
    except (ArgumentError, coursework.NotebookFailed) as error:
        parser.error(str(error))
    print(f"{len(rows)} notebook(s) and {args.out / 'links.csv'}. Publish them on the public repository:\n"
          f"  git -C {args.out} push --force {public_repository()} {BRANCH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
