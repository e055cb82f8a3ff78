//! `inbox-connect-cli`: connect, check and disconnect a mailbox from a terminal, over the same
//! library as the app. Works against Entra, the sandbox tenant, or any OpenID provider that serves
//! discovery metadata. When Microsoft blocks a connection, `diagnose` explains an error it sent and
//! `admin-link` prints the admin-consent link for an organization. For the vendor, `registration`
//! prints the Entra app registration its profile needs.
//!
//! Exit codes: 0 success, 1 a failed connection step, 2 a usage or input error.

/// `println!` to stdout that survives a reader going away (`diagnose … | head`): see [`write_out`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` to stdout, likewise.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_out(format_args!($($arg)*))
    };
}

mod blocked;
mod registration;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use inbox_connect_core::profile::{ClientId, ProfileError};
use inbox_connect_core::{
    BrowserOpener, ConnectError, ConnectionStatus, Connector, Feature, NoBrowser, Profile,
    SystemBrowser, Vault,
};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use url::Url;

#[derive(Parser)]
#[command(
    name = "inbox-connect-cli",
    version,
    about = "Connect a Microsoft 365 mailbox to the recruiting product."
)]
struct Cli {
    #[command(flatten)]
    provider: ProviderArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct ProviderArgs {
    /// Issuer URL; endpoints come from URL/.well-known/openid-configuration
    /// (Microsoft: <https://login.microsoftonline.com/{tenant}/v2.0>).
    #[arg(long, global = true, value_name = "URL")]
    authority: Option<Url>,
    /// Application (client) id (a GUID), instead of the profile's.
    #[arg(long, global = true, value_name = "ID")]
    client_id: Option<ClientId>,
    /// Space-separated scopes, instead of the profile's features.
    #[arg(long, global = true, value_name = "SCOPES")]
    scopes: Option<String>,
    /// Microsoft Graph root (<https://graph.microsoft.com/v1.0>); without it against a non-Microsoft
    /// authority the Graph checks are skipped.
    #[arg(long, global = true, value_name = "URL")]
    graph: Option<Url>,
    /// Vendor profile file (TOML), instead of the bundled one.
    #[arg(long, global = true, value_name = "FILE")]
    profile: Option<std::path::PathBuf>,
    /// Keychain service name; by default the profile's product identifier, as the app uses it
    /// (tests use their own).
    #[arg(
        long,
        global = true,
        env = "INBOX_CONNECT_KEYCHAIN_SERVICE",
        value_name = "NAME"
    )]
    keychain_service: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Sign in through the browser, store the connection in the keychain, print the status.
    Connect {
        /// Print the sign-in link (first line of stdout) instead of opening a browser.
        #[arg(long)]
        no_browser: bool,
        /// Features to connect (default: the profile's defaults).
        #[arg(long, value_delimiter = ',', value_parser = parse_feature)]
        features: Vec<Feature>,
        /// Pre-fill the account on the sign-in page.
        #[arg(long, value_name = "EMAIL")]
        login_hint: Option<String>,
        /// Seconds to wait for the browser.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
        /// Print the status as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Restore the stored connection (one refresh) and print its status.
    Status {
        /// Print the status as JSON.
        #[arg(long)]
        json: bool,
        /// Also run the Graph checks.
        #[arg(long)]
        check: bool,
    },
    /// Remove the stored connection from the keychain.
    Disconnect {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Explain an error Microsoft sent: a redirect URL, token or Graph error JSON, or text from
    /// Microsoft's error page (`-` reads it from stdin).
    Diagnose {
        /// The artifact, or `-` for stdin.
        #[arg(value_name = "REDIRECT-URL | JSON | TEXT | -")]
        artifact: String,
        /// Print the diagnosis as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the admin-consent link for an organization (for its IT admin to open).
    AdminLink {
        /// The organization: its domain, a user's email address, or its tenant id (not `common`).
        #[arg(long, value_name = "ID|DOMAIN|EMAIL")]
        tenant: String,
        /// Features to ask consent for (default: the profile's defaults).
        #[arg(long, value_delimiter = ',', value_parser = parse_feature)]
        features: Vec<Feature>,
    },
    /// Print the Entra app registration the profile needs: each app as the JSON Microsoft Graph's
    /// `POST /applications` takes, the Azure CLI commands that create them, and what is left to do.
    Registration {
        /// Print it as one JSON document.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn parse_feature(text: &str) -> Result<Feature, String> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_owned()))
        .map_err(|_| format!("unknown feature {text:?} (mailbox, calendar, meeting_rooms)"))
}

/// Writes to stdout. When the reader has gone away (a closed pipe) the output is no longer
/// wanted: the program ends quietly with 0, as ripgrep does, where `println!` would panic.
fn write_out(text: std::fmt::Arguments) {
    use std::io::Write as _;
    let Err(e) = std::io::stdout().lock().write_fmt(text) else {
        return;
    };
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    let _ = writeln!(std::io::stderr(), "error: could not write the output: {e}");
    std::process::exit(1);
}

#[tokio::main]
async fn main() -> ExitCode {
    // `RUST_LOG` as levels per target (`warn,inbox_connect_core=debug`), else warnings only.
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::WARN));
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .finish()
        .with(filter)
        .init();
    let cli = Cli::parse();
    let json = match cli.command {
        Command::Diagnose { artifact, json } => return blocked::diagnose(&artifact, json),
        Command::AdminLink {
            ref tenant,
            ref features,
        } => {
            return blocked::admin_link(
                profile(&cli.provider).map_err(|e| e.payload().message),
                tenant,
                features,
            )
        }
        Command::Registration { json } => {
            return registration::print(
                vendor_profile(&cli.provider).map_err(|e| e.to_string()),
                json,
            )
        }
        Command::Connect { json, .. }
        | Command::Status { json, .. }
        | Command::Disconnect { json } => json,
    };
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            let payload = e.payload();
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&payload).unwrap_or_default()
                );
            } else {
                eprintln!("error: {}\nwhat to do: {}", payload.message, payload.action);
            }
            ExitCode::FAILURE
        }
    }
}

/// Runs a connection command; a `blocked` outcome exits with 1 like a failed step.
async fn run(cli: Cli) -> Result<ExitCode, ConnectError> {
    let profile = profile(&cli.provider)?;
    let app = &profile.product.identifier;
    let vault = match &cli.provider.keychain_service {
        Some(service) => Vault::with_service(app, service.clone()),
        None => Vault::os_keychain(app),
    };
    match cli.command {
        Command::Connect {
            no_browser,
            features,
            login_hint,
            timeout,
            json,
        } => {
            let browser: Arc<dyn BrowserOpener> = if no_browser {
                Arc::new(NoBrowser)
            } else {
                Arc::new(SystemBrowser)
            };
            let connector = Connector::new(profile, vault, browser);
            connector.set_sign_in_timeout(Duration::from_secs(timeout));
            let pending = connector
                .begin_sign_in(&features, login_hint.as_deref())
                .await?;
            // The link goes first on stdout, alone, so scripts and tests can read it.
            outln!("{}", pending.link().url());
            if let Some(e) = pending.link().browser_error() {
                eprintln!("Could not open the browser ({e}); open the link above yourself.");
            }
            eprintln!("Waiting for the browser sign-in (Ctrl-C to cancel)...");
            let canceller = pending.canceller();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    canceller.cancel();
                }
            });
            let status = pending.wait().await?;
            print_status(&status, json);
            connector.result_pages_delivered().await;
            return Ok(exit_code(&status));
        }
        Command::Status { json, check } => {
            let connector = Connector::new(profile, vault, Arc::new(NoBrowser));
            let mut status = connector.restore().await?;
            if check && status.state == inbox_connect_core::ConnectionState::Connected {
                status = connector.check().await?;
            }
            print_status(&status, json);
            return Ok(exit_code(&status));
        }
        Command::Disconnect { json } => {
            let connector = Connector::new(profile, vault, Arc::new(NoBrowser));
            let report = connector.disconnect().await?;
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
            } else if report.removed_from_keychain {
                outln!(
                    "Disconnected: removed {} from the keychain.\n{}",
                    report.keychain_entry,
                    report.note
                );
            } else {
                outln!(
                    "Nothing to remove: no connection was stored ({}).",
                    report.keychain_entry
                );
            }
        }
        // Answered in `main` without a connector.
        Command::Diagnose { .. } | Command::AdminLink { .. } | Command::Registration { .. } => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn exit_code(status: &ConnectionStatus) -> ExitCode {
    if status.state == inbox_connect_core::ConnectionState::Blocked {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The bundled (or given) profile as the vendor wrote it, its endpoints not needed.
fn vendor_profile(args: &ProviderArgs) -> Result<Profile, ProfileError> {
    match &args.profile {
        Some(path) => Profile::from_file(path),
        None => Ok(Profile::sandbox()),
    }
}

/// The bundled (or given) profile with the command line's overrides applied.
fn profile(args: &ProviderArgs) -> Result<Profile, ConnectError> {
    let mut profile = vendor_profile(args)?;
    if let Some(id) = &args.client_id {
        profile = profile.with_client_id(id.clone());
    }
    if let Some(scopes) = &args.scopes {
        let scopes: Vec<String> = scopes.split_whitespace().map(str::to_owned).collect();
        profile = profile.with_scopes(&scopes);
    }
    match (&args.authority, &args.graph) {
        (Some(authority), graph) => {
            profile = profile.with_endpoints(authority.clone(), graph.clone())?
        }
        (None, Some(graph)) => {
            let authority = profile.endpoints()?.authority.clone();
            profile = profile.with_endpoints(authority, Some(graph.clone()))?;
        }
        (None, None) => {
            profile.endpoints()?;
        }
    }
    Ok(profile)
}

fn print_status(status: &ConnectionStatus, json: bool) {
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(status).unwrap_or_default()
        );
        return;
    }
    let state = serde_json::to_value(status.state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    outln!("state: {state}");
    if let Some(reason) = &status.reason {
        outln!("reason: {reason}");
    }
    if let Some(account) = &status.account {
        outln!(
            "account: {} ({})",
            account.name.as_deref().unwrap_or("-"),
            account.username.as_deref().unwrap_or("-")
        );
    }
    if let Some(org) = &status.organization {
        outln!(
            "organization: {}",
            org.name.as_deref().unwrap_or(org.tenant_id.as_str())
        );
    }
    for p in &status.permissions {
        let mark = match (p.requested, p.granted) {
            (_, true) => "granted",
            (true, false) => "NOT granted",
            (false, false) => "not requested",
        };
        outln!("permission {}: {mark} ({})", p.scope, p.reason);
    }
    for c in &status.checks {
        outln!(
            "check {}: {} - {}",
            c.name,
            if c.passed { "passed" } else { "FAILED" },
            c.detail
        );
    }
    if let Some(b) = &status.blocked {
        out!("\n{}", blocked::summary(&b.diagnosis));
        if let Some(p) = &b.pending_approval {
            outln!("\nwaiting for an admin's approval since {}", p.since);
        }
        if let Some(link) = &b.admin_consent {
            outln!("\nadmin-consent link for your IT admin:\n{}", link.url);
        }
    }
}
