"""A crate's graph of top-level modules (an edge a -> b: a path in a's files reaches b) and its
cycles."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .rust import Reference, absolute, references

CRATE_ROOTS = ("lib.rs", "main.rs")


# --- One crate -----------------------------------------------------------------------------------


@dataclass
class Crate:
    src: Path
    nodes: set[str] = field(default_factory=set)
    # Names the root defines by `use`: name -> top-level module, or None (an extern crate).
    root_names: dict[str, str | None] = field(default_factory=dict)
    # edges[(a, b)] = ["file:line", ...]
    edges: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def rust_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.rs") if p.is_file())


def module_of(src: Path, file: Path) -> list[str]:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts and parts[-1] == "mod":
        parts.pop()
    return parts


def read_root_names(src: Path, nodes: set[str]) -> dict[str, str | None]:
    """What the crate roots import or re-export, resolved to the top-level module it comes from."""
    raw: dict[str, list[str]] = {}
    for root in CRATE_ROOTS:
        file = src / root
        if not file.is_file():
            continue
        for ref in references(file.read_text(encoding="utf-8"), []):
            if not ref.in_use or ref.path[-1] == "*":
                continue
            name = ref.alias or ref.path[-1]
            path = [s for s in ref.path if s not in ("crate", "$crate", "self")]
            if name == "self" and len(ref.path) > 1:
                name = ref.alias or ref.path[-2]
                path = path[:-1]
            if name != "_" and path:
                raw[name] = path
    resolved: dict[str, str | None] = {}

    def resolve(name: str, seen: frozenset[str]) -> str | None:
        if name in resolved:
            return resolved[name]
        first = raw[name][0]
        if first in nodes:
            target: str | None = first
        elif first in raw and first not in seen and first != name:
            target = resolve(first, seen | {name})
        else:
            target = None  # an extern crate (or std)
        resolved[name] = target
        return target

    for name in raw:
        resolve(name, frozenset())
    return resolved


def analyse(src: Path, label: Path | None = None) -> Crate:
    """The module graph of the crate whose sources are in `src`."""
    crate = Crate(src)
    for entry in src.iterdir():
        if entry.is_dir() and any(entry.rglob("*.rs")):
            crate.nodes.add(entry.name)
        elif entry.suffix == ".rs" and entry.name not in CRATE_ROOTS:
            crate.nodes.add(entry.stem)
    crate.root_names = read_root_names(src, crate.nodes)
    shown = label if label is not None else src
    for file in rust_files(src):
        module = module_of(src, file)
        if not module or module[0] in CRATE_ROOTS or module[0] not in crate.nodes:
            continue
        where = shown / file.relative_to(src)
        for ref in references(file.read_text(encoding="utf-8"), module):
            target = target_of(crate, ref)
            if target is None or target == ref.module[0]:
                continue
            places = crate.edges.setdefault((ref.module[0], target), [])
            if f"{where}:{ref.line}" not in places:
                places.append(f"{where}:{ref.line}")
    return crate


def target_of(crate: Crate, ref: Reference) -> str | None:
    path = absolute(ref.module, ref.path)
    if not path or path[0] in ("*", "self"):
        return None
    first = path[0]
    if first in crate.nodes:
        return first
    return crate.root_names.get(first)


# --- Cycles --------------------------------------------------------------------------------------


def successors(edges: set[tuple[str, str]]) -> dict[str, list[str]]:
    succ: dict[str, list[str]] = {}
    for a, b in sorted(edges):
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    return succ


def shortest_path(succ: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
    """The shortest path start -> ... -> goal (breadth first, ties broken by name)."""
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        if v == goal:
            path = [v]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for w in succ.get(v, []):
            if w not in previous:
                previous[w] = v
                queue.append(w)
    return None


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Cycles that together hold every edge lying on a cycle: for each such edge a -> b, the
    shortest cycle through it (a -> b -> ... -> a), each cycle once, starting at its smallest
    node."""
    succ = successors(edges)
    found: list[list[str]] = []
    for a, b in sorted(edges):
        back = shortest_path(succ, b, a)
        if back is None:
            continue
        ring = [a] + back[:-1]
        k = ring.index(min(ring))
        ring = ring[k:] + ring[:k]
        if ring + [ring[0]] not in found:
            found.append(ring + [ring[0]])
    found.sort(key=lambda c: (len(c), c))
    return found
