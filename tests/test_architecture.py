"""The layout's rules, checked on every run: layers point one way, only the CLI knows Typer and rich.

Layers, lowest first; a module may import only from its own layer or the ones
before it (ARCHITECTURE.md draws the same picture).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "kokom_cli"

LAYERS = [
    {"core", "__init__"},
    {"yaml"},
    {"requirements"},
    {"workspace", "config", "national", "scaffold"},
    {"calllog", "procedures", "competence"},
    {"editing", "editions"},
    {"assessments"},
    {"followup"},
    {"publish"},
    {"cli", "__main__"},
]
UI_LIBRARIES = {"typer", "rich", "click"}
MAX_LINES = 420


def _part(module: str) -> str:
    """The top-level part of kokom_cli a module belongs to: `calllog` for kokom_cli.calllog.metrics."""
    return module.split(".")[1] if module.count(".") else "__init__"


def _rank(part: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if part in layer)


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "_data" in path.parts:
            continue
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(relative.parts).removesuffix(".__init__")
        out.append((name, path))
    return out


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module imported anywhere in the file (lazy imports inside functions count too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


MODULES = _modules()


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {_part(name) for name, _ in MODULES if name != "kokom_cli"}
    assert parts <= set().union(*LAYERS), parts - set().union(*LAYERS)


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_imports_point_down_the_layers(name: str, path: Path) -> None:
    mine = _rank(_part(name)) if name != "kokom_cli" else 0
    wrong = [
        f"{path.name}:{line}: {target}"
        for line, target in _imports(path)
        if target.startswith("kokom_cli.") and _rank(_part(target)) > mine
    ]
    assert not wrong, f"{name} imports from a higher layer: {wrong}"


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_only_the_cli_imports_typer_or_rich(name: str, path: Path) -> None:
    if _part(name) == "cli":
        return
    wrong = [f"{line}: {target}" for line, target in _imports(path) if target.split(".")[0] in UI_LIBRARIES]
    assert not wrong, f"{name} is core code and must not print or parse options: {wrong}"


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_modules_stay_small(name: str, path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by job (limit {MAX_LINES})"
