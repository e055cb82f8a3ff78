//! The blocked state: its JSON, the message to IT per cause, the revoke note.

use super::*;
use crate::diagnosis::{diagnose_with, Confidence, FixedBy};

/// Issue 10 item 14 (docs/entra-reference.md §9): My Apps in the profile's cloud, or no link where none is known.
#[test]
fn the_revoke_note_names_my_apps_of_the_profiles_cloud() {
    let cloud = |name: &str| {
        let text = crate::profile::SANDBOX_PROFILE
            .replace("# cloud = \"global\"", &format!("cloud = \"{name}\""));
        revoke_note(&Profile::from_toml(&text).unwrap_or_else(|e| panic!("{e}")))
    };
    assert!(revoke_note(&Profile::sandbox()).contains("https://myapps.microsoft.com"));
    assert!(cloud("us_gov").contains("https://myapps.microsoft.us"));
    let china = cloud("china");
    assert!(!china.contains("https://"), "{china}");
    assert!(china.contains("ask your IT admin"), "{china}");
}

fn known(account: &str) -> Facts {
    Facts {
        tenant: tenant_of(None, Some(account)).map(String::from),
        account: Some(account.into()),
        ..Facts::default()
    }
}

/// The blocked state of a first mail connection for `d`, in English.
fn blocked_for_mail(d: Diagnosis) -> Blocked {
    blocked(
        &crate::test_profile(),
        &[Feature::Mailbox],
        d,
        None,
        &[],
        Language::En,
    )
}

fn northwind() -> TenantRef {
    TenantRef::parse("northwind-hiring.example").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn blocked_json_is_pinned() {
    let blocked = Blocked {
        diagnosis: Diagnosis {
            cause: Cause::AdminApprovalRequestPossible,
            detail: Some("approval_required".into()),
            code: Some("AADSTS90095".into()),
            fixed_by: FixedBy::ItAdmin,
            advice: "admin_approval_request_possible".into(),
            explanation: "An admin must approve.".into(),
            next_steps: vec!["Press Request approval.".into()],
            facts: Facts {
                error: Some("access_denied".into()),
                aadsts_codes: vec![90095],
                account: Some("nina@northwind-hiring.example".into()),
                tenant: Some("northwind-hiring.example".into()),
                ..Facts::default()
            },
            confidence: Confidence::High,
            evidence: Vec::new(),
            also_possible: None,
        },
        admin_consent: Some(AdminLink {
            tenant: northwind(),
            url: "http://127.0.0.1:4321/northwind-hiring.example/v2.0/adminconsent?client_id=c"
                .into(),
            it_request: ItRequest {
                subject: "Please approve".into(),
                body: "Hello".into(),
            },
            mailto: "mailto:?subject=Please%20approve&body=Hello".into(),
        }),
        needs_tenant: false,
        report: "Inbox Connect diagnostic report".into(),
        pending_approval: Some(PendingApproval {
            account: Some("nina@northwind-hiring.example".into()),
            tenant: Some(northwind()),
            features: vec![Feature::Mailbox],
            since: OffsetDateTime::from_unix_timestamp(1_800_000_000)
                .unwrap_or_else(|e| panic!("{e}")),
            asked_at: None,
            cause: Cause::AdminApprovalRequestPossible,
            detail: Some("approval_required".into()),
            facts: Facts::default(),
        }),
        it_message: None,
        last_check: Some(LastCheck {
            at: OffsetDateTime::from_unix_timestamp(1_800_000_600)
                .unwrap_or_else(|e| panic!("{e}")),
            outcome: RecheckOutcome::SignInNeeded {
                reason: SignInReason::NoSession,
            },
            code: Some("AADSTS50058".into()),
            by: CheckedBy::Browser,
        }),
    };
    assert_eq!(
        serde_json::to_value(&blocked).unwrap_or_default(),
        serde_json::json!({
            "diagnosis": {
                "cause": "admin_approval_request_possible",
                "detail": "approval_required",
                "code": "AADSTS90095",
                "fixed_by": "it_admin",
                "advice": "admin_approval_request_possible",
                "explanation": "An admin must approve.",
                "next_steps": ["Press Request approval."],
                "facts": {
                    "error": "access_denied",
                    "aadsts_codes": [90095],
                    "account": "nina@northwind-hiring.example",
                    "tenant": "northwind-hiring.example"
                },
                "confidence": "high",
                "evidence": [],
                "also_possible": null
            },
            "admin_consent": {
                "tenant": "northwind-hiring.example",
                "url": "http://127.0.0.1:4321/northwind-hiring.example/v2.0/adminconsent?client_id=c",
                "it_request": {"subject": "Please approve", "body": "Hello"},
                "mailto": "mailto:?subject=Please%20approve&body=Hello"
            },
            "needs_tenant": false,
            "report": "Inbox Connect diagnostic report",
            "pending_approval": {
                "account": "nina@northwind-hiring.example",
                "tenant": "northwind-hiring.example",
                "features": ["mailbox"],
                "since": "2027-01-15T08:00:00Z",
                "cause": "admin_approval_request_possible",
                "detail": "approval_required",
                "facts": {}
            },
            "last_check": {
                "at": "2027-01-15T08:10:00Z",
                "outcome": "sign_in_needed",
                "reason": "no_session",
                "code": "AADSTS50058",
                "by": "browser"
            }
        })
    );
    let back: Blocked = serde_json::from_value(serde_json::to_value(&blocked).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        back, blocked,
        "a pending approval reads back as it was written"
    );
}

/// A stored wait whose organization no longer reads as one keeps waiting, without it.
#[test]
fn a_stored_wait_with_an_odd_tenant_still_loads() {
    let stored = serde_json::json!({
        "account": null,
        "tenant": "common",
        "features": ["mailbox"],
        "since": "2027-01-15T08:00:00Z",
        "cause": "admin_approval_request_possible",
        "detail": null,
        "facts": {"tenant": "common"}
    });
    let pending: PendingApproval =
        serde_json::from_value(stored.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending.tenant, None);
    assert_eq!(pending.facts.tenant.as_deref(), Some("common"));
    let mut older = stored;
    if let Some(fields) = older.as_object_mut() {
        fields.remove("tenant");
    }
    let pending: PendingApproval = serde_json::from_value(older).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending.tenant, None);
}

#[test]
fn admin_causes_get_the_link_for_the_users_own_tenant() {
    let d = diagnose_with(
        "error=consent_required&error_description=AADSTS90094:+Admin+consent+is+required.",
        known("taylor@tailspin-talent.example"),
    );
    let b = blocked_for_mail(d);
    let link = b.admin_consent.unwrap_or_else(|| panic!("a link"));
    assert_eq!(link.tenant.as_str(), "tailspin-talent.example");
    assert!(link
        .url
        .starts_with("http://127.0.0.1:4321/tailspin-talent.example/v2.0/adminconsent?"));
    assert!(link.it_request.body.contains(&link.url));
    assert!(link.mailto.starts_with("mailto:?subject="));
    assert!(!b.needs_tenant);
    assert!(b.report.contains(env!("CARGO_PKG_VERSION")));
    assert!(b.report.contains("admin_consent_required"));
}

#[test]
fn a_refused_look_says_not_yet_or_why_a_sign_in_is_needed() {
    let fields = |error: &str, codes: &[i64], suberror: Option<&str>| OAuthErrorFields {
        error: error.into(),
        error_codes: codes.to_vec(),
        suberror: suberror.map(str::to_owned),
        ..OAuthErrorFields::default()
    };
    let needs = |reason| Some(RecheckOutcome::SignInNeeded { reason });
    for (f, expected) in [
        (
            fields("consent_required", &[65001], None),
            Some(RecheckOutcome::NotYet),
        ),
        (
            fields("invalid_grant", &[65001], None),
            Some(RecheckOutcome::NotYet),
        ),
        (
            fields("login_required", &[50058], None),
            needs(SignInReason::NoSession),
        ),
        (
            fields("interaction_required", &[50076], Some("basic_action")),
            needs(SignInReason::VerificationDue),
        ),
        (
            fields("interaction_required", &[16000], None),
            needs(SignInReason::AccountChoice),
        ),
        (fields("invalid_grant", &[70008], None), None),
        (fields("access_denied", &[53003], None), None),
    ] {
        assert_eq!(RecheckOutcome::of(&f), expected, "{f:?}");
    }
}

#[test]
fn without_a_tenant_the_ui_asks_and_other_causes_get_no_link() {
    let d = diagnose_with("AADSTS90094: Admin consent is required.", Facts::default());
    let b = blocked_for_mail(d);
    assert!(b.admin_consent.is_none() && b.needs_tenant);

    let d = diagnose_with(
        "error=access_denied&error_description=AADSTS53003:+Access+has+been+blocked+by+Conditional+Access+policies.",
        known("bob@adatum-agency.example"),
    );
    let b = blocked_for_mail(d);
    assert_eq!(b.diagnosis.cause, Cause::ConditionalAccessBlocked);
    assert!(b.admin_consent.is_none() && !b.needs_tenant);
    let message = b.it_message.unwrap_or_else(|| panic!("a message to IT"));
    assert!(message.mailto.starts_with("mailto:?subject="));
}

#[test]
fn the_tenant_comes_from_the_id_token_first_and_is_never_common() {
    let id = |text: &str| TenantId::from(text.to_owned());
    let of = |tenant_id: &str, account| tenant_of(Some(&id(tenant_id)), account).map(String::from);
    assert_eq!(
        of(
            "3f6b2c1e-5a47-4d8e-9c21-7b0e4f9a2d61",
            Some("riley@contoso-recruiting.example")
        )
        .as_deref(),
        Some("3f6b2c1e-5a47-4d8e-9c21-7b0e4f9a2d61")
    );
    assert_eq!(
        of("common", Some("riley@contoso-recruiting.example")).as_deref(),
        Some("contoso-recruiting.example")
    );
    assert_eq!(tenant_of(None, Some("riley")), None);
}
