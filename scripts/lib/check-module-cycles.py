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
is 1. scripts/lib/module-layers.txt may give a crate's modules a layer order (`crate: a b`, one
layer a line, lowest first): then every top-level module must have a layer, and a module that uses
one of a higher layer fails the check too. scripts/lib/module-cycles-allowed.txt may list edges (`a -> b`, optionally prefixed by the
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
from dataclasses import dataclass
from pathlib import Path

# The check's parts live in scripts/lib/module_cycles/ (this file's folder is first on sys.path);
# no __pycache__ left beside them in the checkout.
sys.dont_write_bytecode = True
from module_cycles.graph import analyse, cycles, shortest_path, successors
from module_cycles.layers import read_layers, violations

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ALLOW = ROOT / "scripts" / "lib" / "module-cycles-allowed.txt"
DEFAULT_LAYERS = ROOT / "scripts" / "lib" / "module-layers.txt"
# Where one edge's locations stop being listed one by one.
MAX_LOCATIONS = 6


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


def check(srcs: list[tuple[Path, Path]], allowed: list[Allowed], out=sys.stdout,
          layers: dict[str, dict[str, int]] | None = None) -> bool:
    """True when no crate has a cycle (after the allowed edges are left out) or a module that
    uses a higher layer."""
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
        for problem in violations(crate_name, crate.nodes, crate.edges, layers or {}):
            ok = False
            print(problem, file=out)
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

        layers_file = tmp_path / "layers.txt"
        name = str(acyclic.parent)
        layers_file.write_text(f"# lowest first\n{name}: alpha\n{name}: beta\n", encoding="utf-8")
        layers, problems = read_layers(layers_file)
        expect("layer file problems", problems, [])
        expect("beta uses the lower alpha", check([(acyclic, acyclic)], [], io.StringIO(), layers), True)
        layers_file.write_text(f"{name}: beta\n{name}: alpha\n", encoding="utf-8")
        out = io.StringIO()
        expect("beta uses the higher alpha", check([(acyclic, acyclic)], [], out, read_layers(layers_file)[0]), False)
        expect("layer report", "beta (layer 0) uses alpha, a higher layer (1)" in out.getvalue(), True)
        layers_file.write_text(f"{name}: alpha\n", encoding="utf-8")
        out = io.StringIO()
        expect("a module without a layer", check([(acyclic, acyclic)], [], out, read_layers(layers_file)[0]), False)
        expect("unlisted report", "module beta has no layer" in out.getvalue(), True)

    for failure in failures:
        print(f"self-test failed: {failure}", file=sys.stderr)
    if not failures:
        print("check-module-cycles self-test: ok")
    return not failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true", help="check the check on two made-up crates")
    parser.add_argument("--allow", type=Path, default=DEFAULT_ALLOW, help="the allow-list of edges")
    parser.add_argument("--layers", type=Path, default=DEFAULT_LAYERS, help="the crates' layer orders")
    parser.add_argument("src", nargs="*", type=Path, help="a crate's src folder (default: the workspace's)")
    args = parser.parse_args()
    if args.self_test:
        return 0 if self_test() else 1
    srcs = [(s.resolve(), s) for s in args.src] if args.src else workspace_srcs()
    allowed, problems = read_allowed(args.allow)
    layers, layer_problems = read_layers(args.layers)
    problems += layer_problems
    ok = check(srcs, allowed, layers=layers)
    for a in allowed:
        if a.stale:
            problems.append(f"{a.where}: allowed edge {a.edge[0]} -> {a.edge[1]} closes no cycle any more: remove it")
        elif not a.used and not args.src:
            problems.append(f"{a.where}: allowed edge {a.edge[0]} -> {a.edge[1]} no longer exists: remove it")
    for problem in problems:
        print(problem)
    if ok and not problems:
        print(f"no module cycles ({len(srcs)} crates), no module above its layer ({len(layers)} ordered)")
    return 0 if ok and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
