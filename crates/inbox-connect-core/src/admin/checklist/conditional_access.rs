//! The Conditional Access item: which enabled policies apply to the app, and whether one blocks it.

use crate::admin::portal::PortalLocation;
use crate::admin::snapshot::{ConditionalAccessPolicy, Reading};

use super::facts::Facts;
use super::item::item;
use super::{ChecklistItem, ItemId, Status};

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

pub(super) fn conditional_access(
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
