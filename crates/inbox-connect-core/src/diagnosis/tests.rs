//! Realistic artifacts of every shape, asserting cause and facts.

use super::*;

const TRACE: &str = "0000aaaa-11bb-cccc-dd33-eeeeee333333";
const CORRELATION: &str = "aaaa0000-bb11-2222-33cc-444444dddddd";

#[test]
fn cancel_redirect_with_error_subcode_is_a_user_cancel() {
    let d = diagnose("http://localhost:53123/?error=access_denied&error_subcode=cancel&state=Xy12");
    assert_eq!(
        (d.cause, d.detail.as_deref()),
        (Cause::UserDeclined, Some("cancelled"))
    );
    assert_eq!(d.fixed_by, FixedBy::Recruiter);
    assert_eq!(d.facts.error_subcode.as_deref(), Some("cancel"));
}

#[test]
fn admin_consent_error_redirect_percent_and_plus_encoded() {
    // docs/entra-reference.md §3.1 error example: admin_consent=True rides along, error is checked first.
    let url = "http://localhost/myapp/permissions?admin_consent=True&error=consent_required&error_description=AADSTS65004%3a+The+resource+owner+or+authorization+server+denied+the+request.%0d%0aTrace+ID%3a+0000aaaa-11bb-cccc-dd33-eeeeee333333%0d%0aCorrelation+ID%3a+aaaa0000-bb11-2222-33cc-444444dddddd%0d%0aTimestamp%3a+2019-09-24+18%3a34%3a26Z&state=12345";
    let d = diagnose(url);
    assert_eq!(d.cause, Cause::UserDeclined);
    assert_eq!(d.code.as_deref(), Some("AADSTS65004"));
    assert_eq!(d.facts.trace_id.as_deref(), Some(TRACE));
    assert_eq!(d.facts.correlation_id.as_deref(), Some(CORRELATION));
    assert_eq!(d.facts.timestamp.as_deref(), Some("2019-09-24 18:34:26Z"));
}

#[test]
fn token_error_json_with_crlf_and_log_text_around_it() {
    let log = format!(
        "2026-11-23T10:00:00Z WARN token request failed: {{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.\\r\\nTrace ID: {TRACE}\\r\\nCorrelation ID: {CORRELATION}\\r\\nTimestamp: 2026-11-23 09:59:58Z\",\"error_codes\":[50076],\"timestamp\":\"2026-11-23 09:59:58Z\",\"trace_id\":\"{TRACE}\",\"correlation_id\":\"{CORRELATION}\",\"error_uri\":\"https://login.microsoftonline.com/error?code=50076\",\"suberror\":\"basic_action\"}} (retrying)"
    );
    let d = diagnose(&log);
    assert_eq!(d.cause, Cause::MfaRequired);
    assert_eq!(d.code.as_deref(), Some("AADSTS50076"));
    assert_eq!(d.facts.error.as_deref(), Some("invalid_grant"));
    assert_eq!(d.facts.error_subcode.as_deref(), Some("basic_action"));
    assert_eq!(d.facts.trace_id.as_deref(), Some(TRACE));
    assert_eq!(d.facts.timestamp.as_deref(), Some("2026-11-23 09:59:58Z"));
}

#[test]
fn conditional_access_block_on_refresh() {
    let json = r#"{"error":"invalid_grant","error_description":"AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.","error_codes":[53003]}"#;
    let d = diagnose(json);
    assert_eq!(
        (d.cause, d.detail.as_deref()),
        (Cause::ConditionalAccessBlocked, Some("blocked_by_policy"))
    );
    assert_eq!(d.fixed_by, FixedBy::ItAdmin);
}

#[test]
fn unassigned_user_redirect() {
    let d = diagnose("?error=access_denied&error_description=AADSTS50105%3A+The+signed+in+user+isn%27t+assigned+to+a+role+for+the+signed+in+app.&state=s");
    assert_eq!(d.cause, Cause::UserNotAssigned);
}

#[test]
fn app_not_found_redirect() {
    let d = diagnose("error=unauthorized_client&error_description=AADSTS700016:+Application+with+identifier+'x'+was+not+found+in+the+directory+'contoso'.");
    assert_eq!(d.cause, Cause::AppNotFoundInTenant);
    assert_eq!(d.fixed_by, FixedBy::Vendor);
}

#[test]
fn graph_mailbox_not_in_exchange_online() {
    let json = r#"{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"The mailbox is either inactive, soft-deleted, or is hosted on-premise.","innerError":{"date":"2026-11-23T10:01:02","request-id":"11112222-3333-4444-5555-666677778888","client-request-id":"99990000-aaaa-bbbb-cccc-ddddeeeeffff"}}}"#;
    let d = diagnose(json);
    assert_eq!(d.cause, Cause::MailboxNotExchangeOnline);
    assert_eq!(d.code.as_deref(), Some("MailboxNotEnabledForRESTAPI"));
    assert_eq!(
        d.facts.request_id.as_deref(),
        Some("11112222-3333-4444-5555-666677778888")
    );
    assert_eq!(d.facts.timestamp.as_deref(), Some("2026-11-23T10:01:02"));
}

#[test]
fn graph_access_denied_and_throttling() {
    let denied = r#"{"error":{"code":"ErrorAccessDenied","message":"Access is denied. Check credentials and try again."}}"#;
    assert_eq!(diagnose(denied).cause, Cause::InsufficientPermissions);
    let throttled = r#"{"error":{"code":"TooManyRequests","innerError":{"code":"429","date":"2020-08-18T12:51:51","message":"Please retry after","request-id":"94fb3b52-452a-4535-a601-69e0a90e3aa2","status":"429"},"message":"Please retry again later."}}"#;
    let d = diagnose(throttled);
    assert_eq!(d.cause, Cause::Throttled);
    assert_eq!(d.facts.http_status, Some(429));
}

#[test]
fn pasted_need_admin_approval_page() {
    let text = "Need admin approval\r\nAcme Recruit\r\nunverified\r\nAcme Recruit needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.\r\nHave an admin account? Sign in with that account\r\nReturn to the application without granting consent\r\n\r\nTroubleshooting details\r\nRequest Id: 5ad0fa0e-ad31-4e25-9f3e-5f6b3a6ce500\r\nCorrelation Id: aaaa0000-bb11-2222-33cc-444444dddddd\r\nTimestamp: 2026-11-23T10:05:06.123Z\r\nMessage: AADSTS90094: Admin consent is required for the permissions requested by this application.";
    let d = diagnose(text);
    assert_eq!(
        (d.cause, d.detail.as_deref()),
        (Cause::AdminConsentRequired, Some("need_admin_approval"))
    );
    assert_eq!(d.fixed_by, FixedBy::ItAdmin);
    assert_eq!(d.facts.correlation_id.as_deref(), Some(CORRELATION));
    assert_eq!(
        d.facts.request_id.as_deref(),
        Some("5ad0fa0e-ad31-4e25-9f3e-5f6b3a6ce500")
    );
    assert_eq!(
        d.facts.timestamp.as_deref(),
        Some("2026-11-23T10:05:06.123Z")
    );
}

#[test]
fn pasted_approval_required_page_without_code() {
    let text = "Approval required\nThis app requires your admin's approval to:\nSend mail as you\nEnter justification for requesting this app\nRequest approval";
    let d = diagnose(text);
    assert_eq!(d.cause, Cause::AdminApprovalRequestPossible);
}

#[test]
fn oauth_error_value_is_final_for_server_errors() {
    let d = diagnose("error=server_error&error_description=AADSTS90094:+odd");
    assert_eq!(d.cause, Cause::TransientServiceError);
}

#[test]
fn unknown_codes_get_a_generic_answer() {
    assert_eq!(
        diagnose("error=invalid_request&error_description=AADSTS99999:+new").cause,
        Cause::PkceOrClientConfigError
    );
    assert_eq!(diagnose("error=brand_new_error").cause, Cause::Other);
    assert_eq!(diagnose("").cause, Cause::Other);
    assert_eq!(diagnose("{not json").cause, Cause::Other);
    assert_eq!(diagnose("error=%ZZ%").cause, Cause::Other);
}

#[test]
fn personal_account_tenant_known_from_the_id_token() {
    let known = Facts {
        tenant: Some("9188040d-6c67-4c5b-b112-36a304b66dad".into()),
        ..Facts::default()
    };
    let d = diagnose_with("The account could not be used.", known);
    assert_eq!(
        (d.cause, d.detail.as_deref()),
        (Cause::WrongAccountType, Some("personal_account"))
    );
}

#[test]
fn every_documented_consent_and_access_code_has_a_cause() {
    let codes = [
        65001, 65002, 65004, 65005, 650052, 650056, 650057, 90008, 90093, 90094, 90095, 90099,
        900941, 900981, 50105, 53003, 53000, 53001, 53002, 53004, 53009, 530003, 530032, 530035,
        50076, 50079, 50074, 50158, 50173, 70000, 70008, 700082, 700084, 70043, 54005, 501481,
        50147, 501491, 700016, 700011, 500011, 50020, 50034, 50011, 500113, 900971, 50058, 50072,
        50194, 700054, 70011, 700022, 28002, 28003, 700025, 7000218, 7000215, 7000222, 9002313,
        900144, 9001023, 90072, 50199, 90002, 90038, 900432, 1000104, 500021, 500022, 500212,
        500213, 16000, 50059, 50128, 90019, 90014, 90100, 9002332,
    ];
    for code in codes {
        let d = diagnose(&format!("AADSTS{code}: something"));
        assert_ne!(d.cause, Cause::Other, "AADSTS{code} fell through to other");
    }
}

#[test]
fn json_shape_uses_stable_snake_case_ids() {
    let d = diagnose("error=access_denied&error_description=AADSTS90095:+x");
    let json = serde_json::to_value(&d).unwrap_or_default();
    assert_eq!(json["cause"], "admin_approval_request_possible");
    assert_eq!(json["fixed_by"], "it_admin");
    assert_eq!(json["code"], "AADSTS90095");
    assert!(json["next_steps"].as_array().is_some_and(|s| !s.is_empty()));
    assert_eq!(
        serde_json::to_value(Cause::MailboxNotExchangeOnline).unwrap_or_default(),
        Cause::MailboxNotExchangeOnline.id()
    );
}

#[test]
fn graph_errors_get_a_cause_a_fixer_and_steps() {
    use Cause::*;
    let graph = |code: &str, message: &str| {
        format!(
            r#"{{"error":{{"code":"{code}","message":"{message}","innerError":{{"date":"2026-11-23T10:01:02","request-id":"11112222-3333-4444-5555-666677778888"}}}}}}"#
        )
    };
    let cases = [
        (
            graph(
                "ErrorAccessDenied",
                "Access is denied. Check credentials and try again.",
            ),
            InsufficientPermissions,
            FixedBy::ItAdmin,
        ),
        (
            graph(
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.",
            ),
            InsufficientPermissions,
            FixedBy::ItAdmin,
        ),
        (
            graph(
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            ),
            InvalidOrExpiredGrant,
            FixedBy::Recruiter,
        ),
        (
            graph(
                "MailboxNotEnabledForRESTAPI",
                "REST API is not yet supported for this mailbox.",
            ),
            MailboxNotExchangeOnline,
            FixedBy::ItAdmin,
        ),
        (
            graph(
                "ErrorMailboxMoveInProgress",
                "Mailbox move in progress. Try again later.",
            ),
            TransientServiceError,
            FixedBy::Recruiter,
        ),
        (
            graph("MailboxInfoStale", "Mailbox info is stale."),
            TransientServiceError,
            FixedBy::Recruiter,
        ),
        (
            graph(
                "ApplicationThrottled",
                "Application is over its MailboxConcurrency limit.",
            ),
            Throttled,
            FixedBy::Recruiter,
        ),
        (
            graph(
                "ErrorTooManyObjectsOpened",
                "Too many concurrent connections opened.",
            ),
            Throttled,
            FixedBy::Recruiter,
        ),
        (
            graph("ServiceNotAvailable", "The service is unavailable."),
            TransientServiceError,
            FixedBy::Recruiter,
        ),
        (
            graph(
                "ErrorInvalidUser",
                "The requested user 'x@contoso.example' is invalid.",
            ),
            MailboxNotExchangeOnline,
            FixedBy::ItAdmin,
        ),
        (
            format!(
                "GET https://graph.microsoft.com/v1.0/me/mailFolders/sentitems -> 404 {}",
                graph("ResourceNotFound", "Resource could not be discovered.")
            ),
            MailboxNotExchangeOnline,
            FixedBy::ItAdmin,
        ),
        (
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\n\r\n".to_owned(),
            TransientServiceError,
            FixedBy::Recruiter,
        ),
        (
            "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2.128\r\n".to_owned(),
            Throttled,
            FixedBy::Recruiter,
        ),
    ];
    for (text, cause, fixed_by) in cases {
        let d = diagnose(&text);
        assert_eq!((d.cause, d.fixed_by), (cause, fixed_by), "{text}");
        assert!(!d.evidence.is_empty(), "{text}");
    }
    let d = diagnose("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\n");
    assert_eq!(
        (d.facts.http_status, d.facts.retry_after.as_deref()),
        (Some(503), Some("30"))
    );
    // The same code means another thing with other words around it.
    let elsewhere = diagnose(&graph(
        "ResourceNotFound",
        "Resource could not be discovered.",
    ));
    assert_eq!(elsewhere.cause, Cause::Other);
}

#[test]
fn the_specific_code_explains_the_generic_wrapping_and_says_how_sure() {
    let d =
        diagnose("invalid_grant: AADSTS53000: Device is not in required device state: compliant.");
    assert_eq!(d.cause, Cause::DeviceOrPlatformNotAllowed);
    assert_eq!(d.also_possible, Some(Cause::ConditionalAccessBlocked));
    assert_eq!(d.confidence, Confidence::High);
    let read: Vec<(ClueKind, &str)> = d
        .evidence
        .iter()
        .map(|c| (c.kind, c.text.as_str()))
        .collect();
    assert_eq!(
        read,
        [
            (ClueKind::AadstsCode, "AADSTS53000 DeviceNotCompliant"),
            (ClueKind::Phrase, "device is not in required device state"),
            (ClueKind::OauthError, "error=invalid_grant")
        ]
    );
    // Words of Microsoft's page without a code: medium; nothing at all: low.
    assert_eq!(
        diagnose("Your account is locked.").confidence,
        Confidence::Medium
    );
    assert_eq!(diagnose("it does not work").confidence, Confidence::Low);
    // Two codes that disagree: the one more clues back, less sure.
    let d = diagnose(
        "AADSTS70002: Error validating credentials. AADSTS50126: Invalid username or password",
    );
    assert_eq!(d.cause, Cause::InvalidCredentials);
    assert_eq!(d.also_possible, Some(Cause::PkceOrClientConfigError));
    assert_eq!(d.confidence, Confidence::Medium);
}

#[test]
fn codes_are_found_in_any_case_and_in_sentences() {
    for text in [
        "aadsts50105: the signed in user isn't assigned",
        "We keep getting error AADSTS50105 when Riley signs in",
        "Sign-in error code 50105",
        "https://login.microsoftonline.com/error?code=50105",
    ] {
        assert_eq!(diagnose(text).cause, Cause::UserNotAssigned, "{text}");
    }
    // A number is a code only when the reference has it.
    assert_eq!(diagnose("error code 12345").cause, Cause::Other);
}
