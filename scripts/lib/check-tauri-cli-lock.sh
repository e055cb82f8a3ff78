#!/usr/bin/env bash
# Checks that tools/tauri-cli/package-lock.json lists every platform's prebuilt Tauri CLI, so that
# `npm ci --prefix tools/tauri-cli` works on Linux, Windows and macOS alike: each package named in
# @tauri-apps/cli's optionalDependencies must be in the lock, at that version, with an integrity hash.
# A lock made on one machine from a pruned install lacks the others, and `npm ci` then fails with
# "Missing: @tauri-apps/cli-darwin-arm64@... from lock file". How to update: tools/tauri-cli/README.md.
# Usage: scripts/lib/check-tauri-cli-lock.sh [path/to/package-lock.json]
source "$(dirname "$0")/help.sh" "$@"
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lock=${1:-$root/tools/tauri-cli/package-lock.json}
[ -f "$lock" ] || { echo "error: $lock not found" >&2; exit 1; }

node - "$lock" <<'EOF'
const fs = require("fs");
const lockPath = process.argv[2];
const lock = JSON.parse(fs.readFileSync(lockPath, "utf8"));
const packages = lock.packages || {};
const problems = [];
const cli = packages["node_modules/@tauri-apps/cli"];
if (!cli) {
  problems.push(`@tauri-apps/cli is not in the lock`);
} else {
  const pinned = ((packages[""] || {}).devDependencies || {})["@tauri-apps/cli"];
  if (pinned !== cli.version) {
    problems.push(`package.json pins @tauri-apps/cli ${pinned}, the lock has ${cli.version}: pin an exact version and regenerate the lock`);
  }
  const optional = cli.optionalDependencies || {};
  if (Object.keys(optional).length === 0) {
    problems.push(`@tauri-apps/cli lists no optionalDependencies (the per-platform binaries)`);
  }
  for (const [name, version] of Object.entries(optional)) {
    const entry = packages[`node_modules/${name}`];
    if (!entry) problems.push(`${name}@${version} is missing from the lock`);
    else if (entry.version !== version) problems.push(`${name} is ${entry.version} in the lock, @tauri-apps/cli wants ${version}`);
    else if (!entry.integrity) problems.push(`${name}@${version} has no integrity hash in the lock`);
  }
  if (problems.length === 0) {
    console.log(`${lockPath}: @tauri-apps/cli ${cli.version} with all ${Object.keys(optional).length} platform packages`);
  }
}
if (problems.length) {
  for (const p of problems) console.error(`error: ${lockPath}: ${p}`);
  console.error(`fix: see tools/tauri-cli/README.md (regenerate with npm install --package-lock-only)`);
  process.exit(1);
}
EOF
