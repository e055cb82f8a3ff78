//! `entra-sandbox`: serve the sandbox tenant on 127.0.0.1.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use entra_sandbox::{start, SandboxConfig, Seed};

/// A local simulator of Microsoft Entra ID (v2.0) and a Microsoft Graph v1.0 subset.
#[derive(Debug, Parser)]
#[command(name = "entra-sandbox", version)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seed file (TOML); default: the bundled seed/default.toml.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Origin written into URLs and issuers (e.g. a TLS proxy in front).
    #[arg(long)]
    public_url: Option<url::Url>,
    /// File where grants and refresh-token hashes persist across restarts.
    #[arg(long)]
    state: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let seed = match args.seed.as_deref().map(Seed::load).transpose() {
        Ok(seed) => seed.unwrap_or_else(Seed::default_seed),
        Err(e) => {
            eprintln!("entra-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    let config = SandboxConfig {
        seed,
        port: args.port,
        public_url: args.public_url,
        state_file: args.state,
        secrets_ledger: None,
    };
    let sandbox = match start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("entra-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Callers read the first line to learn the base URL, so print and flush before anything
    // else. With --public-url that line is the public origin, so the third names the address
    // really bound (a port 0 choice is otherwise lost).
    let mut stdout = std::io::stdout().lock();
    let printed = writeln!(
        stdout,
        "{}",
        sandbox.base_url().as_str().trim_end_matches('/')
    )
    .and_then(|()| writeln!(stdout, "graph: {}", sandbox.graph_url()))
    .and_then(|()| writeln!(stdout, "listening: http://{}", sandbox.local_addr()))
    .and_then(|()| stdout.flush());
    drop(stdout);
    if let Err(e) = printed {
        eprintln!("entra-sandbox: cannot write to stdout: {e}");
        return ExitCode::FAILURE;
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("entra-sandbox: {e}");
    }
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
