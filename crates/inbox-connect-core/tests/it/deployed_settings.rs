//! Settings IT deployed change where the sign-in goes: the organization's tenant (not
//! `organizations`) and its domain hinted when the recruiter names no account; the diagnostic
//! report names the settings in force and their files.

use inbox_connect_test_support as support;

use inbox_connect_core::settings::{self, Scope, Source};
use inbox_connect_core::Profile;
use support::sandbox as sb;

/// The sandbox's Contoso Recruiting tenant.
const CONTOSO_ID: &str = "3f6b2c1e-5a47-4d8e-9c21-7b0e4f9a2d61";

#[tokio::test]
async fn the_deployed_tenant_and_domain_reach_the_sign_in_link() {
    let sandbox = sb::start().await;
    let dir = std::env::temp_dir().join(format!("inbox-connect-deployed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("settings.toml");
    std::fs::write(
        &file,
        "tenant = \"contoso-recruiting.example\"\nlogin_hint_domain = \"contoso-recruiting.example\"\n",
    )
    .unwrap();
    let loaded = settings::load(&[Source {
        scope: Scope::Machine,
        path: file.clone(),
    }]);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let (profile, problem) = loaded.settings.apply(Profile::sandbox());
    assert!(problem.is_none());
    let profile = profile
        .with_login_base(sandbox.base_url(), sandbox.graph_url())
        .unwrap();
    let vault = support::test_vault("deployed");
    let (connector, _links) = support::test_connector(profile, &vault);

    let pending = connector.begin_sign_in(&[], None).await.unwrap();
    let link = pending.link().url().clone();
    // Entra's discovery for a domain names the tenant's id (the sandbox does so too).
    assert!(
        link.path()
            .starts_with(&format!("/{CONTOSO_ID}/oauth2/v2.0/authorize")),
        "{link}"
    );
    let hint = link
        .query_pairs()
        .find(|(k, _)| k == "domain_hint")
        .map(|(_, v)| v.into_owned());
    assert_eq!(hint.as_deref(), Some("contoso-recruiting.example"));
    connector.cancel_sign_in();

    // A typed account is hint enough: Microsoft finds the organization from it.
    let pending = connector.begin_sign_in(&[], Some(sb::RILEY)).await.unwrap();
    assert!(!pending
        .link()
        .url()
        .query_pairs()
        .any(|(k, _)| k == "domain_hint"));
    connector.cancel_sign_in();

    // The report (made for a blocked status) carries what the app was told of this computer.
    connector.set_environment(loaded.settings.report_lines());
    let status = connector
        .explain_error_page(
            "AADSTS90094: Administrator consent is required.",
            Some(sb::RILEY),
        )
        .await;
    let report = status.blocked.expect("blocked").report;
    let line = format!(
        "- tenant = contoso-recruiting.example (machine settings, {}:1)",
        file.display()
    );
    assert!(report.contains(&line), "{report}");
    std::fs::remove_dir_all(&dir).unwrap();
}
