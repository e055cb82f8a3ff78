#!/usr/bin/env bash
# Windows and macOS from Linux (issue 21), so per-OS code cannot rot unseen between releases:
#   1. builds the Windows CLI and the vendor app (x86_64-pc-windows-gnu, mingw-w64);
#   2. runs the Windows unit tests (profile, core, CLI, app) under Wine;
#   3. runs the Windows CLI under Wine against the sandbox: connect, status, disconnect and a blocked
#      sign-in, looking into Wine's Credential Manager (crates/inbox-connect-cli/tests/it/wine.rs);
#   4. `cargo check`s the CLI, both app flavours and the unit tests for both macOS targets, with
#      zig as the C compiler (linking needs Apple's SDK, which Linux has not).
# Called by scripts/test; runs on its own too. Installs what it needs (Debian 12 / Ubuntu; as root
# or with sudo) and only checks on later runs. Wine runs in a throwaway prefix under target/.
# What only the release workflow's Windows and macOS runners prove: docs/release.md.
source "$(dirname "$0")/help.sh" "$@"
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/setup.sh

WINDOWS=x86_64-pc-windows-gnu
APPLE=(aarch64-apple-darwin x86_64-apple-darwin)
ZIG_VERSION=0.14.1
# The vendor flavour is built with the sample vendor's profile (build.rs requires one).
VENDOR_PROFILE=tests/vendor/acme-vendor.toml
# Debian's wine64 without the 32-bit half: called directly, so no "wine32 is missing" on each run.
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver64

ensure_rust_targets() {
  local installed missing=() target
  installed=$(rustup target list --installed)
  for target in "$@"; do
    grep -qx "$target" <<<"$installed" || missing+=("$target")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "adding Rust targets: ${missing[*]}"
  rustup target add "${missing[@]}"
}

# zig (PyPI's ziglang, in a private venv) as the C compiler and archiver for the Apple targets:
# build scripts (ring, aws-lc-sys, ...) compile C even for `cargo check`. One wrapper per target.
ZIG_VENV=target/tools/zig
ensure_zig() {
  local python=$ZIG_VENV/bin/python target
  if ! "$python" -m ziglang version 2>/dev/null | grep -qx "$ZIG_VERSION"; then
    log "installing ziglang $ZIG_VERSION into $ZIG_VENV"
    if ! python3 -m venv --clear "$ZIG_VENV" >/dev/null 2>&1; then
      ensure_packages python3-venv
      python3 -m venv --clear "$ZIG_VENV"
    fi
    "$ZIG_VENV/bin/pip" install --quiet --disable-pip-version-check "ziglang==$ZIG_VERSION"
  fi
  # cc-rs also passes clang's --target=arm64-apple-macosx, which zig does not know: dropped.
  for target in aarch64-macos x86_64-macos; do
    {
      echo '#!/bin/sh'
      # shellcheck disable=SC2016 # written as it is, expanded by the wrapper
      echo 'for arg do shift; case $arg in --target=*) ;; *) set -- "$@" "$arg" ;; esac; done'
      echo "exec \"$PWD/$python\" -m ziglang cc -target $target \"\$@\""
    } >"$ZIG_VENV/bin/cc-$target"
    chmod +x "$ZIG_VENV/bin/cc-$target"
  done
  printf '#!/bin/sh\nexec "%s" -m ziglang ar "$@"\n' "$PWD/$python" >"$ZIG_VENV/bin/ar"
  chmod +x "$ZIG_VENV/bin/ar"
}

ensure_rust
ensure_packages gcc-mingw-w64-x86-64 wine wine64 python3
ensure_rust_targets "$WINDOWS" "${APPLE[@]}"
ensure_zig

# A warning in code only Windows or macOS compiles (an unused item, a deprecation) fails here, as
# clippy's would on Linux; these flags touch only the cross targets' artifacts.
for target in "$WINDOWS" "${APPLE[@]}"; do
  export "CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$target")_RUSTFLAGS=-Dwarnings"
done

# --- Windows ------------------------------------------------------------------------------------
started=$SECONDS
# One cargo call per step, so the packages' features unify once and each crate is built once.
UNIT_TESTS=(-p inbox-connect-profile -p inbox-connect-core -p inbox-connect-cli -p inbox-connect
  --lib --bin inbox-connect-cli)
log "Windows: building the CLI and the vendor app (no sandbox, $VENDOR_PROFILE bundled)"
INBOX_CONNECT_PROFILE=$VENDOR_PROFILE cargo build --locked --target "$WINDOWS" --bins \
  -p inbox-connect-cli -p inbox-connect --no-default-features --features inbox-connect/custom-protocol
log "Windows: building the unit tests"
cargo test --locked --target "$WINDOWS" --no-run "${UNIT_TESTS[@]}"

prefix=$(mktemp -d "$PWD/target/cross-wine.XXXXXX")
export WINEPREFIX=$prefix WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko installer prompts while the prefix is made: nothing here needs them.
export WINEDLLOVERRIDES="mscoree,mshtml="
stop_wine() {
  "$WINESERVER" -k 2>/dev/null || true
  "$WINESERVER" -w 2>/dev/null || true
  rm -rf "$prefix"
}
trap stop_wine EXIT
log "Wine: a fresh prefix in $prefix, with the ProcessPrng stand-in (scripts/lib/wine/)"
"$WINE" wineboot --init >/dev/null 2>&1
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$prefix/drive_c/windows/system32/bcryptprimitives.dll" \
  scripts/lib/wine/bcryptprimitives.c -ladvapi32

log "Windows: unit tests under Wine"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=$WINE
# The app's test binary (in deps/) loads WebView2Loader.dll, which the build puts one folder up.
WINEPATH=$("$WINE" winepath -w "$PWD/target/$WINDOWS/debug")
export WINEPATH
cargo test --locked --target "$WINDOWS" "${UNIT_TESTS[@]}"
unset CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER

log "Windows: the CLI under Wine against the sandbox"
INBOX_CONNECT_WINDOWS_CLI=$PWD/target/$WINDOWS/debug/inbox-connect-cli.exe \
  INBOX_CONNECT_WINDOWS_RUNNER=$WINE \
  cargo test --locked --workspace --test it -- --ignored wine::
log "Windows: done in $((SECONDS - started)) s"

# --- macOS --------------------------------------------------------------------------------------
started=$SECONDS
for target in "${APPLE[@]}"; do
  zig_target=${target%%-*}-macos
  env_target=${target//-/_}
  export "CC_$env_target=$PWD/$ZIG_VENV/bin/cc-$zig_target" "AR_$env_target=$PWD/$ZIG_VENV/bin/ar"
  log "macOS: checking the CLI, the demo app and the unit tests ($target)"
  cargo check --locked --target "$target" -p inbox-connect-cli -p inbox-connect --bins
  cargo check --locked --target "$target" --profile test \
    -p inbox-connect-profile -p inbox-connect-core -p inbox-connect-cli -p inbox-connect --lib --bins
  log "macOS: checking the vendor app ($target)"
  INBOX_CONNECT_PROFILE=$VENDOR_PROFILE cargo check --locked --target "$target" -p inbox-connect \
    --no-default-features --features custom-protocol --bins
done
log "macOS: done in $((SECONDS - started)) s"
