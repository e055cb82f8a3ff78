//! The `blocked` state: Microsoft refused the connection for a reason the recruiter cannot click
//! away (an admin must consent, a policy blocks, the mailbox is not in Exchange Online). The UI
//! gets the diagnosis and, for admin-consent causes, the admin-consent link for the user's own
//! organization, the message to IT and the diagnostic report; a request for approval is kept as a
//! [`PendingApproval`] so a restart still waits for it.
//!
//! Which failures become `blocked`: those whose [`Cause::blocks`] is true, from the authorize
//! redirect, the token endpoint or the Graph checks. A cancel, an expired grant, network and
//! keychain trouble stay ordinary [`crate::ConnectError`]s.

pub mod admin_consent;
pub mod it_request;
pub mod recheck;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::diagnosis::{Cause, Diagnosis, Facts, FixedBy};
use crate::profile::{Feature, Profile};
use crate::refusal::OAuthErrorFields;
use admin_consent::{AdminLinkError, TenantRef};
use it_request::ItRequest;

/// What the UI shows while the connection is blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocked {
    /// Why, who can fix it, what to do, and the facts IT needs.
    pub diagnosis: Diagnosis,
    /// For admin-consent causes, when the organization is known: the link and the message to IT.
    pub admin_consent: Option<AdminLink>,
    /// An admin's consent would unblock, but the organization is not known: the UI asks for a
    /// domain, email or tenant id and calls [`crate::Connector::admin_consent_link`].
    pub needs_tenant: bool,
    /// The diagnostic report for a support ticket (no tokens).
    pub report: String,
    /// Set while the app waits for an admin's approval (kept across restarts).
    pub pending_approval: Option<PendingApproval>,
    /// For a cause IT must remove and no consent lifts (Conditional Access, assignment, …): the
    /// message to IT (the consent causes carry theirs in `admin_consent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub it_message: Option<ItMessage>,
    /// What the last look for the approval found (the diagnosis keeps the facts IT was sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check: Option<LastCheck>,
}

/// A message to IT with the `mailto:` draft of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItMessage {
    /// Subject and body.
    pub it_request: ItRequest,
    /// The message as a `mailto:` URL (no recipient: the user picks IT's address).
    pub mailto: String,
}

/// One look for an admin's approval that did not connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCheck {
    /// When it ran.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// What it found.
    #[serde(flatten)]
    pub outcome: RecheckOutcome,
    /// Microsoft's code of the answer (`AADSTS65001`), when there was one.
    pub code: Option<String>,
    /// How the app looked.
    pub by: CheckedBy,
}

/// What a look for the approval found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RecheckOutcome {
    /// The grant is still missing (`consent_required`, AADSTS65001): keep waiting.
    NotYet,
    /// A look without a page cannot tell: the recruiter must sign in once, for this reason.
    SignInNeeded {
        /// Why Microsoft wants a page.
        reason: SignInReason,
    },
}

/// Why a silent look needs the recruiter (`login_required` / `interaction_required`, ref §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInReason {
    /// The browser holds no Microsoft session (AADSTS50058, `login_required`).
    NoSession,
    /// Multi-factor or another proof is due (AADSTS50076/50079, `interaction_required`).
    VerificationDue,
    /// The browser is signed in to several accounts and none was hinted (AADSTS16000).
    AccountChoice,
}

/// How a look for the approval was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckedBy {
    /// A `prompt=none` sign-in through the browser.
    Browser,
    /// A refresh-token request for the missing permissions: no browser at all.
    RefreshToken,
}

impl RecheckOutcome {
    /// What a refusal of a look means: "not yet", or "sign in once" and why; `None` when it is
    /// neither (a new cause, to diagnose as such).
    pub(crate) fn of(fields: &OAuthErrorFields) -> Option<RecheckOutcome> {
        let code = |n: i64| fields.error_codes.contains(&n);
        let reason = match fields.error.as_str() {
            "consent_required" => return Some(RecheckOutcome::NotYet),
            "invalid_grant" if code(65001) => return Some(RecheckOutcome::NotYet),
            "login_required" => SignInReason::NoSession,
            "interaction_required" if code(16000) || code(16001) => SignInReason::AccountChoice,
            "interaction_required" => SignInReason::VerificationDue,
            "invalid_grant" if fields.suberror.as_deref() == Some("basic_action") => {
                SignInReason::VerificationDue
            }
            _ => return None,
        };
        Some(RecheckOutcome::SignInNeeded { reason })
    }
}

/// The admin-consent link for one organization, with the message asking IT to open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminLink {
    /// The organization, as written into the link (tenant id or domain).
    pub tenant: String,
    /// The v2 admin-consent URL (entra-reference.md §3.1).
    pub url: String,
    /// The message to IT (subject and body).
    pub it_request: ItRequest,
    /// The message as a `mailto:` URL (no recipient: the user picks IT's address).
    pub mailto: String,
}

/// A wait for an admin's approval. Nothing in it is secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingApproval {
    /// The account that asked (the sign-in's `login_hint` next time).
    pub account: Option<String>,
    /// The organization (the next sign-in's `domain_hint`, and the admin-consent link's tenant).
    pub tenant: Option<String>,
    /// The features asked for.
    pub features: Vec<Feature>,
    /// When the wait began.
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    /// The cause that started the wait.
    pub cause: Cause,
    /// The cause's detail.
    pub detail: Option<Cow<'static, str>>,
    /// The facts of the blocked sign-in, for the message to IT after a restart.
    pub facts: Facts,
}

impl PendingApproval {
    /// A wait starting now for this diagnosis.
    pub(crate) fn start(diagnosis: &Diagnosis, features: &[Feature]) -> PendingApproval {
        PendingApproval {
            account: diagnosis.facts.account.clone(),
            tenant: diagnosis.facts.tenant.clone(),
            features: features.to_vec(),
            since: OffsetDateTime::now_utc(),
            cause: diagnosis.cause,
            detail: diagnosis.detail.clone(),
            facts: diagnosis.facts.clone(),
        }
    }

    /// The diagnosis that started the wait.
    pub fn diagnosis(&self) -> Diagnosis {
        Diagnosis::of(self.cause, self.detail.clone(), self.facts.clone())
    }
}

/// The organization to name in an admin-consent link: the id token's tenant when there was one,
/// else the account's email domain; never `common` (that parse fails).
pub(crate) fn tenant_of(tenant_id: Option<&str>, account: Option<&str>) -> Option<String> {
    tenant_id
        .into_iter()
        .chain(account)
        .find_map(|text| TenantRef::parse(text).ok())
        .map(|t| t.as_str().to_owned())
}

/// The admin-consent link for `tenant_input` (a domain, an email address or a tenant id) and the
/// message to IT around it.
pub(crate) fn admin_link(
    profile: &Profile,
    tenant_input: &str,
    features: &[Feature],
    diagnosis: Option<&Diagnosis>,
) -> Result<AdminLink, AdminLinkError> {
    let tenant = TenantRef::parse(tenant_input)?;
    let url = admin_consent::admin_consent_url(
        profile,
        &tenant,
        features,
        &admin_consent::registered_redirect_uri(profile),
        None,
    )?;
    let request = it_request::it_request(profile, features, &url, diagnosis)?;
    Ok(AdminLink {
        tenant: tenant.as_str().to_owned(),
        url: url.to_string(),
        mailto: request.mailto(None),
        it_request: request,
    })
}

/// The blocked state for a diagnosis.
pub(crate) fn blocked(
    profile: &Profile,
    features: &[Feature],
    diagnosis: Diagnosis,
    pending_approval: Option<PendingApproval>,
    environment: &[String],
) -> Blocked {
    let wants_link = diagnosis.cause.awaits_admin_consent();
    let admin_consent = diagnosis
        .facts
        .tenant
        .as_deref()
        .filter(|_| wants_link)
        .and_then(|tenant| admin_link(profile, tenant, features, Some(&diagnosis)).ok());
    let report = it_request::diagnostic_report(
        profile,
        features,
        &diagnosis,
        env!("CARGO_PKG_VERSION"),
        environment,
    )
    .unwrap_or_else(|e| format!("The diagnostic report could not be made: {e}"));
    let it_message = (diagnosis.fixed_by == FixedBy::ItAdmin && !wants_link)
        .then(|| it_request::it_fix_request(profile, features, &diagnosis).ok())
        .flatten()
        .map(|request| ItMessage {
            mailto: request.mailto(None),
            it_request: request,
        });
    Blocked {
        needs_tenant: wants_link && admin_consent.is_none(),
        diagnosis,
        admin_consent,
        report,
        pending_approval,
        it_message,
        last_check: None,
    }
}

/// What disconnecting does not do, and where the user revokes the app for good: My Apps in the
/// profile's cloud (ref §9), when its host there is known.
pub(crate) fn revoke_note(profile: &Profile) -> String {
    let whom = match profile.links_cloud().my_apps() {
        Some(my_apps) => format!("remove it at {my_apps} or ask your IT admin"),
        None => "ask your IT admin to remove it".to_owned(),
    };
    format!(
        "Tokens already issued stay valid until they expire (about an hour); to revoke the app's access entirely, {whom}."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::{diagnose_with, Confidence, FixedBy};

    /// Issue 10 item 14 (ref §9): My Apps in the profile's cloud, or no link where none is known.
    #[test]
    fn the_revoke_note_names_my_apps_of_the_profiles_cloud() {
        let cloud = |name: &str| {
            let text = crate::profile::SANDBOX_PROFILE
                .replace("# cloud = \"global\"", &format!("cloud = \"{name}\""));
            revoke_note(&Profile::from_toml(&text).unwrap_or_else(|e| panic!("{e}")))
        };
        assert!(revoke_note(&Profile::sandbox()).contains("https://myapps.microsoft.com"));
        assert!(cloud("us_gov").contains("https://myapps.microsoft.us"));
        let china = cloud("china");
        assert!(!china.contains("https://"), "{china}");
        assert!(china.contains("ask your IT admin"), "{china}");
    }

    fn known(account: &str) -> Facts {
        Facts {
            tenant: tenant_of(None, Some(account)),
            account: Some(account.into()),
            ..Facts::default()
        }
    }

    #[test]
    fn blocked_json_is_pinned() {
        let blocked = Blocked {
            diagnosis: Diagnosis {
                cause: Cause::AdminApprovalRequestPossible,
                detail: Some("approval_required".into()),
                code: Some("AADSTS90095".into()),
                fixed_by: FixedBy::ItAdmin,
                explanation: "An admin must approve.".into(),
                next_steps: vec!["Press Request approval.".into()],
                facts: Facts {
                    error: Some("access_denied".into()),
                    aadsts_codes: vec![90095],
                    account: Some("nina@northwind-hiring.example".into()),
                    tenant: Some("northwind-hiring.example".into()),
                    ..Facts::default()
                },
                confidence: Confidence::High,
                evidence: Vec::new(),
                also_possible: None,
            },
            admin_consent: Some(AdminLink {
                tenant: "northwind-hiring.example".into(),
                url: "http://127.0.0.1:4321/northwind-hiring.example/v2.0/adminconsent?client_id=c"
                    .into(),
                it_request: ItRequest {
                    subject: "Please approve".into(),
                    body: "Hello".into(),
                },
                mailto: "mailto:?subject=Please%20approve&body=Hello".into(),
            }),
            needs_tenant: false,
            report: "Inbox Connect diagnostic report".into(),
            pending_approval: Some(PendingApproval {
                account: Some("nina@northwind-hiring.example".into()),
                tenant: Some("northwind-hiring.example".into()),
                features: vec![Feature::Mailbox],
                since: OffsetDateTime::from_unix_timestamp(1_800_000_000)
                    .unwrap_or_else(|e| panic!("{e}")),
                cause: Cause::AdminApprovalRequestPossible,
                detail: Some("approval_required".into()),
                facts: Facts::default(),
            }),
            it_message: None,
            last_check: Some(LastCheck {
                at: OffsetDateTime::from_unix_timestamp(1_800_000_600)
                    .unwrap_or_else(|e| panic!("{e}")),
                outcome: RecheckOutcome::SignInNeeded {
                    reason: SignInReason::NoSession,
                },
                code: Some("AADSTS50058".into()),
                by: CheckedBy::Browser,
            }),
        };
        assert_eq!(
            serde_json::to_value(&blocked).unwrap_or_default(),
            serde_json::json!({
                "diagnosis": {
                    "cause": "admin_approval_request_possible",
                    "detail": "approval_required",
                    "code": "AADSTS90095",
                    "fixed_by": "it_admin",
                    "explanation": "An admin must approve.",
                    "next_steps": ["Press Request approval."],
                    "facts": {
                        "error": "access_denied",
                        "aadsts_codes": [90095],
                        "account": "nina@northwind-hiring.example",
                        "tenant": "northwind-hiring.example"
                    },
                    "confidence": "high",
                    "evidence": [],
                    "also_possible": null
                },
                "admin_consent": {
                    "tenant": "northwind-hiring.example",
                    "url": "http://127.0.0.1:4321/northwind-hiring.example/v2.0/adminconsent?client_id=c",
                    "it_request": {"subject": "Please approve", "body": "Hello"},
                    "mailto": "mailto:?subject=Please%20approve&body=Hello"
                },
                "needs_tenant": false,
                "report": "Inbox Connect diagnostic report",
                "pending_approval": {
                    "account": "nina@northwind-hiring.example",
                    "tenant": "northwind-hiring.example",
                    "features": ["mailbox"],
                    "since": "2027-01-15T08:00:00Z",
                    "cause": "admin_approval_request_possible",
                    "detail": "approval_required",
                    "facts": {}
                },
                "last_check": {
                    "at": "2027-01-15T08:10:00Z",
                    "outcome": "sign_in_needed",
                    "reason": "no_session",
                    "code": "AADSTS50058",
                    "by": "browser"
                }
            })
        );
        let back: Blocked =
            serde_json::from_value(serde_json::to_value(&blocked).unwrap_or_default())
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            back, blocked,
            "a pending approval reads back as it was written"
        );
    }

    #[test]
    fn admin_causes_get_the_link_for_the_users_own_tenant() {
        let d = diagnose_with(
            "error=consent_required&error_description=AADSTS90094:+Admin+consent+is+required.",
            known("taylor@tailspin-talent.example"),
        );
        let b = blocked(&crate::test_profile(), &[Feature::Mailbox], d, None, &[]);
        let link = b.admin_consent.unwrap_or_else(|| panic!("a link"));
        assert_eq!(link.tenant, "tailspin-talent.example");
        assert!(link
            .url
            .starts_with("http://127.0.0.1:4321/tailspin-talent.example/v2.0/adminconsent?"));
        assert!(link.it_request.body.contains(&link.url));
        assert!(link.mailto.starts_with("mailto:?subject="));
        assert!(!b.needs_tenant);
        assert!(b.report.contains(env!("CARGO_PKG_VERSION")));
        assert!(b.report.contains("admin_consent_required"));
    }

    #[test]
    fn a_refused_look_says_not_yet_or_why_a_sign_in_is_needed() {
        let fields = |error: &str, codes: &[i64], suberror: Option<&str>| OAuthErrorFields {
            error: error.into(),
            error_codes: codes.to_vec(),
            suberror: suberror.map(str::to_owned),
            ..OAuthErrorFields::default()
        };
        let needs = |reason| Some(RecheckOutcome::SignInNeeded { reason });
        for (f, expected) in [
            (
                fields("consent_required", &[65001], None),
                Some(RecheckOutcome::NotYet),
            ),
            (
                fields("invalid_grant", &[65001], None),
                Some(RecheckOutcome::NotYet),
            ),
            (
                fields("login_required", &[50058], None),
                needs(SignInReason::NoSession),
            ),
            (
                fields("interaction_required", &[50076], Some("basic_action")),
                needs(SignInReason::VerificationDue),
            ),
            (
                fields("interaction_required", &[16000], None),
                needs(SignInReason::AccountChoice),
            ),
            (fields("invalid_grant", &[70008], None), None),
            (fields("access_denied", &[53003], None), None),
        ] {
            assert_eq!(RecheckOutcome::of(&f), expected, "{f:?}");
        }
    }

    #[test]
    fn without_a_tenant_the_ui_asks_and_other_causes_get_no_link() {
        let d = diagnose_with("AADSTS90094: Admin consent is required.", Facts::default());
        let b = blocked(&crate::test_profile(), &[Feature::Mailbox], d, None, &[]);
        assert!(b.admin_consent.is_none() && b.needs_tenant);

        let d = diagnose_with(
            "error=access_denied&error_description=AADSTS53003:+Access+has+been+blocked+by+Conditional+Access+policies.",
            known("bob@adatum-agency.example"),
        );
        let b = blocked(&crate::test_profile(), &[Feature::Mailbox], d, None, &[]);
        assert_eq!(b.diagnosis.cause, Cause::ConditionalAccessBlocked);
        assert!(b.admin_consent.is_none() && !b.needs_tenant);
        let message = b.it_message.unwrap_or_else(|| panic!("a message to IT"));
        assert!(message.mailto.starts_with("mailto:?subject="));
    }

    #[test]
    fn the_tenant_comes_from_the_id_token_first_and_is_never_common() {
        assert_eq!(
            tenant_of(
                Some("3f6b2c1e-5a47-4d8e-9c21-7b0e4f9a2d61"),
                Some("riley@contoso-recruiting.example")
            )
            .as_deref(),
            Some("3f6b2c1e-5a47-4d8e-9c21-7b0e4f9a2d61")
        );
        assert_eq!(
            tenant_of(Some("common"), Some("riley@contoso-recruiting.example")).as_deref(),
            Some("contoso-recruiting.example")
        );
        assert_eq!(tenant_of(None, Some("riley")), None);
    }
}
