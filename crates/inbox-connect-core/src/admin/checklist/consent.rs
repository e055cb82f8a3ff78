//! The items about consent: tenant-wide consent, the user consent setting, the approval workflow
//! and the requests waiting in it.

use crate::admin::portal::PortalLocation;
use crate::admin::snapshot::{ConsentRequestPolicy, OrgGrant, Reading, TenantSnapshot};
use crate::words::{List, Param, Words};

use super::facts::{user_consent_policies, Facts, Lead, UserConsent};
use super::item::{item, Verdict};
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
        Words::new("checklist.setting.org_consent"),
        location,
        reading,
        "DelegatedPermissionGrant.Read.All",
        |grants| {
            let missing = f.missing.clone().unwrap_or_default();
            if missing.is_empty() {
                return Verdict {
                    status: Status::Green,
                    title: Words::new("checklist.org_consent.granted.title"),
                    consequence: Words::new("checklist.org_consent.granted.consequence"),
                    fix: None,
                    details: Vec::new(),
                };
            }
            let granted = if grants.iter().all(|g| g.scopes.is_empty()) {
                Words::new("checklist.org_consent.state.not_granted")
            } else {
                Words::new("checklist.org_consent.state.partly").with("count", missing.len())
            };
            let (status, effect, consequence) = if f.users_blocked() {
                (
                    Status::Red,
                    "checklist.org_consent.effect.blocked",
                    "checklist.org_consent.blocked.consequence",
                )
            } else {
                (
                    Status::Amber,
                    "checklist.org_consent.effect.each_consents",
                    "checklist.org_consent.each_consents.consequence",
                )
            };
            let missing: Vec<Param> = missing.into_iter().map(Param::from).collect();
            Verdict {
                status,
                title: Words::new("checklist.org_consent.title")
                    .with("granted", granted)
                    .with("effect", Words::new(effect)),
                consequence: Words::new(consequence),
                fix: Some(f.grant_action(Lead::Grant)),
                details: vec![Words::new("checklist.org_consent.missing")
                    .with("permissions", List::AllOf(missing))],
            }
        },
    )
}

pub(super) fn user_consent(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
    item(
        ItemId::UserConsent,
        Words::new("checklist.setting.user_consent"),
        PortalLocation::user_consent_settings(f.admin_centre),
        &snapshot.authorization_policy,
        "Policy.Read.All",
        |policy| {
            let setting = f.user_consent.unwrap_or(UserConsent::Custom);
            let chosen = match setting.option() {
                Some(option) => Words::new("checklist.user_consent.option").with("option", option),
                None => {
                    let ids = user_consent_policies(&policy.permission_grant_policies_assigned);
                    Words::new("checklist.user_consent.custom_option")
                        .with("policies", ids.join(", "))
                }
            };
            let mut details = vec![chosen];
            if !policy.allow_user_consent_for_risky_apps {
                details.push(Words::new("checklist.user_consent.no_risky_apps"));
            }
            let title = |effect: &str| {
                Words::new("checklist.user_consent.title")
                    .with("state", setting.state())
                    .with("effect", Words::new(effect))
            };
            if f.covered() {
                return Verdict {
                    status: Status::Green,
                    title: title("checklist.user_consent.effect.not_needed"),
                    consequence: Words::new("checklist.user_consent.not_needed.consequence"),
                    fix: None,
                    details,
                };
            }
            let (status, effect, consequence, fix) = match setting {
                UserConsent::AllApps => (
                    Status::Green,
                    "checklist.user_consent.effect.users_accept",
                    "checklist.user_consent.all_apps.consequence",
                    None,
                ),
                UserConsent::MicrosoftManaged => (
                    Status::Amber,
                    "checklist.user_consent.effect.may_need_admin",
                    "checklist.user_consent.microsoft_managed.consequence",
                    Some(f.grant_action(Lead::IfBlocked)),
                ),
                UserConsent::VerifiedLowImpact => (
                    Status::Red,
                    "checklist.user_consent.effect.blocked",
                    "checklist.user_consent.verified_low_impact.consequence",
                    Some(
                        Words::new("checklist.user_consent.classify_low_impact")
                            .with("grant", f.grant_action(Lead::OrGrant)),
                    ),
                ),
                UserConsent::Off => (
                    Status::Red,
                    "checklist.user_consent.effect.blocked",
                    "checklist.user_consent.off.consequence",
                    Some(
                        Words::new("checklist.user_consent.or_let_users_consent")
                            .with("grant", f.grant_action(Lead::Grant)),
                    ),
                ),
                UserConsent::Custom => (
                    Status::Amber,
                    "checklist.user_consent.effect.may_not_cover",
                    "checklist.user_consent.custom.consequence",
                    Some(f.grant_action(Lead::IfBlocked)),
                ),
            };
            Verdict {
                status,
                title: title(effect),
                consequence: Words::new(consequence),
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
        Words::new("checklist.setting.consent_requests"),
        PortalLocation::admin_consent_settings(),
        reading,
        "Policy.Read.All",
        |policy| {
            let reviewers: Param = if policy.reviewers.is_empty() {
                Words::new("checklist.consent_requests.no_reviewers").into()
            } else {
                List::AllOf(
                    policy
                        .reviewers
                        .iter()
                        .map(|r| f.names.reviewer(r))
                        .collect(),
                )
                .into()
            };
            let details = vec![
                Words::new("checklist.consent_requests.reviewers").with("reviewers", reviewers),
                Words::new("checklist.consent_requests.expire").with(
                    "count",
                    u32::try_from(policy.request_duration_in_days).unwrap_or(0),
                ),
            ];
            let (status, title, consequence, fix) = match (
                policy.is_enabled,
                policy.reviewers.is_empty(),
                f.users_blocked(),
            ) {
                (true, false, _) => (
                    Status::Green,
                    "checklist.consent_requests.on.title",
                    "checklist.consent_requests.on.consequence",
                    None,
                ),
                (true, true, _) => (
                    Status::Amber,
                    "checklist.consent_requests.on_without_reviewers.title",
                    "checklist.consent_requests.on_without_reviewers.consequence",
                    Some("checklist.consent_requests.on_without_reviewers.fix"),
                ),
                (false, _, true) => (
                    Status::Amber,
                    "checklist.consent_requests.off_blocked.title",
                    "checklist.consent_requests.off_blocked.consequence",
                    Some("checklist.consent_requests.off_blocked.fix"),
                ),
                (false, _, false) => (
                    Status::Green,
                    "checklist.consent_requests.off_not_needed.title",
                    "checklist.consent_requests.off_not_needed.consequence",
                    None,
                ),
            };
            Verdict {
                status,
                title: Words::new(title),
                consequence: Words::new(consequence),
                fix: fix.map(Words::new),
                details,
            }
        },
    )
}

pub(super) fn pending_requests(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
    item(
        ItemId::PendingRequests,
        Words::new("checklist.setting.pending_requests"),
        PortalLocation::admin_consent_requests(),
        &snapshot.pending_requests,
        "ConsentRequest.Read.All",
        |requests| {
            let details: Vec<Words> = requests
                .iter()
                .map(|r| {
                    let reason: Param = match r.reason.as_deref() {
                        Some(reason) => reason.into(),
                        None => Words::new("checklist.pending.no_reason").into(),
                    };
                    let asked = match &r.created {
                        Some(on) => {
                            Words::new("checklist.pending.asked_on").with("on", on.as_str())
                        }
                        None => Words::new("checklist.pending.asked"),
                    };
                    asked
                        .with("requester", r.requester.as_str())
                        .with("reason", reason)
                })
                .collect();
            if requests.is_empty() {
                return Verdict {
                    status: Status::Green,
                    title: Words::new("checklist.pending.none.title"),
                    consequence: Words::new("checklist.pending.none.consequence"),
                    fix: None,
                    details,
                };
            }
            let fix = if f.covered() {
                Words::new("checklist.pending.review")
            } else {
                Words::new("checklist.pending.review_or_grant").with("how", f.grant_how())
            };
            Verdict {
                status: Status::Amber,
                title: Words::new("checklist.pending.waiting.title").with("count", requests.len()),
                consequence: Words::new("checklist.pending.waiting.consequence")
                    .with("count", requests.len()),
                fix: Some(fix),
                details,
            }
        },
    )
}
