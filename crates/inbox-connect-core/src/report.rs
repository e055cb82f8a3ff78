//! The diagnostic report of an error the person saw (any error screen's "Copy diagnostic report"),
//! for a support ticket: the error, its protocol fields, the app and what it knows of this
//! computer. A blocked connection's report, with its diagnosis, is `blocked::it_request`'s.

use std::fmt::Write as _;

use crate::blocked::it_request::{app_facts, computer_facts};
use crate::error::ErrorPayload;
use crate::profile::{Product, Profile};

/// The report of `error`, with the app's facts when the app has a profile (`None`: it could not
/// start) and `environment`, the settings in force and the log folder, one fact a line.
pub fn error_report(
    error: &ErrorPayload,
    profile: Option<&Profile>,
    app_version: &str,
    environment: &[String],
) -> String {
    let product = profile.map_or_else(|| Product::inbox_connect().name, |p| p.product.name.clone());
    let mut report = format!(
        "{product} diagnostic report\n\nError: {}\n{}\nWhat to do: {}\n",
        error.code, error.message, error.action
    );
    let fields = error
        .details
        .as_ref()
        .and_then(|details| serde_json::to_value(details).ok());
    if let Some(serde_json::Value::Object(fields)) = fields {
        report.push_str("\nFacts:\n");
        for (name, value) in fields {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(text) => {
                    let _ = writeln!(report, "- {name}: {text}");
                }
                other => {
                    let _ = writeln!(report, "- {name}: {other}");
                }
            }
        }
    }
    if let Some(profile) = profile {
        report.push('\n');
        match app_facts(profile, &profile.default_features()) {
            Ok(facts) => report.push_str(&facts),
            Err(e) => {
                let _ = writeln!(report, "The app: its permissions could not be listed: {e}");
            }
        }
    }
    report.push_str(&computer_facts(&product, app_version, environment));
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorDetails, OAuthErrorFields};
    use crate::words::Words;

    #[test]
    fn an_errors_report_names_the_error_its_fields_the_app_and_the_computer() {
        let mut error = ErrorPayload::new(
            "token_exchange_failed",
            "The sign-in service refused the code.".to_owned(),
            Words::new("error.action.start_signing_in"),
        );
        error.details = Some(ErrorDetails::Oauth(OAuthErrorFields {
            error: "invalid_grant".to_owned(),
            ..OAuthErrorFields::default()
        }));
        let environment = ["Log folder: /home/r/.local/share/app/logs".to_owned()];
        let report = error_report(&error, Some(&Profile::sandbox()), "0.1.0", &environment);
        for part in [
            "Inbox Connect diagnostic report\n\nError: token_exchange_failed\nThe sign-in service refused the code.\nWhat to do: ",
            "\nFacts:\n- error: invalid_grant\n",
            "- Application (client) ID: 6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69\n",
            "\nInbox Connect 0.1.0 on ",
        ] {
            assert!(report.contains(part), "no {part:?} in:\n{report}");
        }
        assert!(
            report.ends_with("- Log folder: /home/r/.local/share/app/logs\n"),
            "{report}"
        );
        // An app that could not start still gives the error and the computer.
        let bare = error_report(&error, None, "0.1.0", &[]);
        assert!(bare.contains("Error: token_exchange_failed") && !bare.contains("The app:"));
    }
}
