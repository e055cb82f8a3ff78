//! `registration`: the Entra app registration a vendor's profile needs, printed (it signs in to
//! nothing). Exit code 2 when the profile cannot be read or names a scope without a known id.

use std::process::ExitCode;

use inbox_connect_core::registration::{AppRegistration, Registration};
use inbox_connect_core::Profile;
use serde_json::json;

/// Usage or input error.
const INPUT_ERROR: u8 = 2;

pub(crate) fn print(profile: Result<Profile, String>, json: bool) -> ExitCode {
    let registration =
        match profile.and_then(|p| Registration::for_profile(&p).map_err(|e| e.to_string())) {
            Ok(registration) => registration,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(INPUT_ERROR);
            }
        };
    let steps = registration.next_steps();
    let admin = registration.admin.as_ref().map(|a| a.manifest());
    if json {
        let document = json!({
            "recruiter_app": registration.recruiter.manifest(),
            "admin_app": admin,
            "az": registration.az_commands().lines().collect::<Vec<_>>(),
            "next_steps": steps,
        });
        outln!("{}", pretty(&document));
        return ExitCode::SUCCESS;
    }
    outln!(
        "The recruiters' app (\"{}\"): save this as recruiter-app.json",
        registration.recruiter.display_name
    );
    outln!("{}", permission_names(&registration.recruiter));
    outln!("{}\n", pretty(&registration.recruiter.manifest()));
    if let (Some(app), Some(manifest)) = (&registration.admin, &admin) {
        outln!(
            "The IT admin's app (\"{}\"): save this as admin-app.json",
            app.display_name
        );
        outln!("{}", permission_names(app));
        outln!("{}\n", pretty(manifest));
    }
    outln!("Create them with the Azure CLI, signed in to your own company's tenant (az login):");
    out!("{}", registration.az_commands());
    outln!("\nThen:");
    for (n, step) in steps.iter().enumerate() {
        outln!("{}. {step}", n + 1);
    }
    ExitCode::SUCCESS
}

/// The app's delegated Graph permissions by name (the JSON has only their ids).
fn permission_names(app: &AppRegistration) -> String {
    let names: Vec<&str> = app
        .permissions
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    format!(
        "Delegated Microsoft Graph permissions: {}",
        names.join(", ")
    )
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
