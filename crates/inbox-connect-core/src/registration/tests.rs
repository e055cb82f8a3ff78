use super::*;

fn scopes_of(app: &AppRegistration) -> Vec<&str> {
    app.permissions.iter().map(|(s, _)| s.as_str()).collect()
}

#[test]
fn the_recruiters_app_asks_for_each_scope_of_the_profile_once() {
    let registration =
        Registration::for_profile(&Profile::sandbox()).unwrap_or_else(|e| panic!("{e}"));
    let app = &registration.recruiter;
    assert_eq!(app.display_name, "Acme Recruit");
    assert_eq!(app.sign_in_audience, "AzureADMultipleOrgs");
    assert_eq!(app.public_client_redirect_uris, ["http://localhost"]);
    assert!(app.web_redirect_uris.is_empty());
    assert_eq!(
        scopes_of(app),
        [
            "Mail.Send",
            "Mail.ReadWrite",
            "offline_access",
            "User.Read",
            "openid",
            "profile",
            "email",
            "Calendars.ReadWrite",
            "User.ReadBasic.All"
        ]
    );
    assert!(
        registration.admin.is_none(),
        "the sandbox profile names no admin app"
    );
    assert_eq!(
        registration.az_commands(),
        "az rest --method POST --url https://graph.microsoft.com/v1.0/applications \
         --headers Content-Type=application/json --body @recruiter-app.json\n"
    );
}

#[test]
fn an_admin_app_asks_for_the_admin_paths_scopes_and_a_cloud_has_its_graph() {
    let text = format!(
        "admin_client_id = \"0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\"\ncloud = \"us_gov\"\n{}",
        crate::profile::SANDBOX_PROFILE
    );
    let profile = Profile::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
    let registration = Registration::for_profile(&profile).unwrap_or_else(|e| panic!("{e}"));
    let admin = registration
        .admin
        .as_ref()
        .unwrap_or_else(|| panic!("an admin app"));
    assert_eq!(
        scopes_of(admin),
        [
            "openid",
            "profile",
            "Application.Read.All",
            "DelegatedPermissionGrant.Read.All",
            "Policy.Read.All",
            "ConsentRequest.Read.All",
            "Directory.Read.All",
            "Application.ReadWrite.All",
            "AppRoleAssignment.ReadWrite.All",
            "Policy.ReadWrite.ConsentRequest"
        ]
    );
    assert!(registration
        .az_commands()
        .contains("--url https://graph.microsoft.us/v1.0/applications"));
    assert!(registration.az_commands().contains("@admin-app.json"));
}

#[test]
fn a_scope_without_a_known_id_is_named() {
    let text = crate::profile::SANDBOX_PROFILE.replace("\"Mail.Send\"", "\"Mail.Sendd\"");
    let profile = Profile::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        Registration::for_profile(&profile),
        Err(RegistrationError::UnknownScope("Mail.Sendd".into()))
    );
}

#[test]
fn a_web_page_after_the_grant_is_a_web_redirect_uri() {
    let profile = Profile::sandbox().with_admin_consent_redirect_uri(
        url::Url::parse("https://acme-recruit.example/admin-consent-done")
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let app = Registration::for_profile(&profile)
        .unwrap_or_else(|e| panic!("{e}"))
        .recruiter;
    assert_eq!(
        app.manifest()["web"]["redirectUris"],
        serde_json::json!(["https://acme-recruit.example/admin-consent-done"])
    );
}
