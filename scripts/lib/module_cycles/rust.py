"""Reading Rust source: comments and literals blanked out, tokens, `use` trees, and every path
that starts at `crate`, `super` or `self`, resolved from the crate root."""

from __future__ import annotations

import re
from dataclasses import dataclass


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
