//! `POST /{tenant}/oauth2/v2.0/token` (docs/entra-reference.md §1.5-§1.8): authorization_code and refresh_token grants.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::Authority;
use crate::aadsts::AadError;
use crate::conditional_access::{evaluate, Requirement};
use crate::context::{Sandbox, Shared};
use crate::directory::service_principal;
use crate::params::{read_body, Params, FORM_LIMIT};
use crate::random::sha256_hex;
use crate::scopes::ScopeSet;
use crate::seed::{Application, Tenant, User};
use crate::tokens::{respond, Subject};

/// Codes "expire after about 10 minutes" (docs/entra-reference.md §1.3).
const CODE_LIFETIME_SECS: i64 = 600;
/// Refresh tokens last 90 days for native apps (docs/entra-reference.md §1.8).
const REFRESH_LIFETIME_DAYS: i64 = 90;

/// `POST /{tenant}/oauth2/v2.0/token`.
pub async fn post(State(sb): State<Shared>, Path(tenant): Path<String>, body: Body) -> Response {
    let result = match read_body(body, FORM_LIMIT).await {
        Some(bytes) => {
            let params = Params::parse(&bytes);
            sb.ledger.record(
                ["code", "code_verifier", "refresh_token"]
                    .into_iter()
                    .filter_map(|name| params.get(name)),
            );
            redeem(&sb, &tenant, &params)
        }
        None => Err(AadError::too_large()),
    };
    if let Ok(body) = &result {
        sb.ledger.record(
            ["access_token", "refresh_token", "id_token"]
                .into_iter()
                .filter_map(|name| body[name].as_str()),
        );
    }
    match result {
        Ok(body) => (
            [
                (header::CACHE_CONTROL, "no-store, no-cache"),
                (header::PRAGMA, "no-cache"),
            ],
            Json(body),
        )
            .into_response(),
        Err(e) => e.json(sb.clock.now()),
    }
}

/// MSAL sends `client_info=1` on every token request (msal-common `addClientInfo` in
/// AuthorizationCodeClient.ts and RefreshTokenClient.ts).
fn asks_client_info(params: &Params) -> bool {
    params.get("client_info") == Some("1")
}

fn required<'p>(params: &'p Params, name: &str) -> Result<&'p str, AadError> {
    params
        .non_empty(name)
        .ok_or_else(|| AadError::missing_parameter(name))
}

fn redeem(sb: &Sandbox, tenant: &str, params: &Params) -> Result<Value, AadError> {
    let authority = Authority::resolve(sb, tenant)?;
    let grant_type = required(params, "grant_type")?;
    let client_id = required(params, "client_id")?;
    let app = sb
        .seed
        .application(client_id)
        .ok_or_else(|| AadError::unknown_client(client_id, tenant))?;
    let public = match (grant_type, params.get("redirect_uri")) {
        ("authorization_code", Some(redirect_uri)) => app.is_public_client_redirect(redirect_uri),
        _ => app.is_public_client(),
    };
    check_client_credentials(public, params)?;
    match grant_type {
        "authorization_code" => authorization_code(sb, authority, app, params),
        "refresh_token" => refresh_token(sb, authority, app, params),
        other => Err(AadError::unsupported_grant(other)),
    }
}

/// Public clients must not present credentials; confidential ones must (docs/entra-reference.md §1.5, §2). A code is
/// a public client's when its redirect URI is registered under Mobile and desktop.
fn check_client_credentials(public: bool, params: &Params) -> Result<(), AadError> {
    let presented =
        params.get("client_secret").is_some() || params.get("client_assertion").is_some();
    match (public, presented) {
        (true, true) => Err(AadError::public_client_credential()),
        (false, false) => Err(AadError::credential_required()),
        _ => Ok(()),
    }
}

/// The [`Holder`] of a stored code or refresh record (both carry these four fields).
macro_rules! holder_of {
    ($grant:expr) => {
        Holder {
            tenant_id: &$grant.tenant_id,
            user_id: &$grant.user_id,
            client_id: &$grant.client_id,
            mfa: $grant.mfa,
        }
    };
}

fn authorization_code(
    sb: &Sandbox,
    authority: Authority<'_>,
    app: &Application,
    params: &Params,
) -> Result<Value, AadError> {
    let code = required(params, "code")?;
    let redirect_uri = required(params, "redirect_uri")?;
    let hash = sha256_hex(code);
    let stored = sb.store.code(&hash).ok_or_else(AadError::bad_code)?;
    if stored.redeemed {
        return Err(AadError::code_redeemed());
    }
    let holder = holder_of!(stored);
    let (tenant, user) = holder.resolve(sb, authority, app, AadError::bad_code)?;
    if (sb.clock.now() - stored.issued_at).num_seconds() > CODE_LIFETIME_SECS {
        return Err(AadError::code_expired());
    }
    if redirect_uri != stored.redirect_uri {
        return Err(AadError::redirect_changed());
    }
    if let Some((challenge, method)) = &stored.pkce {
        let verifier = required(params, "code_verifier")?;
        let derived = if method == "S256" {
            URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
        } else {
            verifier.to_owned()
        };
        if &derived != challenge {
            return Err(AadError::pkce_mismatch());
        }
    }
    if !sb.store.mark_redeemed(&hash) {
        return Err(AadError::code_redeemed());
    }
    Ok(respond(
        sb,
        &Subject {
            tenant,
            user,
            app,
            requested: &stored.requested,
            nonce: stored.nonce.as_deref(),
            mfa: stored.mfa,
            client_info: asks_client_info(params),
        },
    ))
}

/// Re-checks what an admin may have changed since sign-in: the service principal (disabled →
/// AADSTS700016, assignment → 50105) and Conditional Access (block → 53003, MFA the grant lacks →
/// `interaction_required` 50076 with `suberror` `basic_action`, docs/entra-reference.md §5).
fn still_allowed(
    sb: &Sandbox,
    tenant: &Tenant,
    user: &User,
    app: &Application,
    mfa: bool,
) -> Result<(), AadError> {
    if let Some(sp) = service_principal(sb, tenant, &app.app_id) {
        if !sp.account_enabled {
            return Err(AadError::unknown_client(&app.app_id, &tenant.display_name));
        }
        if sp.app_role_assignment_required && !sp.assigned_user_ids.contains(&user.id) {
            return Err(AadError::not_assigned(&user.id, app).as_grant_error());
        }
    }
    match evaluate(tenant, user, app) {
        Requirement::Block => Err(AadError::blocked_by_conditional_access().as_grant_error()),
        Requirement::Mfa if !mfa => Err(AadError::mfa_required()),
        Requirement::Mfa | Requirement::None => Ok(()),
    }
}

/// Whom a code or refresh token was issued to.
struct Holder<'r> {
    tenant_id: &'r str,
    user_id: &'r str,
    client_id: &'r str,
    /// Whether the sign-in behind the grant passed MFA.
    mfa: bool,
}

impl Holder<'_> {
    /// The grant's user, if the grant is this client's, this authority admits the user's tenant
    /// and the tenant still allows it ([`still_allowed`]); `gone` is the error when the user no
    /// longer exists.
    fn resolve<'a>(
        &self,
        sb: &'a Sandbox,
        authority: Authority<'_>,
        app: &Application,
        gone: fn() -> AadError,
    ) -> Result<(&'a Tenant, &'a User), AadError> {
        if !self.client_id.eq_ignore_ascii_case(&app.app_id) {
            return Err(AadError::grant_other_client());
        }
        let (tenant, user) = sb
            .seed
            .user(self.tenant_id, self.user_id)
            .ok_or_else(gone)?;
        if !authority.admits(tenant) {
            return Err(AadError::code_other_tenant());
        }
        still_allowed(sb, tenant, user, app, self.mfa)?;
        Ok((tenant, user))
    }
}

fn refresh_token(
    sb: &Sandbox,
    authority: Authority<'_>,
    app: &Application,
    params: &Params,
) -> Result<Value, AadError> {
    let token = required(params, "refresh_token")?;
    let (record, revoked) = sb
        .store
        .refresh(&sha256_hex(token))
        .ok_or_else(AadError::bad_refresh_token)?;
    if revoked {
        return Err(AadError::refresh_revoked());
    }
    let holder = holder_of!(record);
    let (tenant, user) = holder.resolve(sb, authority, app, AadError::bad_refresh_token)?;
    if (sb.clock.now() - record.issued_at).num_days() >= REFRESH_LIFETIME_DAYS {
        return Err(AadError::refresh_expired());
    }
    // The RT is valid for everything already consented; asking beyond that needs consent (docs/entra-reference.md §1.8, §5).
    let asked = match params.non_empty("scope") {
        Some(scope) => ScopeSet::parse(scope, app).map_err(|bad| AadError::invalid_scope(&bad))?,
        None => ScopeSet(record.requested.clone()),
    };
    let consented = sb.store.consented(&tenant.id, &app.app_id, &user.id);
    if !asked.is_subset(&consented) {
        return Err(AadError::delegation_missing(&app.app_id));
    }
    let mut requested = record.requested.clone();
    requested.extend(asked.0);
    Ok(respond(
        sb,
        &Subject {
            tenant,
            user,
            app,
            requested: &requested,
            nonce: None,
            mfa: record.mfa,
            client_info: asks_client_info(params),
        },
    ))
}
