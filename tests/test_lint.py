"""The package, scripts and tests pass ruff (configured in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is not installed (it is in requirements-dev.txt)"
    result = subprocess.run([ruff, "check", "."], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_package_keeps_its_layers():
    """The import contracts of pyproject.toml (import-linter): the twin depends on the
    published facts only, analysis never reaches into the twin, and so on."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint_imports, "import-linter is not installed (it is in requirements-dev.txt)"
    result = subprocess.run([lint_imports], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def undocumented(path):
    """Public functions, classes and methods of a module without a docstring. A method
    that a base class of the module's package documents (a chart's ``controls``,
    ``build``, ``update`` and ``caption``, documented by :class:`icaria.live.Chart`) counts as documented."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [] if ast.get_docstring(tree) else ["(module)"]
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            if not ast.get_docstring(node):
                missing.append(node.name)
            if isinstance(node, ast.ClassDef):
                inherited = set().union(*(PROTOCOLS.get(base.id, ()) for base in node.bases
                                          if isinstance(base, ast.Name)))
                missing += [f"{node.name}.{item.name}" for item in node.body
                            if isinstance(item, ast.FunctionDef) and not item.name.startswith("_")
                            and item.name not in inherited and not ast.get_docstring(item)]
    return missing


# Base classes of the package whose methods carry the documentation of their overrides.
PROTOCOLS = {"Chart": ("controls", "build", "update", "caption")}


def test_every_public_function_of_the_package_says_what_it_does():
    found = {str(path.relative_to(REPO_ROOT)): undocumented(path)
             for path in sorted((REPO_ROOT / "icaria").rglob("*.py"))}
    missing = {path: names for path, names in found.items() if names}
    assert not missing, "\n".join(f"{path}: {', '.join(names)}" for path, names in missing.items())


def test_every_chapter_companion_is_used_by_its_chapter():
    """A module that names a ``CHAPTER`` serves that chapter, which imports it."""
    import importlib
    import pkgutil

    import icaria
    from icaria.published import CHAPTERS

    companions = {}
    for module_info in pkgutil.walk_packages(icaria.__path__, "icaria."):
        if not module_info.name.endswith("__main__"):
            module = importlib.import_module(module_info.name)
            if hasattr(module, "CHAPTER"):
                companions[module_info.name.rsplit(".", 1)[1]] = module.CHAPTER
    assert len(companions) >= 10, companions
    for name, chapter in companions.items():
        assert chapter in CHAPTERS, f"{name}: unknown chapter {chapter!r}"
        source = (REPO_ROOT / "notebooks" / f"{chapter}.md").read_text(encoding="utf-8")
        assert f"icaria.{name} import" in source or f"{name}," in source or f" {name}\n" in source, (
            f"{name} names {chapter}, which does not import it")
