//! The app's log: to stderr and to a daily file in the OS's log folder (kept 7 days), so that a
//! recruiter can send it and a Windows release build (no console) logs somewhere at all.
//! Nothing secret is logged: tokens, codes and verifiers stay inside the core library.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Log files start with this name (`inbox-connect.2026-12-01.log`).
const FILE_PREFIX: &str = "inbox-connect";
/// How many daily files are kept.
const KEEP_FILES: usize = 7;

/// The log file's folder; the writer's guard flushes the file when the app ends.
pub struct Log {
    folder: Option<PathBuf>,
    _guard: Option<SharedGuard>,
}

/// The file writer's guard, shared with the panic hook that flushes the file (release builds).
type SharedGuard = Arc<Mutex<Option<WorkerGuard>>>;

impl Log {
    /// Starts logging at `level` (`RUST_LOG` overrides it) to stderr and, when `folder` can be
    /// created, to a file there. Returns why the file could not be opened, if it could not.
    pub fn start(level: &str, folder: Option<PathBuf>) -> (Log, Option<String>) {
        let filter = filter(std::env::var("RUST_LOG").ok().as_deref(), level);
        let stderr = fmt::layer()
            .with_writer(std::io::stderr)
            // Colour codes only for a terminal, not for a test's captured output.
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
        let (file, guard, failure) = match folder.as_deref().map(appender) {
            Some(Ok(appender)) => {
                let (writer, guard) = tracing_appender::non_blocking(appender);
                let layer = fmt::layer().with_ansi(false).with_writer(writer);
                (Some(layer), Some(guard), None)
            }
            Some(Err(e)) => (None, None, Some(e)),
            None => (None, None, Some("the OS gave no log folder".to_owned())),
        };
        let guard = guard.map(|g| Arc::new(Mutex::new(Some(g))));
        #[cfg(panic = "abort")]
        if let Some(guard) = &guard {
            flush_on_panic(Arc::clone(guard));
        }
        let opened = file.is_some();
        // A second start in one process (unit tests) keeps the first subscriber.
        let _ = tracing_subscriber::registry()
            .with(filter)
            .with(stderr)
            .with(file)
            .try_init();
        let log = Log {
            folder: folder.filter(|_| opened),
            _guard: guard,
        };
        (log, failure)
    }

    /// The folder of the log files, when they are written.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }
}

/// Release builds abort on a panic (`panic = "abort"` in Cargo.toml, for the installer's size:
/// issue #9), so nothing unwinds to the writer's guard and what it still queues would be lost:
/// the panic goes into the log and the file is written out before the process ends.
#[cfg(panic = "abort")]
fn flush_on_panic(guard: SharedGuard) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("Inbox Connect stopped on an internal error: {info}");
        if let Ok(mut guard) = guard.lock() {
            // Dropping the guard writes out the queue (waiting a second at most).
            drop(guard.take());
        }
        previous(info);
    }));
}

/// `RUST_LOG` when it is set and reads as levels per target (`info,inbox_connect_core=debug`),
/// else `level`. Targets and levels only: no span or field filters, and no regex engine for them
/// in the installer (issue #9).
fn filter(rust_log: Option<&str>, level: &str) -> Targets {
    rust_log
        .and_then(|directives| directives.parse().ok())
        .or_else(|| level.parse().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO))
}

fn appender(folder: &Path) -> Result<RollingFileAppender, String> {
    let unusable = |e: &dyn std::fmt::Display| {
        format!("the log folder {} could not be used: {e}", folder.display())
    };
    // The appender prunes old files as it starts, and complains if the folder is not there yet.
    std::fs::create_dir_all(folder).map_err(|e| unusable(&e))?;
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(folder)
        .map_err(|e| unusable(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    #[test]
    fn rust_log_overrides_the_setting_and_a_bad_one_is_ignored() {
        let debug_core = filter(Some("warn,inbox_connect_core=debug"), "info");
        assert!(debug_core.would_enable("inbox_connect_core::vault", &Level::DEBUG));
        assert!(!debug_core.would_enable("tauri", &Level::INFO));
        assert!(debug_core.would_enable("tauri", &Level::WARN));
        for rust_log in [None, Some("=not a filter=")] {
            let info = filter(rust_log, "info");
            assert!(
                info.would_enable("inbox_connect_core", &Level::INFO),
                "{rust_log:?}"
            );
            assert!(
                !info.would_enable("inbox_connect_core", &Level::DEBUG),
                "{rust_log:?}"
            );
        }
        assert!(filter(None, "trace").would_enable("hyper", &Level::TRACE));
    }
}
