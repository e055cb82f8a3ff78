//! The items about the app itself in the tenant: present and enabled, who may use it, and
//! whether its publisher is verified.

use crate::admin::portal::PortalLocation;
use crate::admin::snapshot::{Assignment, Reading, ServicePrincipal, TenantSnapshot};
use crate::words::Words;

use super::facts::{Facts, Lead};
use super::item::{item, Verdict};
use super::{ChecklistItem, ItemId, Status};

pub(super) fn app_present(
    f: &Facts<'_>,
    reading: &Reading<Option<ServicePrincipal>>,
) -> ChecklistItem {
    let words = |key: &str| Words::new(key).with("app", f.app);
    item(
        ItemId::AppPresent,
        words("checklist.setting.app_present"),
        PortalLocation::enterprise_app(f.app, "Manage > Properties"),
        reading,
        "Application.Read.All",
        |sp| {
            let object_id = |sp: &ServicePrincipal| {
                vec![Words::new("checklist.app_present.object_id").with("id", sp.id.as_str())]
            };
            match sp {
                Some(sp) if sp.account_enabled => Verdict {
                    status: Status::Green,
                    title: words("checklist.app_present.enabled.title"),
                    consequence: Words::new("checklist.app_present.enabled.consequence"),
                    fix: None,
                    details: object_id(sp),
                },
                Some(sp) => Verdict {
                    status: Status::Red,
                    title: words("checklist.app_present.disabled.title"),
                    consequence: Words::new("checklist.app_present.disabled.consequence"),
                    fix: Some(Words::new("checklist.app_present.disabled.fix")),
                    details: object_id(sp),
                },
                None => Verdict {
                    status: Status::Amber,
                    title: words("checklist.app_present.absent.title"),
                    consequence: Words::new("checklist.app_present.absent.consequence"),
                    fix: Some(f.grant_action(Lead::Grant)),
                    details: Vec::new(),
                },
            }
        },
    )
}

/// Someone assigned, by name (the object id when Graph sent no name) and kind.
fn assigned(a: &Assignment) -> Words {
    let kind = Words::new(match a.kind.to_ascii_lowercase().as_str() {
        "user" => "checklist.assignment.kind.user",
        "group" => "checklist.assignment.kind.group",
        "serviceprincipal" => "checklist.assignment.kind.app",
        _ => "checklist.assignment.kind.other",
    });
    if a.name.trim().is_empty() {
        Words::new("checklist.assignment.assigned_id")
            .with("kind", kind)
            .with("id", a.id.as_str())
    } else {
        Words::new("checklist.assignment.assigned")
            .with("kind", kind)
            .with("name", a.name.as_str())
    }
}

pub(super) fn assignment(f: &Facts<'_>, snapshot: &TenantSnapshot) -> ChecklistItem {
    let setting = || Words::new("checklist.setting.assignment");
    let location = PortalLocation::enterprise_app(
        f.app,
        "Manage > Properties > Assignment required? and Manage > Users and groups",
    );
    if !f.sp.is_some_and(|sp| sp.app_role_assignment_required) {
        return item(
            ItemId::Assignment,
            setting(),
            location,
            &snapshot.service_principal,
            "Application.Read.All",
            |_| Verdict {
                status: Status::Green,
                title: Words::new("checklist.assignment.not_required.title"),
                consequence: Words::new("checklist.assignment.not_required.consequence"),
                fix: None,
                details: vec![Words::new("checklist.assignment.not_required.hint")],
            },
        );
    }
    item(
        ItemId::Assignment,
        setting(),
        location,
        &snapshot.assignments,
        "Application.Read.All",
        |list| {
            let details: Vec<Words> = list.iter().map(assigned).collect();
            if list.is_empty() {
                Verdict {
                    status: Status::Red,
                    title: Words::new("checklist.assignment.nobody.title"),
                    consequence: Words::new("checklist.assignment.nobody.consequence"),
                    fix: Some(Words::new("checklist.assignment.nobody.fix")),
                    details,
                }
            } else {
                Verdict {
                    status: Status::Amber,
                    title: Words::new("checklist.assignment.some.title").with("count", list.len()),
                    consequence: Words::new("checklist.assignment.some.consequence"),
                    fix: Some(Words::new("checklist.assignment.some.fix")),
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
        Words::new("checklist.setting.verified_publisher"),
        PortalLocation::enterprise_app(f.app, "Overview"),
        reading,
        "Application.Read.All",
        |sp| match sp.as_ref().map(|sp| &sp.verified_publisher) {
            Some(Some(name)) => Verdict {
                status: Status::Green,
                title: Words::new("checklist.publisher.verified.title").with("name", name.as_str()),
                consequence: Words::new("checklist.publisher.verified.consequence")
                    .with("name", name.as_str()),
                fix: None,
                details: Vec::new(),
            },
            Some(None) => Verdict {
                status: Status::Amber,
                title: Words::new("checklist.publisher.unverified.title"),
                consequence: Words::new("checklist.publisher.unverified.consequence"),
                fix: Some(
                    Words::new("checklist.publisher.unverified.fix")
                        .with("grant", f.grant_action(Lead::Grant)),
                ),
                details: Vec::new(),
            },
            None => Verdict {
                status: Status::Unknown,
                title: Words::new("checklist.publisher.unknown.title").with("app", f.app),
                consequence: Words::new("checklist.publisher.unknown.consequence"),
                fix: None,
                details: Vec::new(),
            },
        },
    )
}
