//! Looking again for an admin's approval (issue 10, item 11), against the sandbox's preset
//! tenants with the real keychain: with the refresh token when the recruiter holds part of the
//! permissions (no browser at all), and a silent look that cannot tell because the browser holds
//! no session (the app then offers one sign-in, hinting the account).

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use entra_sandbox::seed::presets;
use inbox_connect_core::profile::SANDBOX_PROFILE;
use inbox_connect_core::{
    Cause, CheckedBy, ConnectionState, ConnectionStatus, Connector, Feature, Look, Profile,
    Recheck, RecheckOutcome, RecheckPlan, SignInReason,
};
use support::browser::{answers, client, query, walk};
use support::journey::{admin_browser, play, user};
use support::sandbox as sb;
use url::Url;

/// The sandbox profile with a feature made of low-impact permissions only (`User.Read`,
/// `offline_access`), which the Fourth Coffee tenant lets users consent to themselves.
fn profile_with_a_low_impact_feature(sandbox: &entra_sandbox::RunningSandbox) -> Profile {
    let text = SANDBOX_PROFILE.replace(
        r#"{ scope = "User.ReadBasic.All", reason = "find colleagues and meeting rooms in your organization by name", reason_for_it = "finds colleagues and meeting rooms in the organization by name" }"#,
        r#"{ scope = "User.Read", reason = "read your name and email address" }"#,
    );
    assert_ne!(text, SANDBOX_PROFILE, "the feature's scope line was found");
    Profile::from_toml(&text)
        .expect("the changed profile parses")
        .with_login_base(sandbox.base_url(), sandbox.graph_url())
        .expect("loopback URLs")
}

/// The connection plans its next look within `seconds`.
async fn assert_next_in(connector: &Connector, seconds: std::ops::RangeInclusive<u64>) {
    match connector.recheck_plan(false).await {
        RecheckPlan::Next { in_secs } if seconds.contains(&in_secs) => {}
        plan => panic!("the next look in {seconds:?} s, not {plan:?}"),
    }
}

fn answered(recheck: Recheck) -> ConnectionStatus {
    match recheck {
        Recheck::Answered(status) => *status,
        Recheck::InBrowser(_) => panic!("the refresh token answers: no browser"),
    }
}

#[tokio::test]
async fn a_partial_connection_looks_with_its_refresh_token_until_the_admin_grants() {
    let sandbox = sb::start().await;
    let vault = support::test_vault("partial");
    let (connector, mut links) =
        support::test_connector(profile_with_a_low_impact_feature(&sandbox), &vault);
    let browser = client();
    let finn = presets::LOW_IMPACT_USER;

    // Finn may consent to the low-impact feature himself.
    let pending = connector
        .begin_sign_in(&[Feature::MeetingRooms], Some(finn))
        .await
        .expect("sign-in starts");
    let (_, outcome, _) = play(
        &browser,
        pending,
        &mut links,
        user(finn, presets::USER_PASSWORD, &["accept"]),
    )
    .await;
    let status = outcome.expect("connected for the low-impact feature");
    assert_eq!(status.state, ConnectionState::Connected, "{status:?}");

    // Email needs an admin.
    let pending = connector
        .add_features(&[Feature::Mailbox])
        .await
        .expect("sign-in starts");
    let (_, outcome, _) = play(
        &browser,
        pending,
        &mut links,
        user(finn, presets::USER_PASSWORD, &["return"]),
    )
    .await;
    let status = outcome.expect("a blocked status");
    assert_eq!(status.state, ConnectionState::Blocked, "{status:?}");
    let b = status.blocked.as_ref().unwrap();
    assert_eq!(b.diagnosis.cause, Cause::AdminConsentRequired);
    let waiting = b.pending_approval.as_ref().expect("waiting for the admin");
    assert!(waiting.features.contains(&Feature::Mailbox));
    let admin_link = Url::parse(&b.admin_consent.as_ref().expect("a link").url).unwrap();

    // The app's first look is two minutes after the request: a look by hand leaves it there, a
    // timed one moves the next to ten minutes.
    assert_next_in(&connector, 115..=120).await;
    let by_hand = answered(
        connector
            .begin_recheck(Look::ByHand)
            .await
            .expect("the look runs"),
    );
    assert_eq!(by_hand.state, ConnectionState::Blocked);
    assert_next_in(&connector, 115..=120).await;

    // Not granted yet: Entra answers the refresh token with AADSTS65001, and no tab opens.
    let still = answered(
        connector
            .begin_recheck(Look::Timed)
            .await
            .expect("the look runs"),
    );
    assert_next_in(&connector, 595..=600).await;
    assert_eq!(still.state, ConnectionState::Blocked);
    let look = still.blocked.as_ref().and_then(|b| b.last_check.clone());
    let look = look.expect("the look is recorded");
    assert_eq!(
        (look.outcome, look.by, look.code.as_deref()),
        (
            RecheckOutcome::NotYet,
            CheckedBy::RefreshToken,
            Some("AADSTS65001")
        )
    );
    assert!(links.try_recv().is_err(), "no browser was opened");

    // The admin grants; the next look connects, still without a browser.
    walk(
        &admin_browser(),
        &admin_link,
        &answers(
            "admin@fourthcoffee-careers.example",
            presets::ADMIN_PASSWORD,
        ),
    )
    .await;
    let status = answered(
        connector
            .begin_recheck(Look::ByHand)
            .await
            .expect("the look runs"),
    );
    assert_eq!(status.state, ConnectionState::Connected, "{status:?}");
    assert!(status.features.contains(&Feature::Mailbox));
    assert!(status.features.contains(&Feature::MeetingRooms));
    for scope in ["Mail.Send", "Mail.ReadWrite"] {
        assert!(
            status
                .permissions
                .iter()
                .any(|p| p.scope == scope && p.granted),
            "{scope} granted: {:?}",
            status.permissions
        );
    }
    assert!(links.try_recv().is_err(), "no browser was opened");
    let account = connector.profile().keychain_account().unwrap();
    assert!(
        vault.load_pending(&account).unwrap().is_none(),
        "the wait is over"
    );
    let stored = vault
        .load_connection(&account)
        .unwrap()
        .expect("the connection is stored");
    assert!(stored.meta.features.contains(&Feature::Mailbox));
    connector.disconnect().await.unwrap();
}

#[tokio::test]
async fn a_silent_look_without_a_browser_session_asks_for_one_sign_in() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("no-session").await;
    let taylor = presets::CONSENT_OFF_USER;
    let pending = connector
        .begin_sign_in(&[Feature::Mailbox], Some(taylor))
        .await
        .expect("sign-in starts");
    let (_, outcome, _) = play(
        &client(),
        pending,
        &mut links,
        user(taylor, presets::USER_PASSWORD, &["return"]),
    )
    .await;
    let first = outcome.expect("a blocked status");
    let sent = first.blocked.as_ref().unwrap().diagnosis.clone();
    assert_eq!(sent.code.as_deref(), Some("AADSTS90094"));

    // Another browser (its session cookie gone): Entra says login_required.
    let Recheck::InBrowser(look) = connector
        .begin_recheck(Look::ByHand)
        .await
        .expect("the look starts")
    else {
        panic!("no refresh token: the look goes through the browser");
    };
    let (link, outcome, _) = play(&client(), *look, &mut links, Vec::new()).await;
    assert_eq!(query(&link, "prompt").as_deref(), Some("none"));
    let status = outcome.expect("still blocked, not an error");
    let b = status.blocked.as_ref().unwrap();
    let look = b.last_check.as_ref().expect("the look is recorded");
    assert_eq!(
        (look.outcome, look.code.as_deref()),
        (
            RecheckOutcome::SignInNeeded {
                reason: SignInReason::NoSession
            },
            Some("AADSTS50058")
        )
    );
    assert_eq!(b.diagnosis.code, sent.code, "the facts IT was sent stay");
    assert_eq!(b.diagnosis.facts, sent.facts);
    let waiting = b.pending_approval.as_ref().expect("still waiting");
    // No look by itself until the recruiter signs in, not even on coming back to the window.
    assert_eq!(connector.recheck_plan(true).await, RecheckPlan::SignInFirst);
    assert!(!connector.recheck_on_return().await);

    // The sign-in the app then offers: interactive, for the account that waits.
    let pending = connector
        .begin_sign_in(&waiting.features, waiting.account.as_deref())
        .await
        .expect("sign-in starts");
    let link = links.recv().await.expect("the browser opens");
    assert_eq!(query(&link, "login_hint").as_deref(), Some(taylor));
    assert_ne!(query(&link, "prompt").as_deref(), Some("none"));
    pending.cancel();
}
