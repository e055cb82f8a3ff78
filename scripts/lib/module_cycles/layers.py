"""The layer order of a crate's top-level modules (scripts/lib/module-layers.txt): a module may use
modules of its own layer or lower ones, never a higher one."""

from __future__ import annotations

from pathlib import Path


def read_layers(file: Path) -> tuple[dict[str, dict[str, int]], list[str]]:
    """crate -> module -> layer (0 lowest), and the file's problems. A line is `crate: a b c`,
    one layer, lowest first; `#` starts a comment."""
    layers: dict[str, dict[str, int]] = {}
    problems: list[str] = []
    if not file.is_file():
        return layers, problems
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        crate, sep, modules = text.partition(":")
        if not sep or not modules.split():
            problems.append(f"{file}:{number}: want `crate: module module ...`, got {line!r}")
            continue
        order = layers.setdefault(crate.strip(), {})
        layer = len(set(order.values()))
        for module in modules.split():
            if module in order:
                problems.append(f"{file}:{number}: {module} is in two layers")
            order[module] = layer
    return layers, problems


def violations(crate: str, nodes: set[str], edges: dict[tuple[str, str], list[str]],
               layers: dict[str, dict[str, int]]) -> list[str]:
    """What breaks the crate's layer order (nothing when it has none)."""
    order = layers.get(crate)
    if order is None:
        return []
    found = [f"{crate}: module {m} has no layer in the layer order" for m in sorted(nodes - order.keys())]
    found += [f"{crate}: the layer order names {m}, which is no module" for m in sorted(order.keys() - nodes)]
    for (a, b), places in sorted(edges.items()):
        if a in order and b in order and order[b] > order[a]:
            found.append(f"{crate}: {a} (layer {order[a]}) uses {b}, a higher layer ({order[b]}): "
                         + ", ".join(places[:3]))
    return found
