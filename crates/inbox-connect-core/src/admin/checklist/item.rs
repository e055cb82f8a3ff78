//! Building one item: the judge's verdict on a setting that was read, or the "not checked" item
//! that says which role and permission can read it. The judge writes the title for the outcome it
//! found (the setting and its state), so a title never contradicts the colour.

use crate::admin::portal::PortalLocation;
use crate::admin::roles::RoleRequirement;
use crate::admin::snapshot::Reading;
use crate::graph::GraphErrorFields;

use super::{ChecklistItem, ItemId, Status};

/// What the judge found about a setting that was read.
pub(super) struct Verdict {
    pub(super) status: Status,
    /// The setting and its state, e.g. "User consent: off — recruiters are blocked".
    pub(super) title: String,
    pub(super) consequence: String,
    /// Empty when nothing needs changing.
    pub(super) fix: String,
    pub(super) details: Vec<String>,
}

/// An item whose setting could not be read.
fn unreadable(
    id: ItemId,
    setting: &str,
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
        title: format!("{setting}: not checked"),
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

/// Builds an item about `setting` (its name, for the "not checked" title), or the unreadable
/// item when `reading` failed.
pub(super) fn item<T>(
    id: ItemId,
    setting: &str,
    location: PortalLocation,
    reading: &Reading<T>,
    permission: &str,
    judge: impl FnOnce(&T) -> Verdict,
) -> ChecklistItem {
    match reading {
        Reading::Read(value) => {
            let verdict = judge(value);
            ChecklistItem {
                id,
                title: verdict.title,
                status: verdict.status,
                consequence: verdict.consequence,
                fix: verdict.fix,
                location,
                details: verdict.details,
                needs: None,
            }
        }
        Reading::Denied(e) => unreadable(id, setting, location, e, true, permission),
        Reading::Failed(e) => unreadable(id, setting, location, e, false, permission),
    }
}

/// "1 permission", "3 permissions".
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
