//! The WebDriver servers (tauri-driver for the app window, chromedriver for the headless
//! Chromium that plays the system browser), the sessions on them, and scratch folders.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::ClientBuilder;
use serde_json::{json, Map, Value};

use super::{Page, Result, POLL, WAIT};

/// A fresh directory under the system temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `inbox-connect-<label>-<pid>-<nanos>`.
    pub fn new(label: &str) -> Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_nanos();
        let path = std::env::temp_dir().join(format!(
            "inbox-connect-{label}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).map_err(|e| format!("creating {}: {e}", path.display()))?;
        Ok(Self(path))
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process killed (by its own id) when dropped, so a failing test leaves nothing running.
pub struct Server {
    child: Child,
    /// The WebDriver URL, `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM first: tauri-driver then stops the WebKitWebDriver it started (SIGKILL would
        // orphan it, and the orphan keeps the test's output pipe open).
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(POLL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Starts `command` (which must listen on `port`) and waits until the port accepts connections.
fn start_server(mut command: Command, port: u16, what: &str) -> Result<Server> {
    let child = command
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {what}: {e} (is it installed and on PATH?)"))?;
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!(
                "{what} did not listen on port {port} within {WAIT:?}"
            ));
        }
        std::thread::sleep(POLL);
    }
    Ok(server)
}

/// Starts tauri-driver with `envs` added to the environment it hands to the app.
pub fn start_tauri_driver(envs: &[(&str, &std::ffi::OsStr)]) -> Result<Server> {
    let port = free_port()?;
    let native_port = free_port()?;
    let mut command = Command::new("tauri-driver");
    command
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        // No profile means sandbox mode; one set in the caller's shell must not leak in.
        .env_remove("INBOX_CONNECT_PROFILE")
        .envs(envs.iter().map(|(k, v)| (*k, *v)));
    start_server(
        command,
        port,
        "tauri-driver (cargo install tauri-driver --locked)",
    )
}

/// Starts chromedriver for the headless Chromium that plays the user's browser.
pub fn start_chromedriver() -> Result<Server> {
    let port = free_port()?;
    let mut command = Command::new("chromedriver");
    command.arg(format!("--port={port}"));
    start_server(command, port, "chromedriver (apt install chromium-driver)")
}

fn capabilities(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Opens a WebDriver session on the app window (launches the app).
pub async fn open_app(driver: &Server, binary: &Path) -> Result<Page> {
    let caps = capabilities(json!({
        "tauri:options": { "application": binary }
    }));
    connect(driver, caps, "the app window").await
}

/// Opens a headless Chromium with a fresh profile in `profile_dir`, and these extra flags.
pub async fn open_chromium(driver: &Server, profile_dir: &Path, extra: &[String]) -> Result<Page> {
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .map(str::to_owned)
    .to_vec();
    args.push(format!("--user-data-dir={}", profile_dir.display()));
    args.extend_from_slice(extra);
    let caps = capabilities(json!({
        "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args }
    }));
    connect(driver, caps, "headless Chromium").await
}

async fn connect(driver: &Server, caps: Map<String, Value>, name: &'static str) -> Result<Page> {
    // Both rustls providers are compiled in; without a choice rustls panics. Already set is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let builder = ClientBuilder::rustls().map_err(|e| format!("TLS set-up failed: {e}"))?;
    let client = builder
        .clone()
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .map_err(|e| format!("could not open {name}: {e}"))?;
    Ok(Page { client, name })
}
