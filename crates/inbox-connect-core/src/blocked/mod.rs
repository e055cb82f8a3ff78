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

use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use crate::diagnosis::{Cause, Diagnosis, Facts, FixedBy};
use crate::profile::{Feature, Profile, TenantId};
use crate::refusal::OAuthErrorFields;
use crate::words::Language;
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

/// Why a silent look needs the recruiter (`login_required` / `interaction_required`, docs/entra-reference.md §1.2).
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
    pub tenant: TenantRef,
    /// The v2 admin-consent URL (docs/entra-reference.md §3.1).
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
    #[serde(default, deserialize_with = "organization_or_none")]
    pub tenant: Option<TenantRef>,
    /// The features asked for.
    pub features: Vec<Feature>,
    /// When the wait began.
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    /// When IT was asked: the request sent from Microsoft's "Approval required" page, or the
    /// message or link the recruiter sent ([`crate::Connector::it_asked`]). Until then the app
    /// looks for an approval but does not say it waits for IT (nobody was asked).
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub asked_at: Option<OffsetDateTime>,
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
        let now = OffsetDateTime::now_utc();
        // Microsoft's "Approval required" page sent the request itself.
        let requested = diagnosis.cause == Cause::AdminApprovalRequestPossible;
        PendingApproval {
            account: diagnosis.facts.account.clone(),
            tenant: diagnosis
                .facts
                .tenant
                .as_deref()
                .and_then(|t| TenantRef::parse(t).ok()),
            features: features.to_vec(),
            since: now,
            asked_at: requested.then_some(now),
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

/// A stored wait's organization; one that no longer reads as an organization (written by hand,
/// or under older rules) is dropped rather than the whole wait.
fn organization_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TenantRef>, D::Error> {
    let text = Option::<String>::deserialize(d)?;
    Ok(text.and_then(|t| TenantRef::parse(&t).ok()))
}

/// The organization to name in an admin-consent link: the id token's tenant when there was one,
/// else the account's email domain; never `common` or the personal-account tenant (that parse
/// fails).
pub(crate) fn tenant_of(tenant_id: Option<&TenantId>, account: Option<&str>) -> Option<TenantRef> {
    tenant_id
        .map(TenantId::as_str)
        .into_iter()
        .chain(account)
        .find_map(|text| TenantRef::parse(text).ok())
}

/// The admin-consent link for `tenant` and the message to IT around it, in `language`.
pub(crate) fn admin_link(
    profile: &Profile,
    tenant: &TenantRef,
    features: &[Feature],
    diagnosis: Option<&Diagnosis>,
    language: Language,
) -> Result<AdminLink, AdminLinkError> {
    let url = admin_consent::admin_consent_url(
        profile,
        tenant,
        features,
        &admin_consent::registered_redirect_uri(profile),
        None,
    )?;
    let request = it_request::it_request(profile, features, &url, diagnosis, language)?;
    Ok(AdminLink {
        tenant: tenant.clone(),
        url: url.to_string(),
        mailto: request.mailto(None),
        it_request: request,
    })
}

/// For a cause IT must remove and no consent lifts: the message to IT, in `language`.
pub(crate) fn it_message(
    profile: &Profile,
    features: &[Feature],
    diagnosis: &Diagnosis,
    language: Language,
) -> Option<ItMessage> {
    let wanted = diagnosis.fixed_by == FixedBy::ItAdmin && !diagnosis.cause.awaits_admin_consent();
    let request = wanted
        .then(|| it_request::it_fix_request(profile, features, diagnosis, language).ok())
        .flatten()?;
    Some(ItMessage {
        mailto: request.mailto(None),
        it_request: request,
    })
}

/// The blocked state for a diagnosis, its message to IT in `language`.
pub(crate) fn blocked(
    profile: &Profile,
    features: &[Feature],
    diagnosis: Diagnosis,
    pending_approval: Option<PendingApproval>,
    environment: &[String],
    language: Language,
) -> Blocked {
    let wants_link = diagnosis.cause.awaits_admin_consent();
    let admin_consent = diagnosis
        .facts
        .tenant
        .as_deref()
        .filter(|_| wants_link)
        .and_then(|tenant| TenantRef::parse(tenant).ok())
        .and_then(|tenant| admin_link(profile, &tenant, features, Some(&diagnosis), language).ok());
    let report = it_request::diagnostic_report(
        profile,
        features,
        &diagnosis,
        env!("CARGO_PKG_VERSION"),
        environment,
    )
    .unwrap_or_else(|e| format!("The diagnostic report could not be made: {e}"));
    let it_message = it_message(profile, features, &diagnosis, language);
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
/// profile's cloud (docs/entra-reference.md §9), when its host there is known.
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
mod tests;
