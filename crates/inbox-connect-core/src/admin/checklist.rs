//! The tenant checklist: a pure evaluation of what the admin path read, one item per setting that
//! decides whether recruiters can connect, each with its colour, what it means for recruiters,
//! the fix and where to make it.

use serde::{Deserialize, Serialize};

use crate::admin_consent::{admin_consent_url, registered_redirect_uri, TenantRef};
use crate::graph::GraphErrorFields;
use crate::profile::{Feature, Profile, ProfileError};

use super::portal::PortalLocation;
use super::roles::RoleRequirement;
use super::snapshot::{
    ConditionalAccessPolicy, ConsentRequestPolicy, Reading, ServicePrincipal, TenantSnapshot,
};

/// Which setting an item is about (stable ids for the UI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemId {
    /// The app's service principal exists and is enabled.
    AppPresent,
    /// Tenant-wide consent covers every permission of the profile.
    OrgConsent,
    /// The user consent setting.
    UserConsent,
    /// Admin consent requests (the approval workflow).
    ConsentRequests,
    /// "Assignment required" and who is assigned.
    Assignment,
    /// Conditional Access policies that apply to the app.
    ConditionalAccess,
    /// Recruiters' approval requests waiting for a reviewer.
    PendingRequests,
    /// The app's publisher is verified.
    VerifiedPublisher,
}

/// An item's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing to do.
    Green,
    /// Works, with a limit or a risk worth knowing.
    Amber,
    /// Blocks recruiters.
    Red,
    /// Could not be read (the item says which role or permission is needed).
    Unknown,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Which setting.
    pub id: ItemId,
    /// Short title.
    pub title: String,
    /// Its colour.
    pub status: Status,
    /// What it means for recruiters, in one sentence.
    pub consequence: String,
    /// What to change (empty when nothing needs changing).
    pub fix: String,
    /// Where to change it.
    pub location: PortalLocation,
    /// Facts behind the colour (missing permissions, who is assigned, policies, requests).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// When the setting could not be read: the role and permission that can read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<RoleRequirement>,
}

/// The checklist of one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    /// The organization (from the admin's sign-in).
    pub tenant_id: String,
    /// The items, in the order an admin works through them.
    pub items: Vec<ChecklistItem>,
}

impl Checklist {
    /// The item about `id`.
    pub fn item(&self, id: ItemId) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.id == id)
    }
}

/// Which user consent setting the tenant has (ref §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UserConsent {
    Off,
    VerifiedLowImpact,
    MicrosoftManaged,
    AllApps,
    Custom,
}

impl UserConsent {
    fn of(assigned: &[String]) -> UserConsent {
        const PREFIX: &str = "managepermissiongrantsforself.";
        let ids: Vec<String> = assigned
            .iter()
            .filter_map(|p| {
                p.to_ascii_lowercase()
                    .strip_prefix(PREFIX)
                    .map(str::to_owned)
            })
            .collect();
        let has = |id: &str| ids.iter().any(|i| i == id);
        if ids.is_empty() {
            UserConsent::Off
        } else if has("microsoft-user-default-legacy") {
            UserConsent::AllApps
        } else if has("microsoft-user-default-recommended") {
            UserConsent::MicrosoftManaged
        } else if has("microsoft-user-default-low") {
            UserConsent::VerifiedLowImpact
        } else {
            UserConsent::Custom
        }
    }

    /// Whether recruiters can consent to mail and calendar permissions themselves.
    fn lets_users_consent(self) -> bool {
        matches!(self, UserConsent::AllApps | UserConsent::MicrosoftManaged)
    }
}

/// The permission name without a resource prefix, lower-cased (`https://graph.microsoft.com/Mail.Send` → `mail.send`).
fn bare(scope: &str) -> String {
    scope
        .rsplit('/')
        .next()
        .unwrap_or(scope)
        .to_ascii_lowercase()
}

/// What every item needs to know.
struct Facts<'a> {
    app: &'a str,
    app_id: &'a str,
    /// The admin centre of the profile's cloud (ref §9).
    admin_centre: &'a str,
    sp: Option<&'a ServicePrincipal>,
    /// The profile's permissions not covered by tenant-wide consent (`None`: unknown).
    missing: Option<Vec<String>>,
    user_consent: Option<UserConsent>,
    consent_link: Option<String>,
}

impl Facts<'_> {
    fn covered(&self) -> bool {
        self.missing.as_ref().is_some_and(Vec::is_empty)
    }

    /// Whether recruiters without tenant-wide consent are blocked at the consent page.
    fn users_blocked(&self) -> bool {
        !self.covered()
            && (self.sp.is_some_and(|sp| sp.app_role_assignment_required)
                || self.user_consent.is_some_and(|u| !u.lets_users_consent()))
    }
}

const OPTION_A: &str = "Option A: grant admin consent for the organization (the link, or Grant admin consent in the portal).";
const OPTION_C: &str = "Option C: sign in to the app as a Global Administrator and tick \"Consent on behalf of your organization\" on the consent page.";
const OPTION_B: &str = "Option B: allow user consent for apps from verified publishers for selected permissions, and classify the app's permissions as low impact (Consent and permissions > Permission classifications).";

/// Evaluates what was read against the profile's permissions for `features` (empty: the
/// profile's defaults).
pub fn evaluate(
    profile: &Profile,
    features: &[Feature],
    snapshot: &TenantSnapshot,
) -> Result<Checklist, ProfileError> {
    let features = if features.is_empty() {
        profile.default_features()
    } else {
        features.to_vec()
    };
    let required: Vec<String> = profile
        .scopes_for(&features)?
        .into_iter()
        .map(|s| s.scope)
        .collect();
    let sp = snapshot.service_principal.value().and_then(Option::as_ref);
    let missing = snapshot.org_grants.value().map(|grants| {
        let granted: Vec<String> = grants
            .iter()
            .flat_map(|g| g.scopes.iter().map(|s| bare(s)))
            .collect();
        required
            .iter()
            .filter(|s| !granted.contains(&bare(s)))
            .cloned()
            .collect()
    });
    let consent_link = TenantRef::parse(&snapshot.tenant_id)
        .ok()
        .and_then(|t| {
            admin_consent_url(
                profile,
                &t,
                &features,
                &registered_redirect_uri(profile),
                None,
            )
            .ok()
        })
        .map(String::from);
    let facts = Facts {
        app: &profile.app_name,
        app_id: &profile.client_id,
        admin_centre: profile.links_cloud().admin_centre(),
        sp,
        missing,
        user_consent: snapshot
            .authorization_policy
            .value()
            .map(|p| UserConsent::of(&p.permission_grant_policies_assigned)),
        consent_link,
    };
    Ok(Checklist {
        tenant_id: snapshot.tenant_id.clone(),
        items: vec![
            app_present(&facts, &snapshot.service_principal),
            org_consent(&facts, &snapshot.org_grants),
            user_consent(&facts, snapshot),
            consent_requests(&facts, &snapshot.consent_request_policy),
            assignment(&facts, snapshot),
            conditional_access(&facts, &snapshot.conditional_access),
            pending_requests(&facts, snapshot),
            verified_publisher(&facts, &snapshot.service_principal),
        ],
    })
}

/// An item whose setting could not be read.
fn unreadable(
    id: ItemId,
    title: &str,
    location: PortalLocation,
    error: &GraphErrorFields,
    denied: bool,
    permission: &str,
) -> ChecklistItem {
    let needs = RoleRequirement::read(permission, id == ItemId::ConditionalAccess);
    let (consequence, fix) = if denied {
        (
            "Not checked: the signed-in account may not read this setting.".to_owned(),
            needs.message.clone(),
        )
    } else {
        (
            "Not checked: Microsoft Graph could not answer.".to_owned(),
            "Run the check again in a minute.".to_owned(),
        )
    };
    ChecklistItem {
        id,
        title: title.to_owned(),
        status: Status::Unknown,
        consequence,
        fix,
        location,
        details: vec![format!(
            "Graph answered {} {}: {}",
            error.status, error.code, error.message
        )],
        needs: denied.then_some(needs),
    }
}

/// Builds an item, or the unreadable item when `reading` failed.
fn item<T>(
    id: ItemId,
    title: &str,
    location: PortalLocation,
    reading: &Reading<T>,
    permission: &str,
    judge: impl FnOnce(&T) -> (Status, String, String, Vec<String>),
) -> ChecklistItem {
    match reading {
        Reading::Read(value) => {
            let (status, consequence, fix, details) = judge(value);
            ChecklistItem {
                id,
                title: title.to_owned(),
                status,
                consequence,
                fix,
                location,
                details,
                needs: None,
            }
        }
        Reading::Denied(e) => unreadable(id, title, location, e, true, permission),
        Reading::Failed(e) => unreadable(id, title, location, e, false, permission),
    }
}

fn app_present(f: &Facts<'_>, reading: &Reading<Option<ServicePrincipal>>) -> ChecklistItem {
    let title = format!("{} is in your organization", f.app);
    item(
        ItemId::AppPresent,
        &title,
        PortalLocation::enterprise_app(f.app, "Manage > Properties"),
        reading,
        "Application.Read.All",
        |sp| {
            match sp {
            Some(sp) if sp.account_enabled => (
                Status::Green,
                "The app is known in your organization and enabled for sign-in.".into(),
                String::new(),
                vec![format!("Service principal {}", sp.id)],
            ),
            Some(sp) => (
                Status::Red,
                "The app is disabled here: every recruiter's sign-in fails (AADSTS700016).".into(),
                "Set \"Enabled for users to sign in?\" to Yes.".into(),
                vec![format!("Service principal {}", sp.id)],
            ),
            None => (
                Status::Amber,
                "Nobody has consented to the app yet; it is added to your organization at the first consent.".into(),
                format!("Grant consent for the organization to add it. {OPTION_A}"),
                Vec::new(),
            ),
        }
        },
    )
}

fn org_consent(f: &Facts<'_>, reading: &Reading<Vec<super::snapshot::OrgGrant>>) -> ChecklistItem {
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

fn user_consent(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
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
fn reviewer(query: &str) -> String {
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

fn consent_requests(f: &Facts<'_>, reading: &Reading<ConsentRequestPolicy>) -> ChecklistItem {
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

fn assignment(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
    let location = PortalLocation::enterprise_app(
        f.app,
        "Manage > Properties > Assignment required? and Manage > Users and groups",
    );
    let Some(sp) = f.sp.filter(|sp| sp.app_role_assignment_required) else {
        return item(
            ItemId::Assignment,
            "Who may connect",
            location,
            &snapshot.service_principal,
            "Application.Read.All",
            |_| {
                (
                    Status::Green,
                    "Every user in the organization may connect (assignment is not required)."
                        .into(),
                    String::new(),
                    vec![
                        "To limit who can use the app, require assignment and assign a group."
                            .into(),
                    ],
                )
            },
        );
    };
    item(
        ItemId::Assignment,
        "Who may connect",
        location,
        &snapshot.assignments,
        "Application.Read.All",
        |assigned| {
            let mut details = vec![format!("Service principal {}: assignment required", sp.id)];
            details.extend(
                assigned
                    .iter()
                    .map(|a| format!("Assigned: {} ({})", a.name, a.kind)),
            );
            if assigned.is_empty() {
                (
                    Status::Red,
                    "Assignment is required and nobody is assigned: every recruiter gets AADSTS50105.".into(),
                    "Assign the recruiters (or a group of them) to the app, or set Assignment required? to No.".into(),
                    details,
                )
            } else {
                (
                    Status::Amber,
                    "Only the assigned users and groups may connect; others get AADSTS50105, and users cannot consent themselves, so the permissions must be granted for the organization.".into(),
                    "Assign every recruiter who needs the product (a group is easiest).".into(),
                    details,
                )
            }
        },
    )
}

/// Whether an enabled policy applies to this app.
fn applies(policy: &ConditionalAccessPolicy, app_id: &str) -> bool {
    let names = |list: &[String]| {
        list.iter()
            .any(|a| a.eq_ignore_ascii_case("All") || a.eq_ignore_ascii_case(app_id))
    };
    policy.state == "enabled"
        && names(&policy.include_applications)
        && !policy
            .exclude_applications
            .iter()
            .any(|a| a.eq_ignore_ascii_case(app_id))
}

fn conditional_access(
    f: &Facts<'_>,
    reading: &Reading<Vec<ConditionalAccessPolicy>>,
) -> ChecklistItem {
    item(
        ItemId::ConditionalAccess,
        "Conditional Access policies",
        PortalLocation::conditional_access(),
        reading,
        "Policy.Read.All",
        |policies| {
            let relevant: Vec<&ConditionalAccessPolicy> =
                policies.iter().filter(|p| applies(p, f.app_id)).collect();
            let who = |p: &ConditionalAccessPolicy| {
                if p.include_users
                    .iter()
                    .any(|u| u.eq_ignore_ascii_case("All"))
                {
                    "everyone".to_owned()
                } else {
                    format!("{} user(s)", p.include_users.len())
                }
            };
            let details: Vec<String> = relevant
                .iter()
                .map(|p| {
                    format!(
                        "\"{}\" ({}) for {}: {}",
                        p.display_name,
                        p.state,
                        who(p),
                        p.controls.join(", ")
                    )
                })
                .collect();
            let blocks = relevant
                .iter()
                .any(|p| p.controls.iter().any(|c| c == "block"));
            if blocks {
                (
                    Status::Red,
                    "A policy blocks the app for some or all recruiters (AADSTS53003).".into(),
                    "Exclude the app (or the recruiters) from the blocking policy, if the block is not intended.".into(),
                    details,
                )
            } else if relevant.is_empty() {
                (
                    Status::Green,
                    "No enabled policy applies to the app.".into(),
                    String::new(),
                    details,
                )
            } else {
                (
                    Status::Amber,
                    "Recruiters must meet the policies' conditions (for example multifactor authentication) when connecting.".into(),
                    "Nothing to change if these conditions are intended; tell recruiters what to expect.".into(),
                    details,
                )
            }
        },
    )
}

fn pending_requests(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
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

fn verified_publisher(f: &Facts<'_>, reading: &Reading<Option<ServicePrincipal>>) -> ChecklistItem {
    item(
        ItemId::VerifiedPublisher,
        "Publisher verified",
        PortalLocation::enterprise_app(f.app, "Overview"),
        reading,
        "Application.Read.All",
        |sp| {
            match sp.as_ref().map(|sp| &sp.verified_publisher) {
            Some(Some(name)) => (
                Status::Green,
                format!("Microsoft has verified the publisher ({name}): users see it on the consent page."),
                String::new(),
                Vec::new(),
            ),
            Some(None) => (
                Status::Amber,
                "The publisher is not verified: users cannot consent under \"verified publishers\" settings, and Microsoft may treat the app as risky.".into(),
                "Grant consent for the organization (option A), or ask the vendor to verify its publisher.".into(),
                Vec::new(),
            ),
            None => (
                Status::Unknown,
                "Shown once the app is in your organization.".into(),
                String::new(),
                Vec::new(),
            ),
        }
        },
    )
}

#[cfg(test)]
mod tests;
