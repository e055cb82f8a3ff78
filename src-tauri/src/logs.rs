//! The app's log: to stderr and to a daily file in the OS's log folder (kept 7 days), so that a
//! recruiter can send it and a Windows release build (no console) logs somewhere at all.
//! Nothing secret is logged: tokens, codes and verifiers stay inside the core library.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

/// Log files start with this name (`inbox-connect.2026-12-01.log`).
const FILE_PREFIX: &str = "inbox-connect";
/// How many daily files are kept.
const KEEP_FILES: usize = 7;

/// The log file's folder; the writer's guard flushes the file when the app ends.
pub struct Log {
    folder: Option<PathBuf>,
    _guard: Option<WorkerGuard>,
}

impl Log {
    /// Starts logging at `level` (`RUST_LOG` overrides it) to stderr and, when `folder` can be
    /// created, to a file there. Returns why the file could not be opened, if it could not.
    pub fn start(level: &str, folder: Option<PathBuf>) -> (Log, Option<String>) {
        let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
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
