//! The Conditional Access item: which enabled policies apply to the app, whom they cover and what
//! they require, in the admin centre's words, and whether one blocks the app.

use crate::admin::portal::PortalLocation;
use crate::admin::snapshot::{ConditionalAccessPolicy, Reading};
use crate::words::{List, Param, Words};

use super::facts::Facts;
use super::item::{item, Verdict};
use super::names::{holders_of, Names};
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
fn members(names: Names<'_>, users: &[String], groups: &[String]) -> Vec<Param> {
    let users = users.iter().filter_map(|u| match u.as_str() {
        "None" => None,
        "GuestsOrExternalUsers" => Some(Words::new("checklist.ca.guests").into()),
        id => Some(names.user(id)),
    });
    let groups = groups.iter().map(|g| names.members_of(g).into());
    users.chain(groups).collect()
}

/// Whom a policy covers: "everyone except ...", or the users, groups and roles it names.
fn who(names: Names<'_>, p: &ConditionalAccessPolicy) -> Param {
    let included: Param = if p
        .include_users
        .iter()
        .any(|u| u.eq_ignore_ascii_case("All"))
    {
        Words::new("checklist.ca.everyone").into()
    } else {
        let mut list = members(names, &p.include_users, &p.include_groups);
        list.extend(p.include_roles.iter().map(|r| holders_of(r).into()));
        if list.is_empty() {
            Words::new("checklist.ca.nobody").into()
        } else {
            List::AllOf(list).into()
        }
    };
    let excluded = members(names, &p.exclude_users, &p.exclude_groups);
    if excluded.is_empty() {
        included
    } else {
        Words::new("checklist.ca.except")
            .with("included", included)
            .with("excluded", List::AllOf(excluded))
            .into()
    }
}

/// A grant control as the policy's Grant pane names it.
fn control(c: &str) -> Param {
    match c {
        "block" => "Block access".into(),
        "mfa" => "Require multifactor authentication".into(),
        "compliantDevice" => "Require device to be marked as compliant".into(),
        "domainJoinedDevice" => "Require Microsoft Entra hybrid joined device".into(),
        "approvedApplication" => "Require approved client app".into(),
        "compliantApplication" => "Require app protection policy".into(),
        "passwordChange" => "Require password change".into(),
        other => Words::new("checklist.ca.other_control")
            .with("control", other)
            .into(),
    }
}

/// What a policy requires: its controls, all of them or one of them.
fn requires(p: &ConditionalAccessPolicy) -> Param {
    if p.controls.is_empty() {
        return Words::new("checklist.ca.no_controls").into();
    }
    let controls: Vec<Param> = p.controls.iter().map(|c| control(c)).collect();
    if p.require_all_controls {
        List::AllOf(controls).into()
    } else {
        List::AnyOf(controls).into()
    }
}

pub(super) fn conditional_access(
    f: &Facts<'_>,
    reading: &Reading<Vec<ConditionalAccessPolicy>>,
) -> ChecklistItem {
    item(
        ItemId::ConditionalAccess,
        Words::new("checklist.setting.conditional_access"),
        PortalLocation::conditional_access(),
        reading,
        "Policy.Read.All",
        |policies| {
            let relevant: Vec<&ConditionalAccessPolicy> =
                policies.iter().filter(|p| applies(p, f.app_id)).collect();
            let details: Vec<Words> = relevant
                .iter()
                .map(|p| {
                    Words::new("checklist.ca.policy")
                        .with("policy", p.display_name.as_str())
                        .with("who", who(f.names, p))
                        .with("requires", requires(p))
                })
                .collect();
            let blocking = relevant
                .iter()
                .filter(|p| p.controls.iter().any(|c| c == "block"))
                .count();
            let (status, count, title, consequence, fix) = if blocking > 0 {
                (
                    Status::Red,
                    blocking,
                    "checklist.ca.blocks.title",
                    "checklist.ca.blocks.consequence",
                    Some("checklist.ca.blocks.fix"),
                )
            } else if relevant.is_empty() {
                (
                    Status::Green,
                    0,
                    "checklist.ca.none.title",
                    "checklist.ca.none.consequence",
                    None,
                )
            } else {
                (
                    Status::Amber,
                    relevant.len(),
                    "checklist.ca.applies.title",
                    "checklist.ca.applies.consequence",
                    Some("checklist.ca.applies.fix"),
                )
            };
            Verdict {
                status,
                title: Words::new(title).with("count", count).with("app", f.app),
                consequence: Words::new(consequence),
                fix: fix.map(Words::new),
                details,
            }
        },
    )
}
