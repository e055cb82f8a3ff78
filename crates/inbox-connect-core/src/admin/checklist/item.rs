//! Building one item: the judge's verdict on a setting that was read, or the "not checked" item
//! that says which role and permission can read it. The judge writes the title for the outcome it
//! found (the setting and its state), so a title never contradicts the colour.

use crate::admin::portal::PortalLocation;
use crate::admin::roles::RoleRequirement;
use crate::admin::snapshot::Reading;
use crate::graph::GraphErrorFields;
use crate::words::Words;

use super::{ChecklistItem, ItemId, Status};

/// What the judge found about a setting that was read.
pub(super) struct Verdict {
    pub(super) status: Status,
    /// The setting and its state, e.g. "User consent: off — recruiters are blocked".
    pub(super) title: Words,
    pub(super) consequence: Words,
    /// `None` when nothing needs changing.
    pub(super) fix: Option<Words>,
    pub(super) details: Vec<Words>,
}

/// An item whose setting could not be read.
fn unreadable(
    id: ItemId,
    setting: Words,
    location: PortalLocation,
    error: &GraphErrorFields,
    denied: bool,
    permission: &str,
) -> ChecklistItem {
    let needs = RoleRequirement::read(permission, id == ItemId::ConditionalAccess);
    let (consequence, fix) = if denied {
        ("checklist.not_checked.denied", needs.message.clone())
    } else {
        (
            "checklist.not_checked.failed",
            Words::new("checklist.not_checked.try_again"),
        )
    };
    ChecklistItem {
        id,
        title: Words::new("checklist.not_checked.title").with("setting", setting),
        status: Status::Unknown,
        consequence: Words::new(consequence),
        fix: Some(fix),
        location,
        details: vec![Words::new("checklist.not_checked.graph_answered")
            .with("status", error.status.to_string())
            .with("code", error.code.as_str())
            .with("message", error.message.as_str())],
        needs: denied.then_some(needs),
    }
}

/// Builds an item about `setting` (its name, for the "not checked" title), or the unreadable
/// item when `reading` failed.
pub(super) fn item<T>(
    id: ItemId,
    setting: Words,
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
