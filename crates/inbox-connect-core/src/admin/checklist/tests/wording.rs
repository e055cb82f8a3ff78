//! Issue 14: what the admin reads. Titles name the setting and the state found, fixes say the
//! action, and people, groups and roles appear by name (their object id when no name was read).

use super::super::names::{role, Names};
use super::*;
use crate::words::Language;

/// Issue 14: the title names the setting and its state for the outcome the judge found, also
/// when the setting does not matter any more, and when it could not be read.
#[test]
fn a_title_names_the_setting_and_the_state_found() {
    let covered = status(&snapshot(&[], FULL), ItemId::UserConsent);
    assert_eq!(covered.status, Status::Green);
    assert_eq!(
        covered.title,
        "User consent: off — not needed, the app is granted for everyone"
    );
    let mut s = snapshot(&[], FULL);
    s.authorization_policy = Reading::Failed(GraphErrorFields {
        status: 503,
        code: "serviceUnavailable".into(),
        message: "Try later".into(),
        request_id: None,
        date: None,
    });
    assert_eq!(
        status(&s, ItemId::UserConsent).title,
        "User consent: not checked"
    );
    s.service_principal = Reading::Read(None);
    let titles: Vec<(ItemId, Status, String)> = all_english(&s)
        .into_iter()
        .map(|i| (i.id, i.status, i.title))
        .collect();
    assert_eq!(
        titles[0],
        (
            ItemId::AppPresent,
            Status::Amber,
            "Acme Recruit in your organization: not added yet".into()
        )
    );
    assert_eq!(
        titles[7],
        (
            ItemId::VerifiedPublisher,
            Status::Unknown,
            "Publisher verification: known once Acme Recruit is in your organization".into()
        )
    );
    let disabled = ServicePrincipal {
        account_enabled: false,
        ..sp(false)
    };
    s.service_principal = Reading::Read(Some(disabled));
    let app = status(&s, ItemId::AppPresent);
    assert_eq!(
        (app.status, app.title.as_str()),
        (
            Status::Red,
            "Acme Recruit in your organization: present, but disabled for sign-in"
        )
    );
    assert_eq!(app.details, ["Object ID of the enterprise app: sp-1"]);
}

/// Issue 14: a fix says what to do, not which option of a guide the admin never read.
#[test]
fn fixes_say_the_action_itself() {
    let s = snapshot(&[], "");
    let fix = status(&s, ItemId::OrgConsent).fix;
    assert_eq!(
        fix,
        "Grant admin consent for the organization: open the admin-consent link, or Enterprise \
         apps > Acme Recruit > Security > Permissions > Grant admin consent."
    );
    let low = snapshot(
        &["ManagePermissionGrantsForSelf.microsoft-user-default-low"],
        "",
    );
    let fix = status(&low, ItemId::UserConsent).fix;
    assert!(
        fix.starts_with("Classify the app's permissions as low impact")
            && fix.contains(
                "Or grant admin consent for the organization: open the admin-consent link"
            ),
        "{fix}"
    );
    // Before the first consent the enterprise app does not exist: only the link works.
    let mut absent = snapshot(&[], "");
    absent.service_principal = Reading::Read(None);
    let fix = status(&absent, ItemId::AppPresent).fix;
    assert_eq!(
        fix,
        "Grant admin consent for the organization: open the admin-consent link (Acme Recruit is \
         added to Enterprise apps by that consent)."
    );
    assert_plain(&s);
    assert_plain(&low);
    assert_plain(&absent);
}

/// Issue 14: a policy's users, groups and roles by name, the object id when no name was read.
#[test]
fn conditional_access_names_whom_a_policy_covers() {
    let mut s = snapshot(&[ALL_APPS], "");
    let mut policy = ca_policy("Contractors", "enabled", &["All"], "block");
    policy.include_users = vec!["U-1".into(), "GuestsOrExternalUsers".into()];
    policy.include_groups = vec!["g-1".into()];
    policy.include_roles = vec!["62e90394-69f5-4237-9190-012177145e10".into()];
    policy.exclude_users = vec!["u-2".into()];
    policy.controls = vec!["mfa".into(), "compliantDevice".into()];
    policy.require_all_controls = true;
    let mut blocking = ca_policy("Block Bob", "enabled", &["All"], "block");
    blocking.include_users = vec!["u-1".into()];
    s.conditional_access = Reading::Read(vec![policy, blocking]);
    s.names = names(&[
        ("u-1", "Bob Blocked", Some("bob@adatum-agency.example")),
        ("g-1", "Contractors", None),
    ]);
    let item = status(&s, ItemId::ConditionalAccess);
    assert_eq!(item.status, Status::Red);
    assert_eq!(
        item.title,
        "Conditional Access: 1 policy blocks Acme Recruit"
    );
    assert_eq!(
        item.details,
        [
            "\"Contractors\" for Bob Blocked (bob@adatum-agency.example), guests and external \
             users, members of the group \"Contractors\" and holders of the Global Administrator \
             role except the user with object ID u-2: Require multifactor authentication and \
             Require device to be marked as compliant",
            "\"Block Bob\" for Bob Blocked (bob@adatum-agency.example): Block access",
        ]
    );
}

/// Issue 14: reviewers by name; a role by its name in the admin centre; the object id when the
/// names could not be read.
#[test]
fn reviewers_read_as_people_groups_and_roles() {
    let read = names(&[
        ("u-1", "Alex Admin", Some("alex@contoso.example")),
        ("g-1", "IT", None),
    ]);
    let known = Names(read.value());
    let unknown = Names(None);
    let cases = [
        ("/users/u-1", "Alex Admin (alex@contoso.example)", "the user with object ID u-1"),
        (
            "/groups/g-1/transitiveMembers",
            "members of the group \"IT\"",
            "members of the group with object ID g-1",
        ),
        (
            "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'",
            "holders of the Global Administrator role",
            "holders of the Global Administrator role",
        ),
        (
            "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq 'x-1'",
            "holders of the directory role with template ID x-1",
            "holders of the directory role with template ID x-1",
        ),
        ("/other", "reviewers chosen by a Microsoft Graph query (/other)", "reviewers chosen by a Microsoft Graph query (/other)"),
    ];
    for (query, named, fallback) in cases {
        let reviewer = Reviewer::parse(query);
        assert_eq!(
            Language::En.value(&known.reviewer(&reviewer)),
            named,
            "{query}"
        );
        assert_eq!(
            Language::En.value(&unknown.reviewer(&reviewer)),
            fallback,
            "{query}"
        );
    }
    assert_eq!(
        role("F2EF992C-3AFB-46B9-B7CF-A126EE74C451").english(),
        "the Global Reader role"
    );

    let mut s = snapshot(&[], "");
    s.consent_request_policy = Reading::Read(ConsentRequestPolicy {
        is_enabled: true,
        reviewers: vec![Reviewer::User("U-1".into()), Reviewer::User("u-3".into())],
        request_duration_in_days: 14,
    });
    s.names = read;
    let item = status(&s, ItemId::ConsentRequests);
    assert_eq!(
        (item.status, item.title.as_str()),
        (
            Status::Green,
            "Admin consent requests: on — blocked recruiters can ask the reviewers"
        )
    );
    assert_eq!(
        item.details[0],
        "Reviewers: Alex Admin (alex@contoso.example) and the user with object ID u-3"
    );
}
