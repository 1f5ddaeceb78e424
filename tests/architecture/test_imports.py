"""The package tree is the pipeline: imports point down the stages, never up or around.

Reads every module's imports with ``ast`` (those inside functions too, so a lazy
import cannot hide a wrong-way dependency or a circle) and checks three rules:

1. a module imports only from its own package or from packages of earlier stages;
2. no module imports another module's private (``_underscore``) names;
3. no circle of imports between modules, however long.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "briefgen"

# The stages, in the order data flows through them. A package may import those before it.
LAYERS = ["common", "inputs", "analysis", "language", "present", "output", "build",
          "authoring", "cli"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every briefgen import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("briefgen")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith("briefgen"):
            out.append((node.module, [a.name for a in node.names], node.lineno))
    return out


def resolve(target: str, names: list[str], known: dict[str, Path]) -> list[str]:
    """The modules an import statement loads: ``from briefgen.build import cache`` loads
    briefgen.build.cache, ``from briefgen.build.cache import up_to_date`` the module."""
    found = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
    return found or [target]


def layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in LAYERS:
        return None  # briefgen itself (__version__) and __main__
    return LAYERS.index(parts[1])


def test_every_module_belongs_to_a_stage() -> None:
    loose = [m for m in modules() if m not in {"briefgen", "briefgen.__main__"}
             and layer(m) is None]
    assert loose == [], f"modules outside the stage packages {LAYERS}: {loose}"


def test_imports_point_down_the_stages() -> None:
    known = modules()
    wrong = []
    for name, path in known.items():
        here = layer(name)
        for target, names, line in imports(path):
            for module in resolve(target, names, known):
                there = layer(module)
                if here is None or there is None:
                    continue
                if there > here:
                    wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name} imports "
                                 f"{module}, a later stage")
    assert wrong == [], "\n".join(wrong)


def test_no_private_names_across_modules() -> None:
    wrong = [f"{path.relative_to(PACKAGE.parent)}:{line}: imports {n} from {target}"
             for path in modules().values()
             for target, names, line in imports(path)
             for n in names if n.startswith("_") and n != "__version__"]
    assert wrong == [], "\n".join(wrong)


def test_no_import_circles() -> None:
    known = modules()
    graph = {name: sorted({m for t, n, _ in imports(path) for m in resolve(t, n, known)
                           if m in known and m != name and m != "briefgen"})
             for name, path in known.items()}
    circles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        trail.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                circles.append([*trail[trail.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, trail)
        trail.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])
    assert circles == [], "\n".join(" -> ".join(c) for c in circles)


@pytest.mark.parametrize("package", LAYERS)
def test_each_package_says_what_it_does_and_may_import(package: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text()))
    assert doc, f"briefgen/{package}/__init__.py has no docstring"
    assert "May import" in doc, f"briefgen/{package}/__init__.py does not say what it may import"
