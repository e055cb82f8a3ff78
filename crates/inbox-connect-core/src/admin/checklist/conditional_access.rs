//! The Conditional Access item: which enabled policies apply to the app, whom they cover and what
//! they require, in the admin centre's words, and whether one blocks the app.

use crate::admin::portal::PortalLocation;
use crate::admin::snapshot::{ConditionalAccessPolicy, Reading};

use super::facts::Facts;
use super::item::{item, plural, Verdict};
use super::names::{role, Names};
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

/// Users and groups of a policy's condition; `None` for the keyword that means nobody.
fn members(names: Names<'_>, users: &[String], groups: &[String]) -> Vec<String> {
    let users = users.iter().filter_map(|u| match u.as_str() {
        "None" => None,
        "GuestsOrExternalUsers" => Some("guests and external users".to_owned()),
        id => Some(names.user(id)),
    });
    let groups = groups
        .iter()
        .map(|g| format!("members of {}", names.group(g)));
    users.chain(groups).collect()
}

/// Whom a policy covers: "everyone except ...", or the users, groups and roles it names.
fn who(names: Names<'_>, p: &ConditionalAccessPolicy) -> String {
    let included = if p
        .include_users
        .iter()
        .any(|u| u.eq_ignore_ascii_case("All"))
    {
        "everyone".to_owned()
    } else {
        let mut list = members(names, &p.include_users, &p.include_groups);
        list.extend(
            p.include_roles
                .iter()
                .map(|r| format!("holders of {}", role(r))),
        );
        if list.is_empty() {
            "nobody".to_owned()
        } else {
            list.join(", ")
        }
    };
    let excluded = members(names, &p.exclude_users, &p.exclude_groups);
    if excluded.is_empty() {
        included
    } else {
        format!("{included} except {}", excluded.join(", "))
    }
}

/// A grant control as the policy's Grant pane names it.
fn control(c: &str) -> String {
    match c {
        "block" => "Block access".into(),
        "mfa" => "Require multifactor authentication".into(),
        "compliantDevice" => "Require device to be marked as compliant".into(),
        "domainJoinedDevice" => "Require Microsoft Entra hybrid joined device".into(),
        "approvedApplication" => "Require approved client app".into(),
        "compliantApplication" => "Require app protection policy".into(),
        "passwordChange" => "Require password change".into(),
        other => format!("another grant control ({other})"),
    }
}

/// What a policy requires: its controls, all of them or one of them.
fn requires(p: &ConditionalAccessPolicy) -> String {
    if p.controls.is_empty() {
        return "conditions other than grant controls (see the policy)".into();
    }
    let words: Vec<String> = p.controls.iter().map(|c| control(c)).collect();
    words.join(if p.require_all_controls {
        " and "
    } else {
        " or "
    })
}

pub(super) fn conditional_access(
    f: &Facts<'_>,
    reading: &Reading<Vec<ConditionalAccessPolicy>>,
) -> ChecklistItem {
    item(
        ItemId::ConditionalAccess,
        "Conditional Access",
        PortalLocation::conditional_access(),
        reading,
        "Policy.Read.All",
        |policies| {
            let relevant: Vec<&ConditionalAccessPolicy> =
                policies.iter().filter(|p| applies(p, f.app_id)).collect();
            let details: Vec<String> = relevant
                .iter()
                .map(|p| {
                    format!(
                        "\"{}\" for {}: {}",
                        p.display_name,
                        who(f.names, p),
                        requires(p)
                    )
                })
                .collect();
            let blocking = relevant
                .iter()
                .filter(|p| p.controls.iter().any(|c| c == "block"))
                .count();
            if blocking > 0 {
                Verdict {
                    status: Status::Red,
                    title: format!(
                        "Conditional Access: {} {} {}",
                        plural(blocking, "policy", "policies"),
                        if blocking == 1 { "blocks" } else { "block" },
                        f.app
                    ),
                    consequence: "A policy blocks the app for some or all recruiters (AADSTS53003).".into(),
                    fix: "Exclude the app (or the recruiters) from the blocking policy, if the block is not intended.".into(),
                    details,
                }
            } else if relevant.is_empty() {
                Verdict {
                    status: Status::Green,
                    title: format!("Conditional Access: no enabled policy applies to {}", f.app),
                    consequence: "No enabled policy applies to the app.".into(),
                    fix: String::new(),
                    details,
                }
            } else {
                Verdict {
                    status: Status::Amber,
                    title: format!(
                        "Conditional Access: {} to {} — recruiters must meet {} conditions",
                        plural(relevant.len(), "policy applies", "policies apply"),
                        f.app,
                        if relevant.len() == 1 { "its" } else { "their" }
                    ),
                    consequence: "Recruiters must meet the policies' conditions (for example multifactor authentication) when connecting.".into(),
                    fix: "Nothing to change if these conditions are intended; tell recruiters what to expect.".into(),
                    details,
                }
            }
        },
    )
}
