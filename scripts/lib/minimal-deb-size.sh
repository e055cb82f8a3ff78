#!/usr/bin/env bash
# The baselines of the installer-size figure: builds tools/minimal-tauri (a minimal Tauri v2 app with
# the same tauri versions and [profile.release] as the app) into a .deb with the pinned Tauri CLI,
# unless its .deb is newer than its sources, and prints what it measured as shell assignments:
#   deb='…/Minimal Tauri_0.1.0_amd64.deb'  deb_bytes=…  deb_mib=2.36
#   binary='…/minimal-tauri'               binary_bytes=…  binary_mb=6.79
# (paths relative to the repository root; MiB = 2^20 bytes, MB = 10^6 bytes). For scripts/bench:
#   eval "$(scripts/lib/minimal-deb-size.sh)"          # the minimal app
#   eval "$(scripts/lib/minimal-deb-size.sh floor)"    # with the crates the app cannot do without
# The floor build has a target folder of its own, so that both stay cached. A cold build takes
# about 8 minutes on 2 cores; it runs at nice 19. Progress goes to stderr.
source "$(dirname "$0")/help.sh" "$@"
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/setup.sh

app=tools/minimal-tauri
target=$app/target
features=()
case "${1:-}" in
  "") ;;
  floor) target=$app/target/floor features=(--features floor) ;;
  *) die "usage: scripts/lib/minimal-deb-size.sh [floor]" ;;
esac
binary=$target/release/minimal-tauri

find_deb() { find "$target/release/bundle/deb" -maxdepth 1 -name '*.deb' -print -quit 2>/dev/null || true; }

deb=$(find_deb)
stale=
if [ -n "$deb" ]; then
  stale=$(find "$app/Cargo.toml" "$app/Cargo.lock" "$app/build.rs" "$app/tauri.conf.json" \
    "$app/src" "$app/ui" "$app/capabilities" "$app/icons" -newer "$deb" -print -quit)
fi
if [ -z "$deb" ] || [ -n "$stale" ] || [ ! -x "$binary" ]; then
  ensure_rust
  ensure_packages "${APP_PACKAGES[@]}"
  ensure_tauri_cli
  log "building $app ${1:-} (release, .deb; about 8 minutes cold)"
  rm -rf "$target/release/bundle/deb"
  # --locked: the committed Cargo.lock, i.e. the app's tauri versions.
  (cd "$app" && CARGO_TARGET_DIR="$PWD/${target#"$app"/}" nice -n 19 \
    "../tauri-cli/node_modules/.bin/tauri" build --bundles deb "${features[@]}" -- --locked) >&2
  deb=$(find_deb)
  [ -n "$deb" ] || die "the build made no .deb in $target/release/bundle/deb"
fi

deb_bytes=$(stat -c %s "$deb")
binary_bytes=$(stat -c %s "$binary")
printf 'deb=%q\n' "$deb"
printf 'deb_bytes=%s\n' "$deb_bytes"
printf 'deb_mib=%s\n' "$(awk -v b="$deb_bytes" 'BEGIN { printf "%.2f", b / 1048576 }')"
printf 'binary=%q\n' "$binary"
printf 'binary_bytes=%s\n' "$binary_bytes"
printf 'binary_mb=%s\n' "$(awk -v b="$binary_bytes" 'BEGIN { printf "%.2f", b / 1000000 }')"
