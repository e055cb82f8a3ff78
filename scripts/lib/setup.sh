# Installs what Inbox Connect needs on Debian 12 / Ubuntu, idempotently: a second run only checks.
# Sourced by scripts/run-app and scripts/test.

# Build and run: Tauri's system libraries (tauri-notes.md), the D-Bus library the keychain crate links,
# xdg-utils for opening the system browser, and a Secret Service for the keychain.
APP_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev libdbus-1-dev
  pkg-config build-essential file curl libxdo-dev xdg-utils gnome-keyring dbus-user-session dbus-x11
)
# Tests: a virtual display, the WebDriver for the app's WebKit window, headless Chromium as the system
# browser, secret-tool to look into the keychain, Node.js for the independent OpenID provider, xdotool
# to see which window has the focus, xclip to read back what the app copied.
TEST_PACKAGES=(
  xvfb webkit2gtk-driver chromium chromium-driver libsecret-tools imagemagick nodejs npm xdotool xclip
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "installing system packages needs root: run this as root or install sudo"; fi
}

# Installs the Debian packages that are missing; a package already present (from any source, e.g.
# Node.js from NodeSource) is left alone.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if [ "$pkg" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
    if [ "$pkg" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_rust() {
  command -v cargo >/dev/null 2>&1 || die "Rust is not installed. Install it with rustup (https://rustup.rs): \
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y, then open a new shell"
  local version
  version=$(rustc --version | awk '{print $2}')
  # Tauri 2 and its plugins need a recent toolchain; Debian's own rustc is too old.
  [ "$(printf '%s\n%s\n' 1.90.0 "$version" | sort -V | head -n1)" = 1.90.0 ] ||
    die "Rust $version is too old (need 1.90 or newer): run 'rustup update'"
  # The test command's gates: formatting and lints.
  if command -v rustup >/dev/null 2>&1 && ! { cargo fmt --version && cargo clippy --version; } >/dev/null 2>&1; then
    log "adding rustfmt and clippy to the toolchain"
    rustup component add rustfmt clippy
  fi
}

# cargo install TOOL unless it is already on PATH.
ensure_cargo_tool() {
  local tool=$1
  command -v "$tool" >/dev/null 2>&1 && return 0
  log "installing $tool with cargo"
  cargo install "$tool" --locked --quiet
}

# The independent OpenID provider's node modules, from the committed lock file.
ensure_oidc_provider() {
  local dir=tests/oidc
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing oidc-provider (npm ci)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
}

# The pinned Tauri CLI (npm ships it prebuilt), for building installers.
ensure_tauri_cli() {
  local dir=tools/tauri-cli
  if [ ! -x "$dir/node_modules/.bin/tauri" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing the Tauri CLI (npm ci)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
}

# axe-core for the end-to-end accessibility checks, from the committed lock file.
ensure_a11y() {
  local dir=tests/a11y
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing axe-core (npm ci)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
}
