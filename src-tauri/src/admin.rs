//! The IT admin's commands: thin wrappers over the core's [`inbox_connect_core::admin`] module.
//! Each browser trip is begun by one command (which returns the link) and finished by
//! [`admin_finish`], so the window can show the link and a Cancel button meanwhile.

use inbox_connect_core::admin::{
    self, AdminAction, AdminError, AdminPending, AdminScopes, ItemId, RoleRequirement,
};
use inbox_connect_core::blocked::admin_consent::{AdminLinkError, TenantRef};
use inbox_connect_core::profile::ScopeReason;
use inbox_connect_core::{ConnectError, Words};
use serde::Serialize;
use tauri::{State, WebviewWindow};
use url::Url;

use crate::error::AppError;
use crate::state::AppState;
use crate::window::{bring_to_front, open_outside, AdminResult, SignInStarted};

/// What the admin screen explains before anything is opened.
#[derive(Debug, Serialize)]
pub struct AdminInfo {
    /// Which roles can grant the app's permissions for the organization.
    grant: RoleRequirement,
    /// The permissions the read-only check signs in with, each with its reason.
    verify_scopes: Vec<ScopeReason>,
    /// Which app the check signs in as, and what that means for Microsoft's "Consent on behalf
    /// of your organization" box.
    consent_note: Words,
    /// The organization the recruiter's blocked connection named (a domain or tenant id), to
    /// pre-fill the form.
    organization: Option<String>,
}

/// An optional change as the confirmation dialog shows it.
#[derive(Debug, Serialize)]
pub struct ActionPreview {
    /// What will change.
    describe: Words,
    /// The role and Graph permission it needs.
    needs: RoleRequirement,
    /// The permissions its own sign-in asks for, each with its reason.
    scopes: Vec<ScopeReason>,
}

/// The explanations for the admin screen, and the organization to pre-fill.
#[tauri::command]
pub async fn admin_info(state: State<'_, AppState>) -> Result<AdminInfo, AppError> {
    let connector = state.connector()?;
    let status = connector.status().await;
    let facts = status.blocked.as_ref().map(|b| &b.diagnosis.facts);
    let organization = facts
        .and_then(|f| f.tenant.clone().or_else(|| f.account.clone()))
        .or_else(|| {
            status
                .organization
                .as_ref()
                .map(|o| o.tenant_id.to_string())
        });
    Ok(AdminInfo {
        grant: RoleRequirement::grant_consent(),
        verify_scopes: AdminScopes::Verify.scopes(),
        consent_note: admin::consent_box_note(connector.profile()),
        organization,
    })
}

/// Opens Microsoft's sign-in as the admin (`login_hint`, when typed) and the admin-consent page
/// for `organization` (a domain, tenant id or work email).
#[tauri::command]
pub async fn admin_begin_grant(
    state: State<'_, AppState>,
    organization: String,
    login_hint: Option<String>,
) -> Result<SignInStarted, AppError> {
    let tenant = TenantRef::parse(&organization).map_err(AdminLinkError::from)?;
    let (hint, _) = hints(login_hint.as_deref(), None)?;
    let pending = admin::begin_grant(state.admin()?, &tenant, &[], hint).await?;
    Ok(started(
        &state,
        pending.map(|outcome| AdminResult::Grant { outcome }),
    ))
}

/// Opens the admin's read-only sign-in; the checklist follows.
#[tauri::command]
pub async fn admin_begin_verify(
    state: State<'_, AppState>,
    organization: Option<String>,
    login_hint: Option<String>,
) -> Result<SignInStarted, AppError> {
    let (hint, tenant) = hints(login_hint.as_deref(), organization.as_deref())?;
    let pending = admin::begin_verify(state.admin()?, &[], hint, tenant.as_ref()).await?;
    Ok(started(
        &state,
        pending.map(|verification| AdminResult::Verify { verification }),
    ))
}

/// What a change would do and need, for its confirmation dialog.
#[tauri::command]
pub fn admin_preview_action(action: AdminAction) -> ActionPreview {
    ActionPreview {
        describe: action.describe(),
        needs: action.needs(),
        scopes: action.scopes().scopes(),
    }
}

/// Makes a change the admin confirmed in the dialog of [`admin_preview_action`]: opens a sign-in
/// asking for just its permission.
#[tauri::command]
pub async fn admin_begin_confirmed_action(
    state: State<'_, AppState>,
    action: AdminAction,
    organization: Option<String>,
    login_hint: Option<String>,
) -> Result<SignInStarted, AppError> {
    let (hint, tenant) = hints(login_hint.as_deref(), organization.as_deref())?;
    let pending =
        admin::begin_action(state.admin()?, action.confirm(), hint, tenant.as_ref()).await?;
    Ok(started(
        &state,
        pending.map(|report| AdminResult::Action { report }),
    ))
}

/// Waits for the admin trip begun last, then brings the window to the front.
#[tauri::command]
pub async fn admin_finish(
    state: State<'_, AppState>,
    window: WebviewWindow,
) -> Result<AdminResult, AppError> {
    let pending = state
        .take_admin_pending()
        .ok_or(AppError::NoSignInInProgress)?;
    let outcome = pending.wait().await;
    if !matches!(
        &outcome,
        Err(AdminError::Connect(ConnectError::SignInCancelled))
    ) {
        bring_to_front(&window);
    }
    let result = outcome?;
    match &result {
        AdminResult::Verify { verification } => {
            state.set_checklist(verification.checklist.clone());
        }
        // The approval a blocked recruiter waits for may be this one: look at once.
        AdminResult::Grant {
            outcome: admin::GrantOutcome::Granted { .. },
        } => state.connector()?.grant_recorded(),
        _ => {}
    }
    Ok(result)
}

/// Opens the Entra admin centre (or admin-consent) link of a checklist item in the browser. Only
/// the links of the checklist last read can be opened: the page cannot make the app open others.
#[tauri::command]
pub fn admin_open_portal(state: State<'_, AppState>, item: ItemId) -> Result<(), AppError> {
    let link = state
        .checklist_link(item)
        .ok_or_else(|| AppError::Opener(format!("the checklist has no link for {item:?}")))?;
    let url = Url::parse(&link).map_err(|e| AppError::Opener(e.to_string()))?;
    open_outside(&url)
}

/// Cancels the admin trip in progress (its `admin_finish` fails with `sign_in_cancelled`).
#[tauri::command]
pub fn admin_cancel(state: State<'_, AppState>) {
    state.cancel_admin();
}

/// Keeps the trip for `admin_finish` (cancelling one still open) and returns its link.
fn started(state: &AppState, pending: AdminPending<AdminResult>) -> SignInStarted {
    let started = SignInStarted::from(pending.link());
    state.set_admin_pending(pending);
    started
}

/// The optional login hint, and the organization when one was typed (checked as a domain, tenant
/// id or email).
fn hints<'a>(
    login_hint: Option<&'a str>,
    organization: Option<&str>,
) -> Result<(Option<&'a str>, Option<TenantRef>), AppError> {
    let tenant = organization
        .filter(|o| !o.trim().is_empty())
        .map(TenantRef::parse)
        .transpose()
        .map_err(AdminLinkError::from)?;
    let hint = login_hint.map(str::trim).filter(|s| !s.is_empty());
    Ok((hint, tenant))
}

#[cfg(test)]
mod tests {
    use super::*;
    use inbox_connect_core::admin::Principal;

    /// Pins what ui/app.js reads from `admin_preview_action`, and the action JSON it sends.
    #[test]
    fn the_confirmation_shows_the_change_its_role_and_its_permissions() {
        let action: AdminAction = serde_json::from_value(serde_json::json!({
            "action": "enable_consent_requests",
            "reviewers": [{"id": "oid-1", "name": "alex.admin@contoso.example"}],
            "request_duration_in_days": 30
        }))
        .unwrap_or_else(|e| panic!("the UI's action JSON: {e}"));
        assert_eq!(
            action,
            AdminAction::EnableConsentRequests {
                reviewers: vec![Principal {
                    id: "oid-1".into(),
                    name: "alex.admin@contoso.example".into()
                }],
                request_duration_in_days: 30
            }
        );
        let json = serde_json::to_value(admin_preview_action(action)).unwrap_or_default();
        let english = |words: &serde_json::Value| {
            serde_json::from_value::<Words>(words.clone()).map(|w| w.english())
        };
        assert!(english(&json["describe"])
            .is_ok_and(|d| d.contains("alex.admin@contoso.example") && d.contains("30 days")));
        assert!(
            english(&json["needs"]["message"]).is_ok_and(|m| m.contains("Global Administrator"))
        );
        let scopes: Vec<&str> = json["scopes"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s["scope"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            scopes,
            ["openid", "profile", "Policy.ReadWrite.ConsentRequest"]
        );
    }

    #[test]
    fn a_typed_organization_is_checked_and_a_blank_one_is_none() {
        let (hint, tenant) =
            hints(Some("  "), Some(" contoso.com ")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(hint, None);
        assert_eq!(tenant.as_ref().map(TenantRef::as_str), Some("contoso.com"));
        let (_, none) = hints(None, Some("")).unwrap_or_else(|e| panic!("{e}"));
        assert!(none.is_none());
        let bad = hints(None, Some("common"));
        assert!(matches!(bad, Err(AppError::AdminLink(_))), "{bad:?}");
    }
}
