"""The shape of the code (docs/imports.py draws it): features are rooms; they reach the shared layers, the shared
services and, for a verb of theirs, another feature's services, never another feature's pages; no cycles."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("imports_drawing", Path(__file__).parent.parent / "docs" / "imports.py")
imports = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(imports)


@pytest.fixture(scope="module")
def graph():
    return imports.import_graph()


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the directed graph, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_every_package_is_a_feature_a_shared_service_or_a_shared_layer():
    packages = {p.name for p in imports.PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name != "__pycache__"}
    blueprints = {p for p in packages if "Blueprint(" in (imports.PACKAGE / p / "__init__.py").read_text()}
    assert blueprints == set(imports.FEATURES + imports.SERVICES) & packages


def test_no_module_imports_another_features_routes(graph):
    wrong = [f"{module} → {target}" for module, targets in graph.items() for target in targets
             if target.endswith((".routes", ".api")) and imports.room(target) != imports.room(module)]
    assert not wrong


def test_shared_layers_and_services_import_no_feature(graph):
    features = set(imports.FEATURES)
    wrong = [f"{module} → {target}" for module, targets in graph.items() for target in targets
             if imports.room(module) not in features and imports.room(module) not in {"eventapp", "demo"}
             and module != "eventapp.cli" and imports.room(target) in features]
    assert not wrong


def test_features_import_each_other_without_cycles(graph):
    rooms = imports.room_graph(graph)
    between = {room: {t for t in targets if t in imports.FEATURES}
               for room, targets in rooms.items() if room in imports.FEATURES}
    assert _cycle(between) is None


def test_modules_import_each_other_without_cycles(graph):
    # Packages import their own routes at the end of __init__ (the Flask blueprint idiom): not a cycle of code.
    edges = {m: {t for t in targets if not (m == t.rsplit(".", 1)[0] and t.endswith((".routes", ".api", ".commands",
                                                                                        ".cli", ".shell")))}
             for m, targets in graph.items()}
    assert _cycle(edges) is None


def test_the_old_ways_are_gone():
    """Issue 13's acceptance, kept: the conference comes from the workspace, htmx is asked in one place, routes
    leave rollbacks to the error handler, and only the CLI loads the demo."""
    package = Path(__file__).parent.parent / "eventapp"
    found = []
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(package).as_posix()
        for old in ("get_conference_or_404", "url_if", "_is_htmx"):
            if old in source and name != "workspace.py":
                found.append(f"{name}: {old}")
        if path.name == "routes.py" and "db.session.rollback()" in source:
            found.append(f"{name}: db.session.rollback()")
        if ("eventapp.demo" in source or "from .demo" in source or "from ..demo" in source) \
                and not name.startswith("demo/") and name != "cli.py":
            found.append(f"{name}: imports eventapp.demo")
    assert found == []
