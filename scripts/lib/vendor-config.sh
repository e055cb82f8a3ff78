#!/usr/bin/env bash
# Writes the Tauri configuration that makes the installers the vendor's product (name, identifier,
# program name, publisher, icons, Linux desktop entry), made from the vendor's profile, into OUT_DIR:
# tauri.json (for `tauri build --config`), app.desktop, icons/. Usage: scripts/lib/vendor-config.sh
# PROFILE.toml OUT_DIR. scripts/vendor-build and the release workflow run it; it needs cargo and the
# Tauri CLI of tools/tauri-cli (npm ci), and fails naming the field when the profile is not a release's.
source "$(dirname "$0")/help.sh" "$@"
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/lib/vendor-config.sh PROFILE.toml OUT_DIR" >&2; exit 2; }
profile=$(realpath -- "$1") || { echo "error: the profile $1 does not exist" >&2; exit 2; }
out=$(realpath -m -- "$2")
cd "$(dirname "$0")/../.."
mkdir -p "$out"
# The profile crate's own parser and release check; it prints the icon to make the set from.
icon=$(cargo run --quiet --locked -p inbox-connect-profile --bin tauri-vendor-config -- \
  "$profile" "$out" tauri.conf.json)
if [ -n "$icon" ]; then
  rm -rf "$out/icons"
  # Quiet unless it fails: it names each of its sixty files.
  node tools/tauri-cli/node_modules/@tauri-apps/cli/tauri.js icon "$icon" --output "$out/icons" \
    >"$out/icons.log" 2>&1 || { cat "$out/icons.log" >&2; exit 1; }
fi
