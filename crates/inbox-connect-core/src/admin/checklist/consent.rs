//! The items about consent: tenant-wide consent, the user consent setting, the approval workflow
//! and the requests waiting in it.

use crate::admin::portal::PortalLocation;
use crate::admin::snapshot::{ConsentRequestPolicy, OrgGrant, Reading, TenantSnapshot};

use super::facts::{
    user_consent_policies, Facts, UserConsent, CLASSIFY_LOW_IMPACT, LET_USERS_CONSENT,
};
use super::item::{item, plural, Verdict};
use super::{ChecklistItem, ItemId, Status};

pub(super) fn org_consent(f: &Facts<'_>, reading: &Reading<Vec<OrgGrant>>) -> ChecklistItem {
    let location = PortalLocation::grant_consent(
        f.app,
        f.consent_link.clone(),
        f.sp.map(|sp| sp.id.as_str()),
        f.app_id,
        f.admin_centre,
    );
    item(
        ItemId::OrgConsent,
        "Admin consent for the organization",
        location,
        reading,
        "DelegatedPermissionGrant.Read.All",
        |grants| {
            let missing = f.missing.clone().unwrap_or_default();
            if missing.is_empty() {
                return Verdict {
                    status: Status::Green,
                    title: "Admin consent for the organization: granted for every permission the product needs".into(),
                    consequence: "Every permission the product needs is granted for everyone: recruiters connect without a consent page.".into(),
                    fix: String::new(),
                    details: Vec::new(),
                };
            }
            let granted = if grants.iter().all(|g| g.scopes.is_empty()) {
                "not granted".to_owned()
            } else {
                format!(
                    "partly granted, {} missing",
                    plural(missing.len(), "permission", "permissions")
                )
            };
            let (status, effect, consequence) = if f.users_blocked() {
                (
                    Status::Red,
                    "recruiters are blocked",
                    "Recruiters are stopped at \"Need admin approval\" or \"Approval required\" until these permissions are granted for the organization.",
                )
            } else {
                (
                    Status::Amber,
                    "each recruiter consents when connecting",
                    "Each recruiter must accept the permissions on Microsoft's consent page when connecting.",
                )
            };
            Verdict {
                status,
                title: format!("Admin consent for the organization: {granted} — {effect}"),
                consequence: consequence.into(),
                fix: f.grant_actions(),
                details: vec![format!(
                    "Not granted for the organization: {}",
                    missing.join(", ")
                )],
            }
        },
    )
}

pub(super) fn user_consent(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
    item(
        ItemId::UserConsent,
        "User consent",
        PortalLocation::user_consent_settings(f.admin_centre),
        &snapshot.authorization_policy,
        "Policy.Read.All",
        |policy| {
            let setting = f.user_consent.unwrap_or(UserConsent::Custom);
            let chosen = match setting {
                UserConsent::Custom => {
                    let ids = user_consent_policies(&policy.permission_grant_policies_assigned);
                    format!("{} ({})", setting.setting(), ids.join(", "))
                }
                other => format!("\"{}\"", other.setting()),
            };
            let mut details = vec![format!("User consent for applications: {chosen}")];
            if !policy.allow_user_consent_for_risky_apps {
                details.push("Users cannot consent to apps Microsoft flags as risky (the recommended setting).".into());
            }
            let state = setting.state();
            if f.covered() {
                return Verdict {
                    status: Status::Green,
                    title: format!(
                        "User consent: {state} — not needed, the app is granted for everyone"
                    ),
                    consequence:
                        "Not needed: the permissions are granted for the whole organization.".into(),
                    fix: String::new(),
                    details,
                };
            }
            let (status, effect, consequence, fix) = match setting {
                UserConsent::AllApps => (
                    Status::Green,
                    "recruiters can accept the permissions themselves",
                    "Recruiters can accept the permissions themselves (\"Allow user consent for apps\").",
                    String::new(),
                ),
                UserConsent::MicrosoftManaged => (
                    Status::Amber,
                    "mail and calendar permissions may need an admin",
                    "Microsoft decides which permissions users may accept; mail and calendar permissions may be excluded (reported since 2025, UNCONFIRMED), so recruiters may need an admin.",
                    f.grant_action("If recruiters are blocked, grant"),
                ),
                UserConsent::VerifiedLowImpact => (
                    Status::Red,
                    "recruiters are blocked",
                    "Users may accept only low-impact permissions of verified publishers: the mail and calendar permissions need an admin.",
                    format!("{CLASSIFY_LOW_IMPACT} {}", f.grant_action("Or grant")),
                ),
                UserConsent::Off => (
                    Status::Red,
                    "recruiters are blocked",
                    "User consent is off: no recruiter can accept the permissions.",
                    format!("{} {LET_USERS_CONSENT}", f.grant_action("Grant")),
                ),
                UserConsent::Custom => (
                    Status::Amber,
                    "it may not cover the app's permissions",
                    "A custom consent policy decides; the app cannot tell whether it covers these permissions.",
                    f.grant_action("If recruiters are blocked, grant"),
                ),
            };
            Verdict {
                status,
                title: format!("User consent: {state} — {effect}"),
                consequence: consequence.into(),
                fix,
                details,
            }
        },
    )
}

pub(super) fn consent_requests(
    f: &Facts<'_>,
    reading: &Reading<ConsentRequestPolicy>,
) -> ChecklistItem {
    item(
        ItemId::ConsentRequests,
        "Admin consent requests",
        PortalLocation::admin_consent_settings(),
        reading,
        "Policy.Read.All",
        |policy| {
            let reviewers = if policy.reviewers.is_empty() {
                "none".to_owned()
            } else {
                policy
                    .reviewers
                    .iter()
                    .map(|r| f.names.reviewer(r))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let details = vec![
                format!("Reviewers: {reviewers}"),
                format!(
                    "Requests expire after {} days",
                    policy.request_duration_in_days
                ),
            ];
            let enable = "Set \"Users can request admin consent to apps they are unable to consent to\" to Yes and choose reviewers.";
            let (status, title, consequence, fix) = match (
                policy.is_enabled,
                policy.reviewers.is_empty(),
                f.users_blocked(),
            ) {
                (true, false, _) => (
                    Status::Green,
                    "on — blocked recruiters can ask the reviewers",
                    "Blocked recruiters see \"Approval required\" and can send a request to the reviewers.",
                    "",
                ),
                (true, true, _) => (
                    Status::Amber,
                    "on, but nobody reviews them",
                    "Requests are on but nobody reviews them.",
                    "Choose at least one reviewer.",
                ),
                (false, _, true) => (
                    Status::Amber,
                    "off — blocked recruiters cannot ask for approval",
                    "Blocked recruiters see \"Need admin approval\" and cannot send a request from the consent page.",
                    enable,
                ),
                (false, _, false) => (
                    Status::Green,
                    "off — not needed, recruiters are not blocked",
                    "Off; recruiters are not blocked, so they do not need it.",
                    "",
                ),
            };
            Verdict {
                status,
                title: format!("Admin consent requests: {title}"),
                consequence: consequence.into(),
                fix: fix.into(),
                details,
            }
        },
    )
}

pub(super) fn pending_requests(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
    item(
        ItemId::PendingRequests,
        "Approval requests",
        PortalLocation::admin_consent_requests(),
        &snapshot.pending_requests,
        "ConsentRequest.Read.All",
        |requests| {
            let details: Vec<String> = requests
                .iter()
                .map(|r| {
                    format!(
                        "{} asked{}: {}",
                        r.requester,
                        r.created
                            .as_ref()
                            .map(|c| format!(" on {c}"))
                            .unwrap_or_default(),
                        r.reason.as_deref().unwrap_or("(no reason given)")
                    )
                })
                .collect();
            if requests.is_empty() {
                return Verdict {
                    status: Status::Green,
                    title: "Approval requests: none waiting".into(),
                    consequence: "No recruiter is waiting for approval.".into(),
                    fix: String::new(),
                    details,
                };
            }
            let review = "Review the requests, or grant admin consent for the organization, which completes them all";
            Verdict {
                status: Status::Amber,
                title: format!(
                    "Approval requests: {} waiting",
                    plural(requests.len(), "request", "requests")
                ),
                consequence: format!(
                    "{} recruiter(s) are waiting for approval and cannot connect until then.",
                    requests.len()
                ),
                fix: if f.covered() {
                    format!("{review}.")
                } else {
                    format!("{review}: {}.", f.grant_how())
                },
                details,
            }
        },
    )
}
