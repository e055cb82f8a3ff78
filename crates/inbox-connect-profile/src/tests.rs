//! The profile parser and the release check, on the sandbox profile and broken variants of it.

use super::*;

#[test]
fn bundled_profile_is_the_sandbox_app_with_runtime_endpoints() {
    let p = Profile::sandbox();
    assert_eq!(p.client_id.as_str(), "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69");
    assert!(matches!(p.endpoints(), Err(ProfileError::EndpointsNotSet)));
    assert_eq!(
        p.default_features(),
        vec![Feature::Mailbox, Feature::Calendar]
    );
    let scopes: Vec<_> = p
        .scopes_for(&[Feature::Mailbox])
        .unwrap()
        .into_iter()
        .map(|s| s.scope)
        .collect();
    assert_eq!(
        scopes,
        [
            "Mail.Send",
            "Mail.ReadWrite",
            "offline_access",
            "User.Read",
            "openid",
            "profile",
            "email"
        ]
    );
}

#[test]
fn cloud_profiles_get_microsoft_hosts_and_qualified_scopes() {
    let text = SANDBOX_PROFILE.replace("# cloud = \"global\"", "cloud = \"us_gov_dod\"");
    let p = Profile::from_toml(&text).unwrap();
    let e = p.endpoints().unwrap();
    assert_eq!(
        e.authority.as_str(),
        "https://login.microsoftonline.us/organizations/v2.0"
    );
    assert_eq!(
        e.graph.as_ref().unwrap().as_str(),
        "https://dod-graph.microsoft.us/v1.0"
    );
    assert_eq!(
        p.wire_scope("Mail.Send"),
        "https://dod-graph.microsoft.us/Mail.Send"
    );
    assert_eq!(p.wire_scope("openid"), "openid");
    assert_eq!(
        p.keychain_account().unwrap(),
        "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69@usgovdod/organizations"
    );
}

#[test]
fn non_loopback_http_authority_is_refused() {
    let p = Profile::sandbox();
    let err = p
        .with_endpoints(Url::parse("http://login.example.com/t/v2.0").unwrap(), None)
        .unwrap_err();
    assert!(matches!(err, ProfileError::InsecureEndpoint { .. }));
}

#[test]
fn keychain_account_ignores_the_sandbox_port() {
    let graph = Url::parse("http://127.0.0.1:1/graph/v1.0").unwrap();
    let a = Profile::sandbox()
        .with_login_base(&Url::parse("http://127.0.0.1:4100").unwrap(), graph.clone())
        .unwrap();
    let b = Profile::sandbox()
        .with_login_base(&Url::parse("http://127.0.0.1:5200/").unwrap(), graph)
        .unwrap();
    assert_eq!(a.keychain_account().unwrap(), b.keychain_account().unwrap());
    assert_eq!(
        a.keychain_account().unwrap(),
        "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69@http://127.0.0.1/organizations/v2.0"
    );
}

const VENDOR: &str = include_str!("../../../tests/vendor/acme-vendor.toml");

fn release_problem(text: &str) -> String {
    match Profile::from_toml(text).and_then(|p| p.check_release()) {
        Ok(()) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_vendor_profile_passes_the_release_check() {
    let p = Profile::from_toml(VENDOR).unwrap();
    p.check_release().unwrap();
    assert_eq!(
        p.endpoints().unwrap().authority.as_str(),
        "https://login.microsoftonline.com/organizations/v2.0"
    );
}

#[test]
fn the_sandbox_profile_is_not_a_release_profile() {
    // Inbox Connect's own product, no fixed endpoints, and the sandbox's demo app id.
    let with_cloud = SANDBOX_PROFILE.replace("# cloud = \"global\"", "cloud = \"global\"");
    let e = release_problem(&with_cloud);
    assert!(e.starts_with("`product` is not set"), "{e}");
    let named = with_cloud
        .replace("# [product]\n", "[product]\n")
        .replace(
            "# name = \"Acme Recruit Connect\"",
            "name = \"Acme Recruit Connect\"",
        )
        .replace("# identifier = ", "identifier = ");
    let e = release_problem(&named);
    assert!(
        e.starts_with("`client_id` is the sandbox tenant's demo app"),
        "{e}"
    );
    let e = release_problem(&VENDOR.replace("cloud = \"global\"", ""));
    assert!(e.starts_with("`cloud` is not set"), "{e}");
}

#[test]
fn release_problems_name_the_field() {
    let cases = [
        (
            VENDOR.replace("0b8d3c1e-7f42-4a6b-9e15-c2d4f6a8b0e3", "acme-recruit"),
            "`client_id` is not a GUID",
        ),
        (
            VENDOR.replace("tenant = \"organizations\"", "tenant = \"consumers\""),
            "`tenant` is consumers",
        ),
        (
            VENDOR.replace("tenant = \"organizations\"", "tenant = \"contoso\""),
            "`tenant` is \"contoso\": must be organizations, common, a tenant id or a verified domain",
        ),
        (
            VENDOR.replace("app_name = \"Acme Recruit\"", "app_name = \" \""),
            "`app_name` is empty",
        ),
        (
            VENDOR.replace("reason = \"sign you in\"", "reason = \"\""),
            "`features[0].scopes[4].reason` is empty",
        ),
        (
            VENDOR.replace(
                "scope = \"Calendars.ReadWrite\"",
                "scope = \"Calendars.Read Mail.Read\"",
            ),
            "`features[1].scopes[0].scope`",
        ),
        (
            VENDOR.replace("id = \"calendar\"", "id = \"mailbox\""),
            "`features[1].id` names a feature twice",
        ),
        (
            VENDOR.replace("default = true", "default = false"),
            "`features` has no feature with default = true",
        ),
    ];
    for (text, expected) in cases {
        let e = release_problem(&text);
        assert!(e.starts_with(expected), "{e}\nexpected: {expected}");
    }
}

#[test]
fn parse_errors_name_the_line_and_the_field() {
    let text = VENDOR.replace("publisher = \"Acme Recruit Ltd\"\n", "");
    let e = Profile::from_toml(&text).unwrap_err().to_string();
    assert!(e.contains("missing field `publisher`"), "{e}");
    let text = VENDOR.replace(
        "tenant = \"organizations\"",
        "tenant = \"organizations\"\ntennant = \"x\"",
    );
    let e = Profile::from_toml(&text).unwrap_err().to_string();
    assert!(e.starts_with("line 9: unknown field `tennant`"), "{e}");
    let e =
        Profile::from_toml(&VENDOR.replace("cloud = \"global\"", "cloud = \"mars\"")).unwrap_err();
    assert!(
        e.to_string().starts_with("line 9: unknown variant `mars`"),
        "{e}"
    );
}

fn contoso() -> TenantRef {
    TenantRef::parse("contoso.com").unwrap()
}

#[test]
fn a_tenant_setting_moves_a_cloud_profile_to_that_organization() {
    let p = Profile::from_toml(VENDOR)
        .unwrap()
        .with_tenant(contoso())
        .unwrap();
    assert_eq!(
        p.endpoints().unwrap().authority.as_str(),
        "https://login.microsoftonline.com/contoso.com/v2.0"
    );
    // The sandbox's authority is made later from its login base, with the tenant set here.
    let base = Url::parse("http://127.0.0.1:9/").unwrap();
    let graph = Url::parse("http://127.0.0.1:9/graph/v1.0").unwrap();
    let p = Profile::sandbox().with_tenant(contoso()).unwrap();
    let p = p.with_login_base(&base, graph).unwrap();
    assert_eq!(
        p.endpoints().unwrap().authority.as_str(),
        "http://127.0.0.1:9/contoso.com/v2.0"
    );
    // A profile with its own authority keeps it, and says so.
    let own = VENDOR.replace(
        "cloud = \"global\"",
        "authority = \"https://idp.example/t/v2.0\"",
    );
    let e = Profile::from_toml(&own)
        .unwrap()
        .with_tenant(contoso())
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("`tenant` cannot be changed by a setting"),
        "{e}"
    );
}

/// Issue 14 item 4: the vendor's help page is optional, parses as a URL and ships on https.
#[test]
fn the_help_page_is_optional_and_https_for_release() {
    assert_eq!(Profile::from_toml(VENDOR).unwrap().help_url, None);
    let with =
        |line: &str| VENDOR.replace("cloud = \"global\"", &format!("cloud = \"global\"\n{line}"));
    let p = Profile::from_toml(&with("help_url = \"https://acme.example/help\"")).unwrap();
    p.check_release().unwrap();
    assert_eq!(
        p.help_url.as_ref().map(Url::as_str),
        Some("https://acme.example/help")
    );
    let e = release_problem(&with("help_url = \"http://acme.example/help\""));
    assert!(e.starts_with("`help_url` must be an https://"), "{e}");
    assert!(Profile::from_toml(&with("help_url = \"help page\"")).is_err());
}

/// Issue 10 items 13 and 15: the optional admin fields parse, and the release check wants the
/// admin-consent page on https and the admin app to be another GUID.
#[test]
fn optional_admin_fields_parse_and_are_checked_for_release() {
    let p = Profile::from_toml(VENDOR).unwrap();
    assert_eq!(p.admin_consent_redirect_uri, None);
    assert_eq!(p.admin_client_id, None);
    let with =
        |line: &str| VENDOR.replace("cloud = \"global\"", &format!("cloud = \"global\"\n{line}"));
    let p = Profile::from_toml(&with(
        "admin_consent_redirect_uri = \"https://acme.example/consent-done\"\nadmin_client_id = \"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\"",
    ))
    .unwrap();
    p.check_release().unwrap();
    assert_eq!(
        p.admin_consent_redirect_uri.as_ref().map(Url::as_str),
        Some("https://acme.example/consent-done")
    );
    let e = release_problem(&with(
        "admin_consent_redirect_uri = \"http://acme.example/done\"",
    ));
    assert!(
        e.starts_with("`admin_consent_redirect_uri` must be an https://"),
        "{e}"
    );
    let e = release_problem(&with("admin_client_id = \"admin-app\""));
    assert!(e.starts_with("`admin_client_id` is not a GUID"), "{e}");
    let same = with("admin_client_id = \"0b8d3c1e-7f42-4a6b-9e15-c2d4f6a8b0e3\"");
    assert!(release_problem(&same).starts_with("`admin_client_id` must be"));
    assert!(Profile::from_toml(&with("admin_consent_redirect_uri = \"not a url\"")).is_err());
}

#[test]
fn a_vendor_release_names_its_own_product() {
    let without = VENDOR.replace(
        "[product]\nname = \"Acme Recruit Connect\"\nidentifier = \"com.acme-recruit.connect\"\n",
        "",
    );
    assert!(release_problem(&without).starts_with("`product` is not set"));
    let p = Profile::from_toml(VENDOR).unwrap();
    assert_eq!(p.product.name, "Acme Recruit Connect");
    assert_eq!(p.product.identifier.as_str(), "com.acme-recruit.connect");
    assert_eq!(p.product.binary_name(), "acme-recruit-connect");
    // The demo is Inbox Connect itself.
    assert!(Profile::sandbox().product.is_inbox_connect());
    assert_eq!(Profile::sandbox().product.binary_name(), "inbox-connect");
}

#[test]
fn product_identifiers_and_names_that_cannot_work_are_named() {
    let with = |name: &str, identifier: &str| {
        VENDOR
            .replace("\"Acme Recruit Connect\"", &format!("{name:?}"))
            .replace("\"com.acme-recruit.connect\"", &format!("{identifier:?}"))
    };
    for bad in [
        "acme",
        "com.1acme.connect",
        "com.acme_recruit.connect",
        "com..acme",
        "com.acme.App",
    ] {
        let err = Profile::from_toml(&with("Acme", bad))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("`product.identifier`"), "{bad}: {err}");
    }
    for bad in ["", "Acme/Connect", "Acme {x}"] {
        let err = Profile::from_toml(&with(bad, "com.acme.connect"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("`product.name`"), "{bad:?}: {err}");
    }
    let accented =
        Profile::from_toml(&with("Recrutement Élan", "fr.elan.connect-outlook")).unwrap();
    assert_eq!(accented.product.binary_name(), "connect-outlook");
    let icon = VENDOR.replace(
        "identifier = \"com.acme-recruit.connect\"\n",
        "identifier = \"com.acme-recruit.connect\"\nicon = \"acme.svg\"\n",
    );
    let err = Profile::from_toml(&icon).unwrap_err().to_string();
    assert!(err.starts_with("`product.icon`"), "{err}");
}
