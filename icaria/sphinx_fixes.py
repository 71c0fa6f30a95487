"""A small Sphinx extension for the book's build.

sphinx-thebe 0.3.1 registers its inline configuration script once per read
phase; under jupyter-book 1 that can happen twice, and the page then declares
``THEBE_JS_URL`` twice, a JavaScript error. This drops repeated script entries
from every page, keeping the first.
"""


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
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


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
