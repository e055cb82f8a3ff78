//! Settings IT can deploy beside the bundled vendor profile: the organization's tenant, a domain to
//! hint at sign-in, a proxy and the log level, read from a per-machine and a per-user file.
//!
//! Precedence, key by key: the machine's file over the user's over the bundled profile. IT deploys
//! the machine's file and a user cannot undo it (a proxy IT requires, the tenant the organization
//! uses); a user may still set what IT left open. A malformed file or value is reported with its
//! file and line and skipped: the app starts with whatever is valid. A key the machine's file sets
//! with a value that cannot be used is not opened to the user either (IT's intent never fails
//! open): the user's value for it is ignored and reported, and so is every key of a machine file
//! that cannot be read or is not TOML.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;
use url::Url;

use crate::profile::{Profile, TenantRef};

/// The settings file's name in each of the OS's settings folders.
pub const FILE_NAME: &str = "settings.toml";

/// Whose settings file it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Deployed by IT for every user of the computer.
    Machine,
    /// The user's own.
    User,
}

/// A settings file to read, and whose it is.
#[derive(Debug, Clone)]
pub struct Source {
    /// Machine or user.
    pub scope: Scope,
    /// Where the file is (it may not exist).
    pub path: PathBuf,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// Machine or user.
    pub scope: Scope,
    /// The file.
    pub path: PathBuf,
    /// The line of the key.
    pub line: usize,
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Its file and line.
    pub origin: Origin,
}

/// How much the app logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    /// Failures only.
    Error,
    /// Failures and warnings.
    Warn,
    /// What the app does (the default).
    Info,
    /// Enough to follow a sign-in step by step (still no tokens).
    Debug,
    /// Everything, including the libraries' internals.
    Trace,
}

impl LogLevel {
    /// The level as `tracing`'s filters spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }
}

impl FromStr for LogLevel {
    type Err = String;

    fn from_str(text: &str) -> Result<LogLevel, String> {
        Ok(match text.to_ascii_lowercase().as_str() {
            "error" => LogLevel::Error,
            "warn" | "warning" => LogLevel::Warn,
            "info" => LogLevel::Info,
            "debug" => LogLevel::Debug,
            "trace" => LogLevel::Trace,
            _ => return Err("must be one of error, warn, info, debug, trace".to_owned()),
        })
    }
}

/// The settings in force: each key from the file that won, or unset (the bundled profile's or the
/// app's default applies).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// The organization's tenant (GUID or verified domain): sign-in goes there, not to
    /// `organizations`, and the admin-consent link is for it.
    pub tenant: Option<Setting<TenantRef>>,
    /// The organization's email domain: hinted to Microsoft (`domain_hint`) when the recruiter
    /// typed no email, so the sign-in goes straight to the organization's page.
    pub login_hint_domain: Option<Setting<String>>,
    /// A proxy for every connection to Microsoft (otherwise the OS's and `HTTPS_PROXY`).
    pub proxy: Option<Setting<Url>>,
    /// How much the app logs.
    pub log_level: Option<Setting<LogLevel>>,
}

/// The keys a settings file can set.
pub const KEYS: [&str; 4] = ["tenant", "login_hint_domain", "proxy", "log_level"];

/// A file or value that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// The line, when known.
    pub line: Option<usize>,
    /// What the problem leaves unset.
    pub about: About,
    /// What is wrong.
    pub message: String,
}

/// What a problem leaves unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "key")]
pub enum About {
    /// The whole file: it could not be read or is not TOML.
    File,
    /// One of [`KEYS`], whose value cannot be used.
    Key(&'static str),
    /// A key that is not a setting (nothing is left unset).
    UnknownKey,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// What reading the settings files gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Loaded {
    /// The settings in force.
    pub settings: Settings,
    /// The files read (that exist), highest precedence first.
    pub files: Vec<PathBuf>,
    /// What was skipped.
    pub problems: Vec<Problem>,
}

/// Reads the settings files, highest precedence first (machine, then user). A missing file is
/// not a problem; an unreadable or malformed one is.
pub fn load(sources: &[Source]) -> Loaded {
    let mut loaded = Loaded::default();
    // Keys the machine's files meant to set but could not: closed to the user's files.
    let mut locked: Vec<&'static str> = Vec::new();
    for source in sources {
        let (mut settings, problems) = match std::fs::read_to_string(&source.path) {
            Ok(text) => {
                loaded.files.push(source.path.clone());
                parse(source, &text)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => (
                Settings::default(),
                vec![Problem {
                    path: source.path.clone(),
                    line: None,
                    about: About::File,
                    message: format!("could not be read: {e}"),
                }],
            ),
        };
        match source.scope {
            Scope::Machine => {
                for problem in &problems {
                    match problem.about {
                        About::File => locked.extend(KEYS),
                        About::Key(key) => locked.push(key),
                        About::UnknownKey => {}
                    }
                }
            }
            Scope::User => {
                for key in &locked {
                    if let Some(origin) = settings.unset(key) {
                        loaded.problems.push(Problem {
                            path: origin.path,
                            line: Some(origin.line),
                            about: About::Key(key),
                            message: format!(
                                "`{key}` is ignored: the machine's settings set it with a value \
                                 that cannot be used, and IT's settings are not replaced by a \
                                 user's (ask IT to correct it)"
                            ),
                        });
                    }
                }
            }
        }
        loaded.problems.extend(problems);
        // Earlier sources win: fill only what is still unset.
        let current = &mut loaded.settings;
        current.tenant = current.tenant.take().or(settings.tenant);
        current.login_hint_domain = current
            .login_hint_domain
            .take()
            .or(settings.login_hint_domain);
        current.proxy = current.proxy.take().or(settings.proxy);
        current.log_level = current.log_level.take().or(settings.log_level);
    }
    loaded
}

/// One file's settings and what in it was skipped.
pub fn parse(source: &Source, text: &str) -> (Settings, Vec<Problem>) {
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    let problem = |line: Option<usize>, about: About, message: String| Problem {
        path: source.path.clone(),
        line,
        about,
        message,
    };
    // Keys one by one, with their spans, so that one bad value does not lose the others.
    let table: BTreeMap<String, toml::Spanned<toml::Value>> = match toml::from_str(text) {
        Ok(table) => table,
        Err(e) => {
            let line = e.span().map(|span| line_of(text, span.start));
            problems.push(problem(
                line,
                About::File,
                format!("is not valid TOML: {}", e.message()),
            ));
            return (settings, problems);
        }
    };
    for (key, value) in table {
        let line = line_of(text, value.span().start);
        let origin = Origin {
            scope: source.scope,
            path: source.path.clone(),
            line,
        };
        let text_value = value.get_ref().as_str().map(str::trim);
        let result = match key.as_str() {
            "tenant" => read(text_value, tenant)
                .map(|v| settings.tenant = Some(Setting { value: v, origin })),
            "login_hint_domain" => read(text_value, domain)
                .map(|v| settings.login_hint_domain = Some(Setting { value: v, origin })),
            "proxy" => {
                read(text_value, proxy).map(|v| settings.proxy = Some(Setting { value: v, origin }))
            }
            "log_level" => read(text_value, LogLevel::from_str)
                .map(|v| settings.log_level = Some(Setting { value: v, origin })),
            _ => Err(format!("is not a setting (known: {})", KEYS.join(", "))),
        };
        if let Err(why) = result {
            let about = KEYS
                .iter()
                .find(|known| **known == key)
                .map_or(About::UnknownKey, |known| About::Key(known));
            problems.push(problem(
                Some(line),
                about,
                format!("`{key}` {why}; it is ignored"),
            ));
        }
    }
    // In the file's order, as a person reads it (the table is sorted by key).
    problems.sort_by_key(|p| p.line);
    (settings, problems)
}

impl Settings {
    /// Unsets one of [`KEYS`]; where it was set, if it was.
    fn unset(&mut self, key: &str) -> Option<Origin> {
        match key {
            "tenant" => self.tenant.take().map(|s| s.origin),
            "login_hint_domain" => self.login_hint_domain.take().map(|s| s.origin),
            "proxy" => self.proxy.take().map(|s| s.origin),
            "log_level" => self.log_level.take().map(|s| s.origin),
            _ => None,
        }
    }

    /// The profile as these settings change it: the organization's tenant and the domain to hint.
    /// A tenant the profile cannot take comes back as a problem: settings never stop the app.
    pub fn apply(&self, profile: Profile) -> (Profile, Option<Problem>) {
        let profile = match &self.login_hint_domain {
            Some(domain) => profile.with_domain_hint(domain.value.clone()),
            None => profile,
        };
        let Some(tenant) = &self.tenant else {
            return (profile, None);
        };
        match profile.clone().with_tenant(tenant.value.clone()) {
            Ok(changed) => (changed, None),
            Err(e) => (
                profile,
                Some(Problem {
                    path: tenant.origin.path.clone(),
                    line: Some(tenant.origin.line),
                    about: About::Key("tenant"),
                    message: format!("{e}; it is ignored"),
                }),
            ),
        }
    }

    /// The settings in force, one line each with where they came from (for the diagnostic
    /// report); a proxy's password is never shown.
    pub fn report_lines(&self) -> Vec<String> {
        fn line<T: fmt::Display>(key: &str, setting: &Option<Setting<T>>) -> String {
            match setting {
                Some(s) => format!(
                    "{key} = {} ({} settings, {}:{})",
                    s.value,
                    match s.origin.scope {
                        Scope::Machine => "machine",
                        Scope::User => "user",
                    },
                    s.origin.path.display(),
                    s.origin.line
                ),
                None => format!("{key}: not set"),
            }
        }
        let proxy = self.proxy.as_ref().map(|s| Setting {
            value: redacted(&s.value),
            origin: s.origin.clone(),
        });
        let level = self.log_level.as_ref().map(|s| Setting {
            value: s.value.as_str(),
            origin: s.origin.clone(),
        });
        vec![
            line("tenant", &self.tenant),
            line("login_hint_domain", &self.login_hint_domain),
            line("proxy", &proxy),
            line("log_level", &level),
        ]
    }
}

fn read<T>(value: Option<&str>, check: impl Fn(&str) -> Result<T, String>) -> Result<T, String> {
    match value {
        Some(text) if !text.is_empty() => check(text),
        Some(_) => Err("is empty".to_owned()),
        None => Err("must be a quoted string".to_owned()),
    }
}

fn tenant(text: &str) -> Result<TenantRef, String> {
    if text.contains('@') {
        return Err("must be a tenant id or domain, not an email address".to_owned());
    }
    TenantRef::parse(text).map_err(|e| format!("cannot be used: {e}"))
}

fn domain(text: &str) -> Result<String, String> {
    // A domain is a tenant named by its domain (tenant ids have no dot).
    match tenant(text).map(String::from) {
        Ok(domain) if domain.contains('.') => Ok(domain),
        _ => Err("must be an email domain such as contoso.com".to_owned()),
    }
}

fn proxy(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("is not a URL: {e}"))?;
    match url.scheme() {
        "http" | "https" | "socks5" | "socks5h" if url.host().is_some() => Ok(url),
        _ => Err("must be an http://, https:// or socks5:// URL with a host".to_owned()),
    }
}

/// The proxy URL without a password.
fn redacted(url: &Url) -> Url {
    let mut url = url.clone();
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    url
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// The settings files of this computer, per machine and per user, for an app whose per-user
/// settings folder is `user_dir` (the OS's standard place, e.g. from Tauri's path API).
pub fn standard_sources(app_folder: &str, user_dir: &Path) -> Vec<Source> {
    let mut sources: Vec<Source> = machine_dirs(app_folder)
        .into_iter()
        .map(|dir| Source {
            scope: Scope::Machine,
            path: dir.join(FILE_NAME),
        })
        .collect();
    sources.push(Source {
        scope: Scope::User,
        path: user_dir.join(FILE_NAME),
    });
    sources
}

/// The per-machine settings folders, highest precedence first.
#[cfg(target_os = "linux")]
fn machine_dirs(app_folder: &str) -> Vec<PathBuf> {
    // XDG_CONFIG_DIRS (default /etc/xdg), as the XDG base directory specification orders it.
    xdg::BaseDirectories::with_prefix(app_folder)
        .get_config_dirs()
        .into_iter()
        .collect()
}

/// The per-machine settings folder: %ProgramData%\{app}.
#[cfg(windows)]
fn machine_dirs(app_folder: &str) -> Vec<PathBuf> {
    known_folders::get_known_folder_path(known_folders::KnownFolder::ProgramData)
        .map(|dir| vec![dir.join(app_folder)])
        .unwrap_or_default()
}

/// The per-machine settings folder: the local domain's Application Support (Apple's File System
/// Programming Guide), where MDM profiles and installers put shared settings.
#[cfg(target_os = "macos")]
fn machine_dirs(app_folder: &str) -> Vec<PathBuf> {
    vec![Path::new("/Library/Application Support").join(app_folder)]
}

#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
fn machine_dirs(_app_folder: &str) -> Vec<PathBuf> {
    Vec::new()
}

#[cfg(test)]
mod tests;
