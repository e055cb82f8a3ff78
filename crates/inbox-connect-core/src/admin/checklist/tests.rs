//! The checklist evaluation on hand-made snapshots (the sandbox tests cover the preset tenants).

use std::collections::BTreeMap;

use super::*;
use crate::admin::portal::PortalLocation;
use crate::admin::roles::RoleRequirement;
use crate::admin::snapshot::{
    Assignment, AuthorizationPolicy, ConditionalAccessPolicy, ConsentRequestPolicy, DirectoryName,
    OrgGrant, PendingRequest, Reading, Reviewer, ServicePrincipal,
};
use crate::graph::GraphErrorFields;
use inbox_connect_test_support::admin::RAW_WORDS;

fn profile() -> Profile {
    crate::test_profile()
}

fn sp(required: bool) -> ServicePrincipal {
    ServicePrincipal {
        id: "sp-1".into(),
        account_enabled: true,
        app_role_assignment_required: required,
        verified_publisher: Some("Acme Recruit Ltd".into()),
    }
}

fn snapshot(policies: &[&str], granted: &str) -> TenantSnapshot {
    TenantSnapshot {
        tenant_id: "c0a80101-5eed-4b10-8c00-000000000001".to_owned().into(),
        service_principal: Reading::Read(Some(sp(false))),
        org_grants: Reading::Read(if granted.is_empty() {
            Vec::new()
        } else {
            vec![OrgGrant {
                resource_id: "graph".into(),
                scopes: granted.split(' ').map(str::to_owned).collect(),
            }]
        }),
        authorization_policy: Reading::Read(AuthorizationPolicy {
            permission_grant_policies_assigned: policies.iter().map(|p| (*p).to_owned()).collect(),
            allow_user_consent_for_risky_apps: false,
        }),
        consent_request_policy: Reading::Read(ConsentRequestPolicy {
            is_enabled: false,
            reviewers: Vec::new(),
            request_duration_in_days: 30,
        }),
        assignments: Reading::Read(Vec::new()),
        conditional_access: Reading::Read(Vec::new()),
        pending_requests: Reading::Read(Vec::new()),
        names: Reading::Read(BTreeMap::new()),
    }
}

fn all(s: &TenantSnapshot) -> Checklist {
    evaluate(&profile(), &[Feature::Mailbox], s).unwrap_or_else(|e| panic!("{e}"))
}

/// An item as the CLI shows it: every text in English (a missing fix as an empty one).
#[derive(Debug)]
struct English {
    id: ItemId,
    status: Status,
    title: String,
    consequence: String,
    fix: String,
    details: Vec<String>,
    needs: Option<RoleRequirement>,
    location: PortalLocation,
}

fn english(i: &ChecklistItem) -> English {
    English {
        id: i.id,
        status: i.status,
        title: i.title.english(),
        consequence: i.consequence.english(),
        fix: i.fix.as_ref().map(Words::english).unwrap_or_default(),
        details: i.details.iter().map(Words::english).collect(),
        needs: i.needs.clone(),
        location: i.location.clone(),
    }
}

/// Every item of the checklist, in English.
fn all_english(s: &TenantSnapshot) -> Vec<English> {
    all(s).items.iter().map(english).collect()
}

fn item_of(s: &TenantSnapshot, id: ItemId) -> ChecklistItem {
    all(s)
        .item(id)
        .cloned()
        .unwrap_or_else(|| panic!("no {id:?}"))
}

fn status(s: &TenantSnapshot, id: ItemId) -> English {
    english(&item_of(s, id))
}

/// Every text of every item, none of them raw, and every key worded by the catalogs.
fn assert_plain(s: &TenantSnapshot) {
    for i in all_english(s) {
        let texts = [&i.title, &i.consequence, &i.fix]
            .into_iter()
            .chain(&i.details);
        for text in texts {
            for raw in RAW_WORDS {
                assert!(!text.contains(raw), "{raw:?} in {text:?} of {i:#?}");
            }
            assert!(
                !text.contains("checklist."),
                "a key without words: {text:?}"
            );
        }
    }
}

fn names(entries: &[(&str, &str, Option<&str>)]) -> Reading<BTreeMap<String, DirectoryName>> {
    Reading::Read(
        entries
            .iter()
            .map(|(id, name, upn)| {
                (
                    id.to_ascii_lowercase(),
                    DirectoryName {
                        display_name: (*name).to_owned(),
                        user_principal_name: upn.map(str::to_owned),
                    },
                )
            })
            .collect(),
    )
}

const ALL_APPS: &str = "ManagePermissionGrantsForSelf.microsoft-user-default-legacy";
const FULL: &str = "openid profile email offline_access user.read mail.send MAIL.READWRITE";

#[test]
fn partial_tenant_wide_consent_lists_what_is_missing() {
    let s = snapshot(
        &[],
        "openid profile email offline_access User.Read https://graph.microsoft.com/Mail.Send",
    );
    let item = status(&s, ItemId::OrgConsent);
    assert_eq!(item.status, Status::Red);
    assert_eq!(
        item.title,
        "Admin consent for the organization: partly granted, 1 permission missing — recruiters are blocked"
    );
    assert_eq!(
        item.details,
        ["Not granted for the organization: Mail.ReadWrite"]
    );
    let none = status(&snapshot(&[ALL_APPS], ""), ItemId::OrgConsent);
    assert_eq!(none.status, Status::Amber);
    assert_eq!(
        none.title,
        "Admin consent for the organization: not granted — each recruiter consents when connecting"
    );
    let full = status(&snapshot(&[], FULL), ItemId::OrgConsent);
    assert_eq!(full.status, Status::Green);
    assert_eq!(
        full.title,
        "Admin consent for the organization: granted for every permission the product needs"
    );
}

#[test]
fn user_consent_policies_are_compared_case_insensitively_and_named_as_the_portal_does() {
    let off = (
        Status::Red,
        "User consent: off — recruiters are blocked",
        "\"Do not allow user consent\"",
    );
    let cases = [
        (vec![], off),
        (
            vec![ALL_APPS],
            (
                Status::Green,
                "User consent: allowed for all apps — recruiters can accept the permissions themselves",
                "\"Allow user consent for apps\"",
            ),
        ),
        (
            vec!["managePermissionGrantsForSelf.microsoft-user-default-legacy"],
            (
                Status::Green,
                "User consent: allowed for all apps — recruiters can accept the permissions themselves",
                "\"Allow user consent for apps\"",
            ),
        ),
        (
            vec!["ManagePermissionGrantsForSelf.microsoft-user-default-low"],
            (
                Status::Red,
                "User consent: verified publishers and selected permissions only — recruiters are blocked",
                "\"Allow user consent for apps from verified publishers, for selected permissions\"",
            ),
        ),
        (
            vec!["ManagePermissionGrantsForSelf.microsoft-user-default-recommended"],
            (
                Status::Amber,
                "User consent: managed by Microsoft — mail and calendar permissions may need an admin",
                "\"Let Microsoft manage your consent settings\"",
            ),
        ),
        (
            vec!["ManagePermissionGrantsForSelf.contoso-custom"],
            (
                Status::Amber,
                "User consent: a custom policy — it may not cover the app's permissions",
                "a custom app consent policy (contoso-custom)",
            ),
        ),
        // Resource-specific consent is not user consent.
        (
            vec!["ManagePermissionGrantsForOwnedResource.DeveloperConsent"],
            off,
        ),
    ];
    for (policies, (expected, title, setting)) in cases {
        let s = snapshot(&policies, "");
        let item = status(&s, ItemId::UserConsent);
        assert_eq!(
            (item.status, item.title.as_str()),
            (expected, title),
            "{policies:?}"
        );
        assert_eq!(
            item.details,
            [
                format!("User consent for applications: {setting}"),
                "Users cannot consent to apps Microsoft flags as risky (the recommended setting)."
                    .to_owned()
            ],
            "{policies:?}"
        );
        assert_plain(&s);
    }
}

#[test]
fn a_refused_read_says_which_role_and_permission_is_needed() {
    let mut s = snapshot(&[], "");
    let denied = GraphErrorFields {
        status: 403,
        code: "Authorization_RequestDenied".into(),
        message: "Insufficient privileges to complete the operation.".into(),
        request_id: None,
        date: None,
    };
    s.conditional_access = Reading::Denied(denied.clone());
    s.pending_requests = Reading::Denied(denied);
    let ca = status(&s, ItemId::ConditionalAccess);
    assert_eq!(ca.status, Status::Unknown);
    assert_eq!(ca.title, "Conditional Access: not checked");
    let needs = ca.needs.unwrap_or_else(|| panic!("a requirement"));
    assert_eq!(needs.permission.as_deref(), Some("Policy.Read.All"));
    let needs = needs.message.english();
    assert!(needs.contains("Security Reader"), "{needs}");
    let pending = status(&s, ItemId::PendingRequests);
    assert_eq!(pending.title, "Approval requests: not checked");
    assert!(
        pending.fix.contains("ConsentRequest.Read.All"),
        "{}",
        pending.fix
    );
}

fn ca_policy(name: &str, state: &str, apps: &[&str], control: &str) -> ConditionalAccessPolicy {
    ConditionalAccessPolicy {
        display_name: name.into(),
        state: state.into(),
        include_applications: apps.iter().map(|a| (*a).to_owned()).collect(),
        exclude_applications: Vec::new(),
        include_users: vec!["All".into()],
        include_groups: Vec::new(),
        include_roles: Vec::new(),
        exclude_users: Vec::new(),
        exclude_groups: Vec::new(),
        controls: vec![control.into()],
        require_all_controls: false,
    }
}

#[test]
fn only_enabled_policies_for_this_app_count() {
    let mut s = snapshot(&[ALL_APPS], "");
    s.conditional_access = Reading::Read(vec![
        ca_policy(
            "report only",
            "enabledForReportingButNotEnforced",
            &["All"],
            "block",
        ),
        ca_policy(
            "other app",
            "enabled",
            &["11111111-0000-0000-0000-000000000000"],
            "block",
        ),
        ca_policy("mfa for all", "enabled", &["All"], "mfa"),
    ]);
    let item = status(&s, ItemId::ConditionalAccess);
    assert_eq!(item.status, Status::Amber);
    assert_eq!(
        item.title,
        "Conditional Access: 1 policy applies to Acme Recruit — recruiters must meet its conditions"
    );
    assert_eq!(
        item.details,
        ["\"mfa for all\" for everyone: Require multifactor authentication"]
    );
}

#[test]
fn assignment_required_with_nobody_assigned_blocks_everyone() {
    let mut s = snapshot(&[ALL_APPS], "");
    assert_eq!(
        status(&s, ItemId::Assignment).title,
        "Assignment required: No — everyone in the organization may connect"
    );
    s.service_principal = Reading::Read(Some(sp(true)));
    let nobody = status(&s, ItemId::Assignment);
    assert_eq!(nobody.status, Status::Red);
    assert_eq!(
        nobody.title,
        "Assignment required: Yes — nobody is assigned, so nobody may connect"
    );
    // Users cannot consent to an app that requires assignment: tenant-wide consent is required.
    assert_eq!(status(&s, ItemId::OrgConsent).status, Status::Red);
    s.assignments = Reading::Read(vec![
        Assignment {
            id: "u-1".into(),
            name: "Ada Assigned".into(),
            kind: "User".into(),
        },
        Assignment {
            id: "g-9".into(),
            name: String::new(),
            kind: "Group".into(),
        },
    ]);
    let some = status(&s, ItemId::Assignment);
    assert_eq!(
        (some.status, some.title.as_str()),
        (
            Status::Amber,
            "Assignment required: Yes — only the 2 assigned users and groups may connect"
        )
    );
    assert_eq!(
        some.details,
        [
            "Assigned: Ada Assigned (user)",
            "Assigned: the group with object ID g-9"
        ]
    );
    s.pending_requests = Reading::Read(vec![PendingRequest {
        requester: "nina@northwind-hiring.example".into(),
        reason: Some("interviews".into()),
        created: None,
        pending_scopes: Vec::new(),
    }]);
    let pending = status(&s, ItemId::PendingRequests);
    assert_eq!(pending.title, "Approval requests: 1 request waiting");
    assert_eq!(
        pending.details,
        ["nina@northwind-hiring.example asked: interviews"]
    );
    assert_plain(&s);
}

#[test]
fn the_serialized_item_is_pinned() {
    let s = snapshot(&[], "");
    let json = serde_json::to_value(item_of(&s, ItemId::ConsentRequests)).unwrap_or_default();
    assert_eq!(
        json,
        serde_json::json!({
            "id": "consent_requests",
            "title": {"key": "checklist.consent_requests.off_blocked.title"},
            "status": "amber",
            "consequence": {"key": "checklist.consent_requests.off_blocked.consequence"},
            "fix": {"key": "checklist.consent_requests.off_blocked.fix"},
            "location": {
                "path": "Entra ID > Enterprise apps > Consent and permissions > Admin consent settings",
                "link_documented": false
            },
            "details": [
                {"key": "checklist.consent_requests.reviewers", "params": {"reviewers": {"key": "checklist.consent_requests.no_reviewers"}}},
                {"key": "checklist.consent_requests.expire", "params": {"count": 30}}
            ]
        })
    );
}

/// Issue 10 item 14 (docs/entra-reference.md §9): a national cloud's admins are sent to their own cloud's portal,
/// and the admin-consent link asks for that cloud's Graph permissions.
#[test]
fn a_national_cloud_profile_links_its_own_portal_and_graph() {
    let text = crate::profile::SANDBOX_PROFILE.replace("# cloud = \"global\"", "cloud = \"china\"");
    let china = Profile::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
    let s = snapshot(&[], "");
    let list = evaluate(&china, &[Feature::Mailbox], &s).unwrap_or_else(|e| panic!("{e}"));
    let link = |id: ItemId| {
        list.item(id)
            .and_then(|i| i.location.link.clone())
            .unwrap_or_else(|| panic!("no link for {id:?}"))
    };
    assert!(link(ItemId::UserConsent).starts_with("https://portal.azure.cn/#view/"));
    let consent = link(ItemId::OrgConsent);
    assert!(
        consent.starts_with("https://login.chinacloudapi.cn/"),
        "{consent}"
    );
    assert!(
        consent.contains("microsoftgraph.chinacloudapi.cn%2FMail.Send"),
        "{consent}"
    );
    assert!(!consent.contains("graph.microsoft.com"), "{consent}");
    let global = status(&s, ItemId::UserConsent).location.link;
    assert!(global.is_some_and(|l| l.starts_with("https://entra.microsoft.com/#view/")));
}

mod wording;
