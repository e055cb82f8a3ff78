//! The commands for a blocked recruiter: `diagnose` and `admin-link`. Neither signs in, so they
//! answer with exit code 2 for bad input rather than a connection error.

use std::io::Read as _;
use std::process::ExitCode;

use inbox_connect_core::blocked::admin_consent::{self, AdminLinkError, TenantRef};
use inbox_connect_core::diagnosis::{self, Diagnosis, FixedBy};
use inbox_connect_core::{Feature, Profile};

/// Usage or input error.
const INPUT_ERROR: u8 = 2;

/// `diagnose`: reads the artifact (or stdin for `-`) and prints what it means.
pub(crate) fn diagnose(artifact: &str, json: bool) -> ExitCode {
    let text = if artifact == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            return input_error(&format!("could not read stdin: {e}"));
        }
        text
    } else {
        artifact.to_owned()
    };
    if text.trim().is_empty() {
        return input_error(
            "nothing to diagnose: pass the redirect URL, the error JSON or the error page's text",
        );
    }
    let diagnosis = diagnosis::diagnose(&text);
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&diagnosis).unwrap_or_default()
        );
    } else {
        out!("{}", summary(&diagnosis));
    }
    ExitCode::SUCCESS
}

/// `admin-link`: prints the admin-consent link for the organization named.
pub(crate) fn admin_link(
    profile: Result<Profile, String>,
    tenant: &str,
    features: &[Feature],
) -> ExitCode {
    let profile = match profile {
        Ok(profile) => profile,
        Err(e) => return input_error(&e),
    };
    let features = profile.features_or_defaults(features);
    let link = TenantRef::parse(tenant)
        .map_err(AdminLinkError::from)
        .and_then(|tenant| {
            admin_consent::admin_consent_url(
                &profile,
                &tenant,
                &features,
                &admin_consent::registered_redirect_uri(&profile),
                None,
            )
        });
    match link {
        Ok(url) => {
            outln!("{url}");
            ExitCode::SUCCESS
        }
        Err(e) => input_error(&e.to_string()),
    }
}

fn input_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(INPUT_ERROR)
}

/// The diagnosis for a person: cause, code, who can fix it, why, what to do, the facts.
pub(crate) fn summary(d: &Diagnosis) -> String {
    let who = match d.fixed_by {
        FixedBy::Recruiter => "you",
        FixedBy::ItAdmin => "your IT admin",
        FixedBy::Vendor => "the app's vendor",
    };
    let mut text = format!("cause: {}", d.cause.id());
    if let Some(detail) = &d.detail {
        text.push_str(&format!(" ({detail})"));
    }
    if let Some(code) = &d.code {
        text.push_str(&format!("\ncode: {code}"));
    }
    // Serialized, the confidence is its stable id (`high`).
    let confidence = serde_json::to_value(d.confidence).unwrap_or_default();
    text.push_str(&format!(
        "\nconfidence: {}",
        confidence.as_str().unwrap_or_default()
    ));
    if let Some(also) = d.also_possible {
        text.push_str(&format!("\nalso possible: {}", also.id()));
    }
    for clue in &d.evidence {
        text.push_str(&format!("\nread: {}", clue.text));
    }
    text.push_str(&format!(
        "\nwho can fix it: {who}\n\n{}\n\nnext steps:\n",
        d.explanation
    ));
    for (n, step) in d.next_steps.iter().enumerate() {
        text.push_str(&format!("{}. {step}\n", n + 1));
    }
    let facts = serde_json::to_value(&d.facts).unwrap_or_default();
    if let Some(facts) = facts.as_object().filter(|f| !f.is_empty()) {
        text.push_str("\nfacts:\n");
        for (key, value) in facts {
            // Microsoft's descriptions carry the ids on further lines, listed on their own.
            let value = value.as_str().map_or_else(
                || value.to_string(),
                |v| v.lines().next().unwrap_or_default().to_owned(),
            );
            text.push_str(&format!("- {key}: {value}\n"));
        }
    }
    text
}
