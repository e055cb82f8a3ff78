//! The checklist evaluation on hand-made snapshots (the sandbox tests cover the preset tenants).

use super::consent::reviewer;
use super::*;
use crate::admin::snapshot::{
    AuthorizationPolicy, ConditionalAccessPolicy, ConsentRequestPolicy, OrgGrant, PendingRequest,
    Reading, ServicePrincipal,
};
use crate::graph::GraphErrorFields;

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
        tenant_id: "c0a80101-5eed-4b10-8c00-000000000001".into(),
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
    }
}

fn status(s: &TenantSnapshot, id: ItemId) -> ChecklistItem {
    let list = evaluate(&profile(), &[Feature::Mailbox], s).unwrap_or_else(|e| panic!("{e}"));
    list.item(id)
        .cloned()
        .unwrap_or_else(|| panic!("no {id:?}"))
}

#[test]
fn partial_tenant_wide_consent_lists_what_is_missing() {
    let s = snapshot(
        &[],
        "openid profile email offline_access User.Read https://graph.microsoft.com/Mail.Send",
    );
    let item = status(&s, ItemId::OrgConsent);
    assert_eq!(item.status, Status::Red);
    assert_eq!(
        item.details,
        ["Not granted for the organization: Mail.ReadWrite"]
    );
    let full = snapshot(
        &[],
        "openid profile email offline_access user.read mail.send MAIL.READWRITE",
    );
    assert_eq!(status(&full, ItemId::OrgConsent).status, Status::Green);
}

#[test]
fn user_consent_policies_are_compared_case_insensitively() {
    let cases = [
        (vec![], Status::Red),
        (
            vec!["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
            Status::Green,
        ),
        (
            vec!["managePermissionGrantsForSelf.microsoft-user-default-legacy"],
            Status::Green,
        ),
        (
            vec!["ManagePermissionGrantsForSelf.microsoft-user-default-low"],
            Status::Red,
        ),
        (
            vec!["ManagePermissionGrantsForSelf.microsoft-user-default-recommended"],
            Status::Amber,
        ),
        (
            vec!["ManagePermissionGrantsForSelf.contoso-custom"],
            Status::Amber,
        ),
        // Resource-specific consent is not user consent.
        (
            vec!["ManagePermissionGrantsForOwnedResource.DeveloperConsent"],
            Status::Red,
        ),
    ];
    for (policies, expected) in cases {
        let item = status(&snapshot(&policies, ""), ItemId::UserConsent);
        assert_eq!(item.status, expected, "{policies:?}: {item:#?}");
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
    let needs = ca.needs.unwrap_or_else(|| panic!("a requirement"));
    assert_eq!(needs.permission.as_deref(), Some("Policy.Read.All"));
    assert!(
        needs.message.contains("Security Reader"),
        "{}",
        needs.message
    );
    let pending = status(&s, ItemId::PendingRequests);
    assert!(
        pending.fix.contains("ConsentRequest.Read.All"),
        "{}",
        pending.fix
    );
}

#[test]
fn only_enabled_policies_for_this_app_count() {
    let mut s = snapshot(
        &["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
        "",
    );
    let policy = |name: &str, state: &str, apps: &[&str], control: &str| ConditionalAccessPolicy {
        display_name: name.into(),
        state: state.into(),
        include_applications: apps.iter().map(|a| (*a).to_owned()).collect(),
        exclude_applications: Vec::new(),
        include_users: vec!["All".into()],
        controls: vec![control.into()],
    };
    s.conditional_access = Reading::Read(vec![
        policy(
            "report only",
            "enabledForReportingButNotEnforced",
            &["All"],
            "block",
        ),
        policy(
            "other app",
            "enabled",
            &["11111111-0000-0000-0000-000000000000"],
            "block",
        ),
        policy("mfa for all", "enabled", &["All"], "mfa"),
    ]);
    let item = status(&s, ItemId::ConditionalAccess);
    assert_eq!(item.status, Status::Amber);
    assert_eq!(
        item.details,
        ["\"mfa for all\" (enabled) for everyone: mfa"]
    );
}

#[test]
fn assignment_required_with_nobody_assigned_blocks_everyone() {
    let mut s = snapshot(
        &["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
        "",
    );
    s.service_principal = Reading::Read(Some(sp(true)));
    assert_eq!(status(&s, ItemId::Assignment).status, Status::Red);
    // Users cannot consent to an app that requires assignment: tenant-wide consent is required.
    assert_eq!(status(&s, ItemId::OrgConsent).status, Status::Red);
    s.pending_requests = Reading::Read(vec![PendingRequest {
        requester: "nina@northwind-hiring.example".into(),
        reason: Some("interviews".into()),
        created: None,
        pending_scopes: Vec::new(),
    }]);
    let pending = status(&s, ItemId::PendingRequests);
    assert_eq!(
        pending.details,
        ["nina@northwind-hiring.example asked: interviews"]
    );
}

#[test]
fn the_serialized_item_is_pinned() {
    let s = snapshot(&[], "");
    let json = serde_json::to_value(status(&s, ItemId::ConsentRequests)).unwrap_or_default();
    assert_eq!(
        json,
        serde_json::json!({
            "id": "consent_requests",
            "title": "Recruiters can request approval",
            "status": "amber",
            "consequence": "Blocked recruiters see \"Need admin approval\" and cannot send a request from the consent page.",
            "fix": "Set \"Users can request admin consent to apps they are unable to consent to\" to Yes and choose reviewers.",
            "location": {
                "path": "Entra ID > Enterprise apps > Consent and permissions > Admin consent settings",
                "link_documented": false
            },
            "details": ["Reviewers: none", "Requests expire after 30 days"]
        })
    );
}

#[test]
fn reviewer_queries_read_as_users_and_groups() {
    assert_eq!(reviewer("/users/u-1"), "user u-1");
    assert_eq!(
        reviewer("/groups/g-1/transitiveMembers"),
        "members of group g-1"
    );
    let role = "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq 'x'";
    assert_eq!(reviewer(role), role);
}

/// Issue 10 item 14 (ref §9): a national cloud's admins are sent to their own cloud's portal,
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
