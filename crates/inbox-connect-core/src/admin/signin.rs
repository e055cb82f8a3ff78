//! The admin's own sign-in (auth code + PKCE through the crate's sign-in machinery), with one of
//! the admin scope sets and nothing else. The tokens live only in memory, for the calls that follow.

use std::fmt;

use serde::Serialize;

use crate::diagnosis::{self, Facts};
use crate::error::{ConnectError, UserFacing};
use crate::profile::{ClientId, Profile, TenantId, TenantRef};
use crate::sign_in::auth::{self, Hints};
use crate::sign_in::browser::OpenedLink;
use crate::sign_in::loopback::Callback;
use crate::words::Words;

use super::browser_trip::Trip;
use super::error::AdminError;
use super::pending::AdminPending;
use super::roles::RoleRequirement;
use super::scopes::AdminScopes;
use super::token::AdminToken;
use super::AdminContext;

/// A signed-in admin: who, in which organization (from the id token, never from a redirect), and
/// the access token for Graph (an `AdminToken`: never serialized, never printed).
#[derive(Clone, Serialize)]
pub struct AdminSession {
    /// The admin's user name, as the id token gives it.
    pub account: Option<String>,
    /// The admin's user object id (the id token's `oid`): the default reviewer of approval requests.
    pub object_id: String,
    /// The organization's tenant id (the id token's `tid`).
    pub tenant_id: TenantId,
    /// What this session was signed in for.
    pub scopes: AdminScopes,
    #[serde(skip)]
    pub(crate) access: AdminToken,
}

impl fmt::Debug for AdminSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminSession")
            .field("account", &self.account)
            .field("object_id", &self.object_id)
            .field("tenant_id", &self.tenant_id)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// The app the admin signs in as: the profile's admin app when it names one. Microsoft offers
/// every admin "Consent on behalf of your organization" on the consent page (docs/entra-reference.md §3.3); ticked
/// for the recruiters' app, it would grant the admin scopes (`Policy.Read.All`, ... and for the
/// changes `Application.ReadWrite.All`) to that app for every user of the tenant.
fn signing_in_as(profile: &Profile) -> &ClientId {
    profile
        .admin_client_id
        .as_ref()
        .unwrap_or(&profile.client_id)
}

/// What the admin screen says before the check's sign-in about Microsoft's "Consent on behalf of
/// your organization" box, which the app cannot hide: harmless with the profile's admin app, to
/// be left unticked without one.
pub fn consent_box_note(profile: &Profile) -> Words {
    let app = profile.app_name.as_str();
    match &profile.admin_client_id {
        Some(id) => Words::new("admin.consent_note.admin_app")
            .with("app", app)
            .with("id", id.as_str()),
        None => Words::new("admin.consent_note.same_app").with("app", app),
    }
}

/// Opens the admin's sign-in with `scopes` in the system browser. `login_hint` pre-fills the
/// account; `tenant` skips Microsoft's organization lookup.
pub async fn begin_sign_in(
    ctx: &AdminContext,
    scopes: AdminScopes,
    login_hint: Option<&str>,
    tenant: Option<&TenantRef>,
) -> Result<AdminPending<AdminSession>, AdminError> {
    let authority = &ctx
        .profile
        .endpoints()
        .map_err(ConnectError::from)?
        .authority;
    let discovery = auth::discover(&ctx.http, authority).await?;
    let trip: Trip<Callback> = Trip::start(ctx).await?;
    let wire: Vec<String> = scopes
        .scopes()
        .iter()
        .map(|s| ctx.profile.wire_scope(&s.scope))
        .collect();
    let request = auth::authorize_request(
        &discovery,
        signing_in_as(&ctx.profile),
        trip.redirect_uri(),
        trip.state.clone(),
        &wire,
        Hints {
            login_hint,
            domain_hint: tenant.map(TenantRef::as_str),
            silent: false,
        },
    )?;
    let link = OpenedLink::open(ctx.browser.as_ref(), request.url.clone());
    let ctx = ctx.clone();
    let known = Facts {
        account: login_hint.map(str::to_owned),
        tenant: tenant.map(TenantRef::to_string),
        ..Facts::default()
    };
    Ok(AdminPending::new(link, async move {
        wait_for_sign_in(&ctx, trip, discovery, request, scopes, known).await
    }))
}

/// [`begin_sign_in`] and its wait in one.
pub async fn sign_in(
    ctx: &AdminContext,
    scopes: AdminScopes,
    login_hint: Option<&str>,
    tenant: Option<&TenantRef>,
) -> Result<AdminSession, AdminError> {
    begin_sign_in(ctx, scopes, login_hint, tenant)
        .await?
        .wait()
        .await
}

async fn wait_for_sign_in(
    ctx: &AdminContext,
    mut trip: Trip<Callback>,
    discovery: auth::Discovery,
    request: auth::AuthorizeRequest,
    scopes: AdminScopes,
    known: Facts,
) -> Result<AdminSession, AdminError> {
    let outcome = match trip.answer(ctx).await {
        Ok(Callback::Code { code, iss }) => {
            // RFC 9207: when the redirect names its issuer, it must be the one we talked to.
            match iss.filter(|iss| !discovery.issuer_matches(iss, None)) {
                Some(got) => Err(ConnectError::IssuerMismatch {
                    expected: discovery.issuer.clone(),
                    got,
                }
                .into()),
                None => redeem(ctx, &discovery, request, code, scopes).await,
            }
        }
        Ok(Callback::Error(fields)) => {
            let diagnosis = diagnosis::diagnose_oauth(&fields, known);
            // The admin scopes need admin consent (docs/entra-reference.md §10): an account Entra sends to "Need admin
            // approval" on this path holds none of the roles that could consent.
            let needs = diagnosis
                .cause
                .awaits_admin_consent()
                .then(RoleRequirement::grant_consent);
            Err(AdminError::Refused {
                diagnosis: Box::new(diagnosis),
                needs,
            })
        }
        Err(e) => Err(e.into()),
    };
    match &outcome {
        Ok(session) => {
            let text = match session.account.as_deref() {
                Some(account) => Words::new("page.admin.signed_in.text").with("account", account),
                None => Words::new("page.admin.signed_in.text_unnamed"),
            };
            let text = text.with("vendor", ctx.profile.app_name.as_str());
            trip.finish_with("page.admin.signed_in.title", &text).await;
        }
        Err(e) => {
            let text = UserFacing::action(e);
            trip.finish_with("page.admin.sign_in_failed.title", &text)
                .await;
        }
    }
    outcome
}

async fn redeem(
    ctx: &AdminContext,
    discovery: &auth::Discovery,
    request: auth::AuthorizeRequest,
    code: oauth2::AuthorizationCode,
    scopes: AdminScopes,
) -> Result<AdminSession, AdminError> {
    let auth::AuthorizeRequest {
        nonce,
        verifier,
        redirect_uri,
        ..
    } = request;
    let client_id = signing_in_as(&ctx.profile);
    let tokens = auth::redeem_code(
        &ctx.http,
        discovery,
        client_id,
        &redirect_uri,
        code,
        verifier,
    )
    .await?;
    let claims = auth::sign_in_claims(&tokens, discovery, client_id, &nonce)?;
    let tenant_id = claims
        .organization()
        .map(|o| o.tenant_id)
        .ok_or_else(|| ConnectError::IdToken("it names no organization (tid)".into()))?;
    let account = claims.account();
    Ok(AdminSession {
        account: account.username,
        object_id: account.object_id,
        tenant_id,
        scopes,
        access: AdminToken::new(tokens.access),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the window receives of a session: who and where, never the token.
    #[test]
    fn a_session_serializes_without_its_token() {
        let session = AdminSession {
            account: Some("alex.admin@contoso.example".into()),
            object_id: "oid-1".into(),
            tenant_id: "tid-1".to_owned().into(),
            scopes: AdminScopes::Verify,
            access: AdminToken::new(oauth2::AccessToken::new("eyJ.secret.token".into())),
        };
        let json = serde_json::to_value(&session).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({
                "account": "alex.admin@contoso.example",
                "object_id": "oid-1",
                "tenant_id": "tid-1",
                "scopes": "verify"
            })
        );
        assert!(!format!("{session:?}").contains("secret"));
    }
}
