//! The items about consent: tenant-wide consent, the user consent setting, the approval workflow
//! and the requests waiting in it.

use crate::admin::portal::PortalLocation;
use crate::admin::snapshot::{ConsentRequestPolicy, OrgGrant, Reading, TenantSnapshot};

use super::facts::{Facts, UserConsent, OPTION_A, OPTION_B, OPTION_C};
use super::item::item;
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
        "Permissions granted for the whole organization",
        location,
        reading,
        "DelegatedPermissionGrant.Read.All",
        |_| {
            let missing = f.missing.clone().unwrap_or_default();
            if missing.is_empty() {
                return (
                    Status::Green,
                    "Every permission the product needs is granted for everyone: recruiters connect without a consent page.".into(),
                    String::new(),
                    Vec::new(),
                );
            }
            let status = if f.users_blocked() {
                Status::Red
            } else {
                Status::Amber
            };
            let consequence = if status == Status::Red {
                "Recruiters are stopped at \"Need admin approval\" or \"Approval required\" until these permissions are granted for the organization."
            } else {
                "Each recruiter must accept the permissions on Microsoft's consent page when connecting."
            };
            (
                status,
                consequence.into(),
                format!(
                    "Grant the missing permissions for the organization. {OPTION_A} {OPTION_C}"
                ),
                vec![format!(
                    "Not granted for the organization: {}",
                    missing.join(", ")
                )],
            )
        },
    )
}

pub(super) fn user_consent(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
    item(
        ItemId::UserConsent,
        "Users can consent to the app",
        PortalLocation::user_consent_settings(f.admin_centre),
        &snapshot.authorization_policy,
        "Policy.Read.All",
        |policy| {
            let mut details = vec![format!(
                "permissionGrantPoliciesAssigned: [{}]",
                policy.permission_grant_policies_assigned.join(", ")
            )];
            if !policy.allow_user_consent_for_risky_apps {
                details.push("Users may not consent to apps Microsoft flags as risky (allowUserConsentForRiskyApps = false, the recommended setting).".into());
            }
            let setting = f.user_consent.unwrap_or(UserConsent::Custom);
            if f.covered() {
                return (
                    Status::Green,
                    "Not needed: the permissions are granted for the whole organization.".into(),
                    String::new(),
                    details,
                );
            }
            let (status, consequence, fix) = match setting {
                UserConsent::AllApps => (
                    Status::Green,
                    "Recruiters can accept the permissions themselves (\"Allow user consent for apps\").",
                    String::new(),
                ),
                UserConsent::MicrosoftManaged => (
                    Status::Amber,
                    "Microsoft decides which permissions users may accept; mail and calendar permissions may be excluded (reported since 2025, UNCONFIRMED), so recruiters may need an admin.",
                    format!("If recruiters are blocked: {OPTION_A}"),
                ),
                UserConsent::VerifiedLowImpact => (
                    Status::Red,
                    "Users may accept only low-impact permissions of verified publishers: the mail and calendar permissions need an admin.",
                    format!("{OPTION_B} {OPTION_A}"),
                ),
                UserConsent::Off => (
                    Status::Red,
                    "User consent is off: no recruiter can accept the permissions.",
                    format!("{OPTION_A} {OPTION_B}"),
                ),
                UserConsent::Custom => (
                    Status::Amber,
                    "A custom consent policy decides; the app cannot tell whether it covers these permissions.",
                    format!("If recruiters are blocked: {OPTION_A}"),
                ),
            };
            (status, consequence.into(), fix, details)
        },
    )
}

/// A reviewer query (`/users/{id}`, `/groups/{id}/transitiveMembers`, ...) in words.
pub(super) fn reviewer(query: &str) -> String {
    if let Some(id) = query.strip_prefix("/users/") {
        return format!("user {id}");
    }
    match query
        .strip_prefix("/groups/")
        .and_then(|rest| rest.split('/').next())
    {
        Some(id) => format!("members of group {id}"),
        None => query.to_owned(),
    }
}

pub(super) fn consent_requests(
    f: &Facts<'_>,
    reading: &Reading<ConsentRequestPolicy>,
) -> ChecklistItem {
    item(
        ItemId::ConsentRequests,
        "Recruiters can request approval",
        PortalLocation::admin_consent_settings(),
        reading,
        "Policy.Read.All",
        |policy| {
            let details = vec![
                format!(
                    "Reviewers: {}",
                    if policy.reviewers.is_empty() {
                        "none".to_owned()
                    } else {
                        policy
                            .reviewers
                            .iter()
                            .map(|q| reviewer(q))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
                format!(
                    "Requests expire after {} days",
                    policy.request_duration_in_days
                ),
            ];
            let enable = "Set \"Users can request admin consent to apps they are unable to consent to\" to Yes and choose reviewers.";
            match (policy.is_enabled, policy.reviewers.is_empty(), f.users_blocked()) {
                (true, false, _) => (
                    Status::Green,
                    "Blocked recruiters see \"Approval required\" and can send a request to the reviewers.".into(),
                    String::new(),
                    details,
                ),
                (true, true, _) => (
                    Status::Amber,
                    "Requests are on but nobody reviews them.".into(),
                    "Choose at least one reviewer.".into(),
                    details,
                ),
                (false, _, true) => (
                    Status::Amber,
                    "Blocked recruiters see \"Need admin approval\" and cannot send a request from the consent page.".into(),
                    enable.into(),
                    details,
                ),
                (false, _, false) => (
                    Status::Green,
                    "Off; recruiters are not blocked, so they do not need it.".into(),
                    String::new(),
                    details,
                ),
            }
        },
    )
}

pub(super) fn pending_requests(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
    item(
        ItemId::PendingRequests,
        "Approval requests waiting",
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
                (
                    Status::Green,
                    "No recruiter is waiting for approval.".into(),
                    String::new(),
                    details,
                )
            } else {
                (
                    Status::Amber,
                    format!("{} recruiter(s) are waiting for approval and cannot connect until then.", requests.len()),
                    format!("Review the requests, or grant consent for the organization, which completes them all. {}", if f.covered() { "" } else { OPTION_A }).trim_end().to_owned(),
                    details,
                )
            }
        },
    )
}
