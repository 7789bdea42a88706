"""The shape of the code as its imports draw it: each feature a room, the shared layers below them.

``import_graph()`` reads every module of ``eventapp`` (with :mod:`ast`, importing nothing) and returns which module
imports which; ``python docs/imports.py`` (or ``make imports``) writes the drawing: ``docs/imports.dot``, and
``docs/imports.svg`` and ``.png`` when Graphviz's ``dot`` is installed. ``tests/test_imports.py`` holds the rules the drawing shows: no feature's
routes import another feature's routes, the features import each other without cycles, and nothing but the demo
and the command line imports the demo data.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "eventapp"
#: Packages that are shared services every feature calls (accounts, the audit log, the mail outbox), each with
#: pages of its own; they import no feature.
SERVICES = ["auth", "audit", "mail"]
#: The other packages with a blueprint; the modules of eventapp outside these are shared layers.
FEATURES = ["home", "conferences", "agencies", "invitations", "sending", "rsvp", "checkin", "papers", "agenda",
            "venues", "budget", "tasks", "workprogram", "reports", "admin", "hall", "handouts"]
#: What runs beside the app: the demo data set and the command line (they may import every feature).
TOOLS = ["demo", "cli"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom, known: set[str]) -> list[str]:
    """The modules an ``from ... import ...`` names: the submodules it imports (``from . import services``), and
    the module itself when it imports a name defined there."""
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    submodules = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in known]
    return submodules if len(submodules) == len(node.names) else [target, *submodules]


def import_graph() -> dict[str, set[str]]:
    """Module -> the eventapp modules it imports (anywhere in the file, functions included)."""
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(p) for p in paths}
    graph: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = _resolve(module, path.name == "__init__.py", node, known)
            else:
                continue
            graph[module].update(t for t in targets if t in known and t != module)
    return graph


def room(module: str) -> str:
    """The feature a module belongs to, or the shared layer it is (``models``, ``web``, ``text``...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "eventapp"


def room_graph(graph: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """Room -> the rooms it imports from."""
    graph = import_graph() if graph is None else graph
    rooms: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            if room(target) != room(module):
                rooms[room(module)].add(room(target))
    return rooms


def draw(path: Path) -> Path:
    """Write the drawing as Graphviz's DOT: the features, the shared services, the tools (demo data, commands),
    and the shared layers as one box; an arrow from a room to every room it imports from."""
    rooms = room_graph()
    everything = {r for targets in rooms.values() for r in targets} | set(rooms)
    shared = sorted(everything - set(FEATURES) - set(SERVICES) - set(TOOLS) - {"eventapp"})
    colour = {**dict.fromkeys(FEATURES, "#dbe9f7"), **dict.fromkeys(SERVICES, "#e3f2e1"),
              **dict.fromkeys(TOOLS, "#fdf2d0")}
    lines = ["digraph eventapp {",
             '  rankdir=TB; nodesep=0.25; ranksep=0.9; node [shape=box, style="rounded,filled", fontname="Helvetica"];',
             '  edge [arrowsize=0.6];']
    for label, members in (("features", FEATURES), ("shared services, each with pages of its own", SERVICES),
                           ("tools", TOOLS)):
        present = [m for m in members if m in rooms or any(m in t for t in rooms.values())]
        lines.append(f'  subgraph "cluster_{label}" {{ label="{label}"; color="#999999";')
        lines += [f'    "{m}" [fillcolor="{colour[m]}"];' for m in present]
        lines.append("  }")
    wrapped = "\\n".join(", ".join(shared[i:i + 6]) for i in range(0, len(shared), 6))
    lines.append(f'  "shared" [label="shared layers\\n{wrapped}", fillcolor="#eeeeee"];')
    for source in sorted(set(rooms) - {"eventapp"} - set(shared)):
        targets = {t if t not in shared else "shared" for t in rooms[source]} - {"eventapp"}
        for target in sorted(targets):
            style = "#7f8c8d" if target == "shared" else "#2e7d32" if target in SERVICES else "#1f5fa8"
            lines.append(f'  "{source}" -> "{target}" [color="{style}"];')
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    docs = Path(__file__).resolve().parent
    dot_file = draw(docs / "imports.dot")
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tsvg", str(dot_file), "-o", str(docs / "imports.svg")], check=True)
        subprocess.run(["dot", "-Tpng", "-Gdpi=80", str(dot_file), "-o", str(docs / "imports.png")], check=True)
    print(f"Đã vẽ {dot_file}")


if __name__ == "__main__":
    main()
