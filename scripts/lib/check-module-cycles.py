#!/usr/bin/env python3
"""Fails when the top-level modules of a crate depend on each other in a circle.

For each crate of the workspace (crates/*/src, sandbox/src, src-tauri/src) the nodes are the
crate's top-level modules: each file or folder directly under src/ (`connection.rs` and
`connection/` are one node, `connection`). The crate root (lib.rs, main.rs) is not a node. An
edge a -> b is a path in a's files (submodules count toward their top-level module) that reaches
b: `use crate::b...`, `crate::b::...` anywhere in code, `super::` paths that climb to the root and
down into b, and names the root re-exports from b (`pub use b::Thing;` in lib.rs, then
`crate::Thing` in a). Comments and string literals are ignored.

Each cycle is printed as `a -> b -> a`, followed by the file:line of each edge; the exit status
is 1. scripts/lib/module-cycles-allowed.txt may list edges (`a -> b`, optionally prefixed by the
crate's folder: `crates/inbox-connect-core: a -> b`) that are left out of the graph, each with a
comment saying why; an allowed edge that no longer exists, or closes no cycle any more, is an
error too.

    check-module-cycles.py [--allow FILE] [SRC_DIR ...]   # default: the workspace's crates
    check-module-cycles.py --self-test                     # the check on two made-up crates
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ALLOW = ROOT / "scripts" / "lib" / "module-cycles-allowed.txt"
CRATE_ROOTS = ("lib.rs", "main.rs")
# Where one edge's locations stop being listed one by one.
MAX_LOCATIONS = 6


# --- Reading Rust source -------------------------------------------------------------------------


def strip_comments_and_strings(text: str) -> str:
    """`text` with comments, string and char literals blanked out (newlines kept, for lines)."""
    out: list[str] = []
    i, n = 0, len(text)

    def blank(s: str) -> str:
        return "".join("\n" if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(blank(text[i:end]))
            i = end
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(blank(text[i:j]))
            i = j
        elif (raw := re.match(r'(?:b|c)?r(#*)"', text[i:])) and not _ident_before(text, i):
            close = '"' + raw.group(1)
            end = text.find(close, i + raw.end())
            end = n if end < 0 else end + len(close)
            out.append(blank(text[i:end]))
            i = end
        elif c == '"' or (c in "bc" and text.startswith('"', i + 1) and not _ident_before(text, i)):
            j = i + (1 if c == '"' else 2)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(blank(text[i : j + 1]))
            i = j + 1
        elif c == "'":
            # A char literal ('a', '\n', '\u{1F600}', b'x' handled as 'x'), else a lifetime.
            char = re.match(r"'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'", text[i:])
            if char:
                out.append(blank(char.group(0)))
                i += char.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _ident_before(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")


TOKEN = re.compile(r"\$?[A-Za-z_][A-Za-z0-9_]*|r#[A-Za-z_][A-Za-z0-9_]*|::|[{}();,*#\[\]!=<>]|\S")


@dataclass
class Token:
    text: str
    line: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    line, pos = 1, 0
    for m in TOKEN.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        word = m.group(0)
        tokens.append(Token(word[2:] if word.startswith("r#") else word, line))
    return tokens


def parse_use_tree(tokens: list[Token], i: int, prefix: list[str]) -> tuple[list[tuple[list[str], str | None, int]], int]:
    """Parses a use tree at `tokens[i]`; returns ([(path, alias, line)], index after the tree)."""
    out: list[tuple[list[str], str | None, int]] = []
    path = list(prefix)
    line = tokens[i].line if i < len(tokens) else 0
    if i < len(tokens) and tokens[i].text == "::":
        i += 1  # `use ::extern_crate::...`
    while i < len(tokens):
        t = tokens[i].text
        if t == "{":
            i += 1
            while i < len(tokens) and tokens[i].text != "}":
                sub, i = parse_use_tree(tokens, i, path)
                out.extend(sub)
                if i < len(tokens) and tokens[i].text == ",":
                    i += 1
            return out, i + 1
        if t == "*":
            out.append((path + ["*"], None, tokens[i].line))
            return out, i + 1
        if re.fullmatch(r"\$?[A-Za-z_][A-Za-z0-9_]*", t):
            path.append(t)
            line = tokens[i].line
            i += 1
            if i < len(tokens) and tokens[i].text == "::":
                i += 1
                continue
            alias = None
            if i + 1 < len(tokens) and tokens[i].text == "as":
                alias = tokens[i + 1].text
                i += 2
            out.append((path, alias, line))
            return out, i
        return out, i  # something unexpected: stop at it
    return out, i


@dataclass
class Reference:
    """A path in module `module` (segments from the root) that starts at crate/super/self."""

    module: list[str]
    path: list[str]
    line: int
    alias: str | None = None
    in_use: bool = False


PATH_START = {"crate", "$crate", "super", "self"}


def references(text: str, module: list[str]) -> list[Reference]:
    """Every crate-, super- or self-relative path of one file, with the module it is written in
    (inline `mod name { ... }` blocks deepen the module)."""
    tokens = tokenize(strip_comments_and_strings(text))
    refs: list[Reference] = []
    inline: list[tuple[str, int]] = []  # (name, brace depth at which it was opened)
    depth = 0
    i = 0

    def here() -> list[str]:
        return module + [name for name, _ in inline]

    while i < len(tokens):
        t = tokens[i].text
        if t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
            if inline and inline[-1][1] == depth:
                inline.pop()
        elif t == "mod" and i + 2 < len(tokens) and tokens[i + 2].text == "{":
            inline.append((tokens[i + 1].text, depth))
            i += 2
            continue
        elif t == "use" and (i == 0 or tokens[i - 1].text != "::"):
            trees, end = parse_use_tree(tokens, i + 1, [])
            for path, alias, line in trees:
                refs.append(Reference(here(), path, line, alias, in_use=True))
            i = end
            continue
        elif t in PATH_START and i + 1 < len(tokens) and tokens[i + 1].text == "::":
            if i > 0 and tokens[i - 1].text == "::":
                i += 1
                continue
            path = [t]
            line = tokens[i].line
            j = i + 1
            while j + 1 < len(tokens) and tokens[j].text == "::" and re.fullmatch(
                r"\$?[A-Za-z_][A-Za-z0-9_]*", tokens[j + 1].text
            ):
                path.append(tokens[j + 1].text)
                j += 2
            refs.append(Reference(here(), path, line))
            i = j
            continue
        i += 1
    return refs


def absolute(module: list[str], path: list[str]) -> list[str] | None:
    """The path from the crate root, or None when it does not start at crate/super/self."""
    if not path:
        return None
    if path[0] in ("crate", "$crate"):
        return path[1:]
    if path[0] == "self":
        return module + path[1:]
    if path[0] == "super":
        here = list(module)
        k = 0
        while k < len(path) and path[k] == "super":
            if not here:
                return None  # climbs above the root: not valid Rust
            here.pop()
            k += 1
        # `super::self::x` is allowed too.
        rest = path[k:]
        if rest and rest[0] == "self":
            rest = rest[1:]
        return here + rest
    return None


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


# --- The allow-list ------------------------------------------------------------------------------


@dataclass
class Allowed:
    crate: str | None
    edge: tuple[str, str]
    where: str
    used: bool = False
    # It exists but closes no circle any more.
    stale: bool = False


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def read_allowed(file: Path) -> tuple[list[Allowed], list[str]]:
    allowed: list[Allowed] = []
    problems: list[str] = []
    if not file.is_file():
        return allowed, problems
    pending_comment = False
    for number, raw in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        where = f"{display(file)}:{number}"
        if not line:
            pending_comment = False
            continue
        if line.startswith("#"):
            pending_comment = True
            continue
        body, _, trailing = line.partition("#")
        m = re.fullmatch(r"(?:(\S+):\s*)?([A-Za-z0-9_]+)\s*->\s*([A-Za-z0-9_]+)", body.strip())
        if not m:
            problems.append(f"{where}: not an edge `a -> b` (or `crate/folder: a -> b`): {raw}")
            continue
        if not (pending_comment or trailing.strip()):
            problems.append(f"{where}: say why this edge is allowed (a `#` comment above or after it)")
        allowed.append(Allowed(m.group(1), (m.group(2), m.group(3)), where))
    return allowed, problems


# --- The check -----------------------------------------------------------------------------------


def check(srcs: list[tuple[Path, Path]], allowed: list[Allowed], out=sys.stdout) -> bool:
    """True when no crate has a cycle (after the allowed edges are left out)."""
    ok = True
    for src, label in srcs:
        crate = analyse(src, label)
        crate_name = str(label.parent) if label.name == "src" else str(label)
        edges = set(crate.edges)
        for a in allowed:
            if a.crate not in (None, crate_name) or a.edge not in edges:
                continue
            a.used = True
            if shortest_path(successors(set(crate.edges)), a.edge[1], a.edge[0]) is None:
                a.stale = True
                continue
            edges.discard(a.edge)
            print(f"note: {crate_name}: allowed edge {a.edge[0]} -> {a.edge[1]} ({a.where}): "
                  + ", ".join(crate.edges[a.edge][:MAX_LOCATIONS]), file=out)
        for cycle in cycles(edges):
            ok = False
            print(f"module cycle in {crate_name}: " + " -> ".join(cycle), file=out)
            for a, b in zip(cycle, cycle[1:]):
                places = crate.edges[(a, b)]
                more = f" (+{len(places) - MAX_LOCATIONS} more)" if len(places) > MAX_LOCATIONS else ""
                print(f"  {a} -> {b}: " + ", ".join(places[:MAX_LOCATIONS]) + more, file=out)
    return ok


def workspace_srcs() -> list[tuple[Path, Path]]:
    folders = sorted((ROOT / "crates").glob("*/src")) + [ROOT / "sandbox" / "src", ROOT / "src-tauri" / "src"]
    return [(f, f.relative_to(ROOT)) for f in folders if f.is_dir()]


# --- Self test -----------------------------------------------------------------------------------


def write_crate(base: Path, files: dict[str, str]) -> Path:
    src = base / "src"
    for name, text in files.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return src


def self_test() -> bool:
    """Two made-up crates: one with a cycle (through a lib.rs re-export and a `super::super`
    path), one without (whose cross references hide in comments, strings, inline test modules
    and extern-crate re-exports). Also checks the allow-list lets a listed edge through."""
    import io

    failures: list[str] = []

    def expect(what: str, got: object, want: object) -> None:
        if got != want:
            failures.append(f"{what}: got {got!r}, want {want!r}")

    with tempfile.TemporaryDirectory(prefix="module-cycles-") as tmp:
        tmp_path = Path(tmp)
        cyclic = write_crate(tmp_path / "cyclic", {
            "lib.rs": "mod alpha;\npub mod beta;\nmod gamma;\npub use beta::Thing as Renamed;\n"
                      "pub use serde as ser;\n",
            "alpha.rs": "use crate::Renamed;\npub struct A;\n",
            "beta/mod.rs": "mod deep;\npub struct Thing;\n",
            "beta/deep.rs": "pub fn f() -> super::super::gamma::G { todo!() }\n",
            "gamma.rs": "use crate::{ser::Serialize, alpha::{self, A}};\npub struct G;\n",
        })
        acyclic = write_crate(tmp_path / "acyclic", {
            "lib.rs": "mod alpha;\nmod beta;\npub use alpha::A;\npub use serde as ser;\n",
            "alpha.rs": "// use crate::beta;\n/* crate::beta::B /* nested */ */\n"
                        "pub struct A;\nconst S: &str = \"crate::beta::B\";\n"
                        "const R: &str = r#\"super::beta\"#;\nfn l<'a>(x: &'a str) -> char { 'b' }\n"
                        "use crate::ser::Serialize;\n"
                        "#[cfg(test)]\nmod tests {\n    use super::*;\n    use super::A as Z;\n}\n",
            "beta.rs": "use crate::A;\nuse super::alpha::A as Same;\n"
                       "fn g() { let _ = crate::alpha::A; }\n",
        })
        graph = analyse(cyclic)
        expect("cyclic nodes", graph.nodes, {"alpha", "beta", "gamma"})
        expect("cyclic edges", set(graph.edges), {("alpha", "beta"), ("beta", "gamma"), ("gamma", "alpha")})
        expect("edge location", graph.edges.get(("beta", "gamma")), [f"{cyclic}/beta/deep.rs:1"])
        expect("cyclic cycles", cycles(set(graph.edges)), [["alpha", "beta", "gamma", "alpha"]])
        out = io.StringIO()
        expect("cyclic verdict", check([(cyclic, cyclic)], [], out), False)
        expect("cyclic report", "module cycle in" in out.getvalue() and "alpha -> beta" in out.getvalue(), True)

        graph = analyse(acyclic)
        expect("acyclic edges", set(graph.edges), {("beta", "alpha")})
        expect("acyclic verdict", check([(acyclic, acyclic)], [], io.StringIO()), True)

        allow_file = tmp_path / "allowed.txt"
        allow_file.write_text("# gamma reads alpha until the split\ngamma -> alpha\n", encoding="utf-8")
        allowed, problems = read_allowed(allow_file)
        expect("allow-list problems", problems, [])
        expect("allowed verdict", check([(cyclic, cyclic)], allowed, io.StringIO()), True)
        expect("allowed edge used", [a.used for a in allowed], [True])
        stale_file = tmp_path / "stale.txt"
        stale_file.write_text("beta -> alpha  # beta reads alpha\n", encoding="utf-8")
        stale = read_allowed(stale_file)[0]
        check([(acyclic, acyclic)], stale, io.StringIO())
        expect("allowed edge on no cycle is stale", [a.stale for a in stale], [True])
        allow_file.write_text("gamma -> alpha\n", encoding="utf-8")
        expect("uncommented allowed edge", len(read_allowed(allow_file)[1]), 1)

    for failure in failures:
        print(f"self-test failed: {failure}", file=sys.stderr)
    if not failures:
        print("check-module-cycles self-test: ok")
    return not failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true", help="check the check on two made-up crates")
    parser.add_argument("--allow", type=Path, default=DEFAULT_ALLOW, help="the allow-list of edges")
    parser.add_argument("src", nargs="*", type=Path, help="a crate's src folder (default: the workspace's)")
    args = parser.parse_args()
    if args.self_test:
        return 0 if self_test() else 1
    srcs = [(s.resolve(), s) for s in args.src] if args.src else workspace_srcs()
    allowed, problems = read_allowed(args.allow)
    ok = check(srcs, allowed)
    for a in allowed:
        if a.stale:
            problems.append(f"{a.where}: allowed edge {a.edge[0]} -> {a.edge[1]} closes no cycle any more: remove it")
        elif not a.used and not args.src:
            problems.append(f"{a.where}: allowed edge {a.edge[0]} -> {a.edge[1]} no longer exists: remove it")
    for problem in problems:
        print(problem)
    if ok and not problems:
        print(f"no module cycles ({len(srcs)} crates)")
    return 0 if ok and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
