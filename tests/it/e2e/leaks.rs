//! No secret reaches a file: after a scenario, every secret the sandbox issued or received (its
//! ledger: codes, PKCE verifiers, access, id and refresh tokens) and every password of its seed is
//! searched for in every file the app wrote (its data folder: the log files, the sandbox state,
//! the pending approval). The keychain is the only place a refresh token may live.

use std::path::{Path, PathBuf};

use super::{repo_root, Result, Run};

/// The sandbox's ledger of secrets, in the run's scratch folder (outside the app's data folder).
pub(super) const LEDGER_FILE: &str = "secrets-ledger.txt";

/// The app's log folder under its data folder (Tauri's `app_log_dir` on Linux).
const LOG_FOLDER: &str = "app.inboxconnect.desktop/logs";

impl Run {
    /// Fails when any secret of the run is in any file the app wrote, or when the app wrote no log
    /// to look at: a check that cannot fail proves nothing.
    /// Returns how many secrets the sandbox issued or received.
    pub fn assert_no_secrets_written(&self) -> Result<usize> {
        let ledger = std::fs::read_to_string(self.work.path().join(LEDGER_FILE))
            .map_err(|e| format!("the sandbox's secrets ledger: {e}"))?;
        let mut secrets: Vec<String> = ledger.lines().map(str::to_owned).collect();
        let issued = secrets.len();
        secrets.extend(crate::sandbox_seed::passwords(&repo_root()));
        secrets.sort();
        secrets.dedup();
        let files = files_under(&self.data_home);
        let logs: u64 = files
            .iter()
            .filter(|f| f.starts_with(self.data_home.join(LOG_FOLDER)))
            .filter_map(|f| f.metadata().ok())
            .map(|m| m.len())
            .sum();
        // Some scenarios are refused before any token is issued: the typed passwords are still
        // searched for, but without a log there is nothing to search in.
        if logs == 0 {
            return Err(format!(
                "no log written in {}: nothing to search",
                self.data_home.join(LOG_FOLDER).display()
            ));
        }
        let mut bytes = 0;
        for file in &files {
            // WebKit removes an origin's empty storage files as the closed app winds down: a file
            // gone between the listing and the read holds nothing any more.
            let content = match std::fs::read(file) {
                Ok(content) => content,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(format!("{}: {e}", file.display())),
            };
            bytes += content.len();
            for secret in &secrets {
                if content
                    .windows(secret.len())
                    .any(|w| w == secret.as_bytes())
                {
                    return Err(format!(
                        "{} contains a secret of the run ({} characters, starting {:?})",
                        file.display(),
                        secret.len(),
                        secret.chars().take(4).collect::<String>()
                    ));
                }
            }
        }
        println!(
            "figure: secrets searched {} (sandbox ledger and seed passwords) in {} files, {bytes} bytes ({logs} of log): found 0",
            secrets.len(),
            files.len()
        );
        Ok(issued)
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// The app's log files under its data folder, concatenated (oldest first).
pub(super) fn app_log(data_home: &Path) -> String {
    let mut files = files_under(&data_home.join(LOG_FOLDER));
    files.sort();
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect()
}
