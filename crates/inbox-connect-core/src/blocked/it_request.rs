//! The texts a blocked recruiter hands on: the ready message to IT (as an email draft) and the
//! diagnostic report for a support ticket. Both carry what admins' guides say IT needs (the app's
//! name, id, publisher, each permission and why, the admin-consent link, and the facts to find the
//! attempt in the sign-in logs); neither ever carries a token.

use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use url::Url;

use crate::diagnosis::{Diagnosis, Facts, FixedBy};
use crate::graph::permissions::microsoft_words;
use crate::profile::{Feature, Profile, ProfileError};
use crate::words::Language;

/// Roles that can grant tenant-wide consent to delegated permissions (docs/entra-reference.md §3.2).
const CONSENTING_ROLES: &str = "Global Administrator, Privileged Role Administrator, Cloud Application Administrator or Application Administrator";

/// An email to IT, ready to send.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItRequest {
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

impl ItRequest {
    /// A `mailto:` URL that opens the draft in the user's mail program (RFC 6068: spaces and line
    /// breaks percent-encoded, never `+`).
    pub fn mailto(&self, to: Option<&str>) -> String {
        let encode = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
        format!(
            "mailto:{}?subject={}&body={}",
            to.map(encode).unwrap_or_default(),
            encode(&self.subject),
            encode(&self.body.replace('\n', "\r\n"))
        )
    }
}

/// The longest `mailto:` link handed to a mail program: longer ones are cut or dropped by mail
/// programs and by Windows' URL handler (about 2,000 characters).
pub const MAILTO_LIMIT: usize = 2000;

/// A draft for the mail program: the whole message, or (too long for a `mailto:` link) the
/// subject only, the body to be pasted from the clipboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailDraft {
    /// The `mailto:` link to open.
    pub mailto: String,
    /// Whether it carries the whole body.
    pub whole: bool,
}

impl ItRequest {
    /// The draft to open: the whole message when its link fits [`MAILTO_LIMIT`], else the
    /// subject only.
    pub fn mail_draft(&self) -> MailDraft {
        let whole = self.mailto(None);
        if whole.len() <= MAILTO_LIMIT {
            return MailDraft {
                mailto: whole,
                whole: true,
            };
        }
        let subject_only = ItRequest {
            subject: self.subject.clone(),
            body: String::new(),
        };
        MailDraft {
            mailto: subject_only.mailto(None),
            whole: false,
        }
    }
}

/// The message asking IT to grant admin consent through `link`, in `language` (what IT looks up
/// stays English).
pub fn it_request(
    profile: &Profile,
    features: &[Feature],
    link: &Url,
    diagnosis: Option<&Diagnosis>,
    language: Language,
) -> Result<ItRequest, ProfileError> {
    let vendor = [("vendor", profile.app_name.as_str())];
    let say = |key: &str| language.say(key, &vendor);
    let mut body = format!("{}\n\n{}\n", say("it.hello"), say("it.consent.intro"));
    if let Some(d) = diagnosis {
        let _ = writeln!(body, "{}", d.explanation_in(language));
    }
    // Where the link lands after Accept: the vendor's page, or a loopback URI nothing answers
    // on the admin's machine (`admin_consent_redirect_uri`, crate::blocked::admin_consent).
    let after = if profile.admin_consent_redirect_uri.is_some() {
        say("it.consent.after_vendor_page")
    } else {
        say("it.consent.after_localhost")
    };
    let ask = language.say("it.consent.ask", &[("roles", CONSENTING_ROLES)]);
    let _ = write!(body, "\n{ask}\n{link}\n\n{after}\n\n");
    body.push_str(&app_facts(profile, features)?);
    if let Some(d) = diagnosis {
        let _ = writeln!(body, "\n{}", say("it.logs"));
        body.push_str(&fact_lines(d));
    }
    let _ = writeln!(body, "\n{}", say("it.thanks"));
    Ok(ItRequest {
        subject: say("it.consent.subject"),
        body,
    })
}

/// The message asking IT to remove a block no consent lifts (a Conditional Access policy, an
/// assignment, a disabled app, a mailbox outside Exchange Online): what Microsoft said, what the
/// app suggests, the app and the facts to find the attempt; in `language`, but what IT looks up.
pub fn it_fix_request(
    profile: &Profile,
    features: &[Feature],
    diagnosis: &Diagnosis,
    language: Language,
) -> Result<ItRequest, ProfileError> {
    let about = diagnosis
        .code
        .clone()
        .unwrap_or_else(|| diagnosis.cause.id().to_owned());
    let params = [
        ("vendor", profile.app_name.as_str()),
        ("code", about.as_str()),
    ];
    let say = |key: &str| language.say(key, &params);
    let mut body = format!(
        "{}\n\n{}\n{}\n",
        say("it.hello"),
        say("it.fix.intro"),
        diagnosis.explanation_in(language)
    );
    let steps = diagnosis.next_steps_in(language);
    if !steps.is_empty() {
        let _ = writeln!(body, "\n{}", say("it.fix.suggests"));
        for (n, step) in steps.iter().enumerate() {
            let _ = writeln!(body, "{}. {step}", n + 1);
        }
    }
    body.push('\n');
    body.push_str(&app_facts(profile, features)?);
    let _ = writeln!(body, "\n{}", say("it.logs"));
    body.push_str(&fact_lines(diagnosis));
    let _ = writeln!(body, "\n{}", say("it.thanks"));
    Ok(ItRequest {
        subject: say("it.fix.subject"),
        body,
    })
}

/// The diagnostic report for a support ticket: cause, next steps, facts, app and OS, and what the
/// app knows of this computer (`environment`: the settings in force and where they came from, the
/// log folder), one fact a line.
pub fn diagnostic_report(
    profile: &Profile,
    features: &[Feature],
    diagnosis: &Diagnosis,
    app_version: &str,
    environment: &[String],
) -> Result<String, ProfileError> {
    let mut report = format!(
        "{} diagnostic report\n\nCause: {}",
        profile.product.name,
        diagnosis.cause.id()
    );
    if let Some(detail) = &diagnosis.detail {
        let _ = write!(report, " ({detail})");
    }
    let _ = writeln!(
        report,
        "\nWho can fix it: {}\n{}\n\nNext steps:",
        who_fixes(diagnosis.fixed_by),
        diagnosis.explanation
    );
    for (n, step) in diagnosis.next_steps.iter().enumerate() {
        let _ = writeln!(report, "{}. {step}", n + 1);
    }
    report.push_str("\nFacts:\n");
    report.push_str(&fact_lines(diagnosis));
    report.push('\n');
    report.push_str(&app_facts(profile, features)?);
    report.push_str(&computer_facts(
        &profile.product.name,
        app_version,
        environment,
    ));
    Ok(report)
}

/// The program, its version and OS, and what it knows of this computer, one fact a line: the end
/// of every diagnostic report.
pub(crate) fn computer_facts(product: &str, app_version: &str, environment: &[String]) -> String {
    let mut text = format!(
        "\n{product} {app_version} on {} ({})\n",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    for line in environment {
        let _ = writeln!(text, "- {line}");
    }
    text
}

/// The app as an admin's guide names it, with each permission and why.
pub(crate) fn app_facts(profile: &Profile, features: &[Feature]) -> Result<String, ProfileError> {
    let mut text = format!(
        "The app:\n- Name: {}\n- Application (client) ID: {}\n- Publisher: {}\n- Permissions (delegated Microsoft Graph permissions: the app acts only as the signed-in user):\n",
        profile.app_name, profile.client_id, profile.publisher
    );
    for scope in profile.scopes_for(features)? {
        let _ = match &scope.reason_for_it {
            Some(why) => writeln!(text, "  - {}: {why}", scope.scope),
            // The recruiter's reason is in the second person: quoted, not passed off as IT's.
            None => writeln!(
                text,
                "  - {}: recruiters are told \"{}\"",
                scope.scope, scope.reason
            ),
        };
        // What the permission allows beyond the vendor's use of it, in Microsoft's words.
        if let Some(words) = microsoft_words(&scope.scope) {
            let _ = writeln!(text, "    Microsoft: {}", words.allows_for_admins);
        }
    }
    Ok(text)
}

/// The facts of a diagnosis, one per line, leaving out what is unknown.
fn fact_lines(diagnosis: &Diagnosis) -> String {
    let facts: &Facts = &diagnosis.facts;
    let code = diagnosis.code.as_deref();
    let rows = [
        ("Account", facts.account.as_deref()),
        ("Organization (tenant)", facts.tenant.as_deref()),
        ("Error code", code),
        ("Error", facts.error.as_deref()),
        ("Time (UTC)", facts.timestamp.as_deref()),
        ("Trace ID", facts.trace_id.as_deref()),
        ("Correlation ID", facts.correlation_id.as_deref()),
        ("Request ID", facts.request_id.as_deref()),
    ];
    rows.iter()
        .filter_map(|(label, value)| value.map(|v| format!("- {label}: {v}\n")))
        .collect()
}

/// Who can fix it, in the report's words (not the enum's name).
fn who_fixes(fixed_by: FixedBy) -> &'static str {
    match fixed_by {
        FixedBy::ItAdmin => "the organization's IT admin (an Entra ID administrator)",
        FixedBy::Vendor => "the recruiting product's vendor",
        FixedBy::Recruiter => "the person connecting the mailbox",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::{diagnose_with, Facts};

    fn blocked() -> Diagnosis {
        let known = Facts {
            account: Some("riley@contoso-recruiting.example".into()),
            tenant: Some("contoso-recruiting.example".into()),
            ..Facts::default()
        };
        diagnose_with(
            "error=access_denied&error_description=AADSTS90094%3A+Admin+consent+is+required.%0D%0ATrace+ID%3A+0000aaaa-11bb-cccc-dd33-eeeeee333333%0D%0ACorrelation+ID%3A+aaaa0000-bb11-2222-33cc-444444dddddd%0D%0ATimestamp%3A+2026-11-23+10%3A00%3A00Z",
            known,
        )
    }

    #[test]
    fn message_to_it_has_everything_an_admin_needs() {
        let link = Url::parse(
            "http://127.0.0.1:4321/contoso-recruiting.example/v2.0/adminconsent?client_id=x",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let request = it_request(
            &crate::test_profile(),
            &[Feature::Mailbox],
            &link,
            Some(&blocked()),
            Language::En,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for needle in [
            "Acme Recruit",
            "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69",
            "Acme Recruit Ltd",
            // Issue 14: the reasons in the third person, for IT.
            "Mail.Send: sends the recruiter's emails to candidates from the recruiter's own address",
            // Issue 14: what the permission allows, in Microsoft's words for admins.
            "    Microsoft: Allows the app to create, read, update, and delete email in user mailboxes.",
            link.as_str(),
            "AADSTS90094",
            "riley@contoso-recruiting.example",
            "Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd",
            "Time (UTC): 2026-11-23 10:00:00Z",
            "Cloud Application Administrator",
        ] {
            assert!(
                request.body.contains(needle),
                "missing {needle:?} in\n{}",
                request.body
            );
        }
        let mailto = request.mailto(Some("it@contoso-recruiting.example"));
        assert!(mailto
            .starts_with("mailto:it%40contoso%2Drecruiting%2Eexample?subject=Please%20approve"));
        assert!(mailto.contains("%0D%0A") && !mailto.contains('+') && !mailto.contains(' '));
    }

    #[test]
    fn without_a_reason_for_it_the_message_quotes_what_recruiters_are_told() {
        let mut profile = crate::test_profile();
        for scope in profile
            .features
            .iter_mut()
            .flat_map(|f| f.scopes.iter_mut())
        {
            scope.reason_for_it = None;
        }
        let facts = app_facts(&profile, &[Feature::Mailbox]).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            facts.contains(
                "  - Mail.Send: recruiters are told \"send emails to candidates from your own address\"\n"
            ),
            "{facts}"
        );
    }

    #[test]
    fn a_block_no_consent_lifts_gets_its_own_message_to_it() {
        let d = diagnose_with(
            "AADSTS53003: Access has been blocked by Conditional Access policies.\r\nTrace ID: 0f1e2d3c-aaaa-bbbb-cccc-000000000001",
            Facts {
                account: Some("bob@adatum-agency.example".into()),
                ..Facts::default()
            },
        );
        let profile = crate::test_profile();
        let request = it_fix_request(&profile, &[Feature::Mailbox], &d, Language::En)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            request.subject.contains("AADSTS53003"),
            "{}",
            request.subject
        );
        for needle in [
            &*d.explanation,
            "bob@adatum-agency.example",
            "0f1e2d3c-aaaa-bbbb-cccc-000000000001",
            profile.client_id.as_str(),
            "Mail.Send",
        ] {
            assert!(request.body.contains(needle), "{needle}: {}", request.body);
        }
        assert!(
            !request.body.contains("adminconsent"),
            "no consent link: {}",
            request.body
        );
    }

    #[test]
    fn a_message_too_long_for_a_mailto_link_opens_with_its_subject_only() {
        let short = ItRequest {
            subject: "Please approve".into(),
            body: "Hello".into(),
        };
        assert_eq!(
            short.mail_draft(),
            MailDraft {
                mailto: short.mailto(None),
                whole: true
            }
        );
        let long = ItRequest {
            subject: "Please approve".into(),
            body: "word ".repeat(500),
        };
        let draft = long.mail_draft();
        assert!(!draft.whole);
        assert_eq!(draft.mailto, "mailto:?subject=Please%20approve&body=");
    }

    #[test]
    fn report_names_cause_steps_facts_app_and_os() {
        let report = diagnostic_report(
            &crate::test_profile(),
            &[Feature::Mailbox],
            &blocked(),
            "0.1.0",
            &["Log folder: /home/r/.local/share/app/logs".to_owned()],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            report.ends_with("- Log folder: /home/r/.local/share/app/logs\n"),
            "{report}"
        );
        assert!(report.contains("Cause: admin_consent_required (need_admin_approval)"));
        assert!(report.contains("1. "));
        assert!(report.contains("Trace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333"));
        assert!(report.contains(&format!("Inbox Connect 0.1.0 on {}", std::env::consts::OS)));
    }
}
