#!/usr/bin/env bash
# Runs a command inside what the tests need from a desktop: a private D-Bus session bus, an unlocked
# gnome-keyring (the real Secret Service, with a throwaway HOME so no real keyring is touched) and an
# Xvfb display for the app window. Usage: scripts/lib/test-session.sh COMMAND [ARGS...]
set -euo pipefail

if [ -z "${INBOX_CONNECT_IN_TEST_SESSION:-}" ]; then
  export INBOX_CONNECT_IN_TEST_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

# Cargo and rustup live under the real HOME; keep them reachable before HOME moves.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
sandbox_home=$(mktemp -d)
export HOME="$sandbox_home"
export XDG_RUNTIME_DIR="$sandbox_home/runtime" XDG_DATA_HOME="$sandbox_home/data" XDG_CONFIG_HOME="$sandbox_home/config"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"

printf %s "inbox-connect-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null

xvfb_pid=""
if [ -z "${DISPLAY:-}" ]; then
  display=":$((90 + RANDOM % 400))"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  export DISPLAY="$display"
fi
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$sandbox_home"; }
trap cleanup EXIT

"$@"
