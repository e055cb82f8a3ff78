"""The parts of scripts/lib/check-module-cycles.py (the command, its allow-list and its self-test):
`rust` reads the crate-relative paths out of Rust source, `graph` builds a crate's graph of
top-level modules from them and finds its cycles."""
