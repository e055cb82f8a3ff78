//! Building one item: the judge's verdict on a setting that was read, or the "not checked" item
//! that says which role and permission can read it.

use crate::admin::portal::PortalLocation;
use crate::admin::roles::RoleRequirement;
use crate::admin::snapshot::Reading;
use crate::graph::GraphErrorFields;

use super::{ChecklistItem, ItemId, Status};

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
pub(super) fn item<T>(
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
