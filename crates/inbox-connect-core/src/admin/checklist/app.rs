//! The items about the app itself in the tenant: present and enabled, who may use it, and
//! whether its publisher is verified.

use crate::admin::portal::PortalLocation;
use crate::admin::snapshot::{Reading, ServicePrincipal, TenantSnapshot};

use super::facts::{Facts, OPTION_A};
use super::item::item;
use super::{ChecklistItem, ItemId, Status};

pub(super) fn app_present(
    f: &Facts<'_>,
    reading: &Reading<Option<ServicePrincipal>>,
) -> ChecklistItem {
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

pub(super) fn assignment(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
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

pub(super) fn verified_publisher(
    f: &Facts<'_>,
    reading: &Reading<Option<ServicePrincipal>>,
) -> ChecklistItem {
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
