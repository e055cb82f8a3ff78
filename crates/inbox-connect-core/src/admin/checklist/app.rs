//! The items about the app itself in the tenant: present and enabled, who may use it, and
//! whether its publisher is verified.

use crate::admin::portal::PortalLocation;
use crate::admin::snapshot::{Assignment, Reading, ServicePrincipal, TenantSnapshot};

use super::facts::Facts;
use super::item::{item, plural, Verdict};
use super::{ChecklistItem, ItemId, Status};

pub(super) fn app_present(
    f: &Facts<'_>,
    reading: &Reading<Option<ServicePrincipal>>,
) -> ChecklistItem {
    let setting = format!("{} in your organization", f.app);
    item(
        ItemId::AppPresent,
        &setting,
        PortalLocation::enterprise_app(f.app, "Manage > Properties"),
        reading,
        "Application.Read.All",
        |sp| {
            let object_id =
                |sp: &ServicePrincipal| vec![format!("Object ID of the enterprise app: {}", sp.id)];
            match sp {
                Some(sp) if sp.account_enabled => Verdict {
                    status: Status::Green,
                    title: format!("{setting}: present and enabled for sign-in"),
                    consequence: "The app is known in your organization and enabled for sign-in.".into(),
                    fix: String::new(),
                    details: object_id(sp),
                },
                Some(sp) => Verdict {
                    status: Status::Red,
                    title: format!("{setting}: present, but disabled for sign-in"),
                    consequence: "The app is disabled here: every recruiter's sign-in fails (AADSTS700016).".into(),
                    fix: "Set \"Enabled for users to sign in?\" to Yes.".into(),
                    details: object_id(sp),
                },
                None => Verdict {
                    status: Status::Amber,
                    title: format!("{setting}: not added yet"),
                    consequence: "Nobody has consented to the app yet; it is added to your organization at the first consent.".into(),
                    fix: f.grant_action("Grant"),
                    details: Vec::new(),
                },
            }
        },
    )
}

/// Someone assigned, by name (the object id when Graph sent no name) and kind.
fn assigned(a: &Assignment) -> String {
    let kind = match a.kind.to_ascii_lowercase().as_str() {
        "user" => "user",
        "group" => "group",
        "serviceprincipal" => "app",
        _ => "directory object",
    };
    if a.name.trim().is_empty() {
        format!("Assigned: the {kind} with object ID {}", a.id)
    } else {
        format!("Assigned: {} ({kind})", a.name)
    }
}

pub(super) fn assignment(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
    const SETTING: &str = "Assignment required";
    let location = PortalLocation::enterprise_app(
        f.app,
        "Manage > Properties > Assignment required? and Manage > Users and groups",
    );
    if !f.sp.is_some_and(|sp| sp.app_role_assignment_required) {
        return item(
            ItemId::Assignment,
            SETTING,
            location,
            &snapshot.service_principal,
            "Application.Read.All",
            |_| Verdict {
                status: Status::Green,
                title: format!("{SETTING}: No — everyone in the organization may connect"),
                consequence:
                    "Every user in the organization may connect (assignment is not required)."
                        .into(),
                fix: String::new(),
                details: vec![
                    "To limit who can use the app, require assignment and assign a group.".into(),
                ],
            },
        );
    }
    item(
        ItemId::Assignment,
        SETTING,
        location,
        &snapshot.assignments,
        "Application.Read.All",
        |list| {
            let details: Vec<String> = list.iter().map(assigned).collect();
            if list.is_empty() {
                Verdict {
                    status: Status::Red,
                    title: format!("{SETTING}: Yes — nobody is assigned, so nobody may connect"),
                    consequence: "Assignment is required and nobody is assigned: every recruiter gets AADSTS50105.".into(),
                    fix: "Assign the recruiters (or a group of them) to the app, or set Assignment required? to No.".into(),
                    details,
                }
            } else {
                Verdict {
                    status: Status::Amber,
                    title: format!(
                        "{SETTING}: Yes — only the {} may connect",
                        plural(list.len(), "assigned user or group", "assigned users and groups")
                    ),
                    consequence: "Only the assigned users and groups may connect; others get AADSTS50105, and users cannot consent themselves, so the permissions must be granted for the organization.".into(),
                    fix: "Assign every recruiter who needs the product (a group is easiest).".into(),
                    details,
                }
            }
        },
    )
}

pub(super) fn verified_publisher(
    f: &Facts<'_>,
    reading: &Reading<Option<ServicePrincipal>>,
) -> ChecklistItem {
    item(
        ItemId::VerifiedPublisher,
        "Publisher verification",
        PortalLocation::enterprise_app(f.app, "Overview"),
        reading,
        "Application.Read.All",
        |sp| {
            match sp.as_ref().map(|sp| &sp.verified_publisher) {
            Some(Some(name)) => Verdict {
                status: Status::Green,
                title: format!("Publisher: verified ({name})"),
                consequence: format!("Microsoft has verified the publisher ({name}): users see it on the consent page."),
                fix: String::new(),
                details: Vec::new(),
            },
            Some(None) => Verdict {
                status: Status::Amber,
                title: "Publisher: not verified".into(),
                consequence: "The publisher is not verified: users cannot consent under \"verified publishers\" settings, and Microsoft may treat the app as risky.".into(),
                fix: format!("{} Or ask the vendor to verify its publisher.", f.grant_action("Grant")),
                details: Vec::new(),
            },
            None => Verdict {
                status: Status::Unknown,
                title: format!("Publisher verification: known once {} is in your organization", f.app),
                consequence: "Shown once the app is in your organization.".into(),
                fix: String::new(),
                details: Vec::new(),
            },
        }
        },
    )
}
