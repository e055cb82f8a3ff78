//! `/{tenant}/oauth2/v2.0/authorize` (docs/entra-reference.md §1.2-§1.4) and the admin consent endpoints
//! `/{tenant}/v2.0/adminconsent` and `/{tenant}/adminconsent` (docs/entra-reference.md §3.1, §3.2): validation, session,
//! sign-in, account picker, consent and the redirect back to the app.
//!
//! The pages post back here with the original parameters as hidden inputs plus a `step` field, so
//! every post is validated exactly like the first GET. `gate` holds the checks between sign-in and
//! consent, `decisions` what follows them, `target` delivers the answer to the redirect URI;
//! [`crate::consent`] decides what consent needs.

mod decisions;
mod gate;
mod target;

use decisions::{consent_step, proceed};
use target::{deliver, ResponseMode, Target};

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use url::Url;

use super::Authority;
use crate::aadsts::AadError;
use crate::context::{Sandbox, Shared};
use crate::pages::authorize::{self as page, FormContext, PickerAccount};
use crate::pages::error;
use crate::params::{cookie, read_body, Params, FORM_LIMIT};
use crate::random::{secret, sha256_hex};
use crate::redirect;
use crate::scopes::ScopeSet;
use crate::seed::{Application, Tenant, User};
use crate::state::AuthCode;

/// The sign-in session cookie.
pub const SESSION_COOKIE: &str = "ESTSAUTHPERSISTENT";
/// Fields the pages add; everything else in a post is the original request.
const PAGE_FIELDS: [&str; 8] = [
    "step",
    "login",
    "passwd",
    "account",
    "decision",
    "consent_org",
    "justification",
    "otc",
];

/// `prompt` values (docs/entra-reference.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    None,
    Login,
    Consent,
    SelectAccount,
}

/// Which endpoint a request came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// The authorization code flow.
    Authorize,
    /// Tenant-wide admin consent: no code, `admin_consent=True` on every redirect (docs/entra-reference.md §3.1).
    AdminConsent,
    /// The authorization endpoint with `prompt=admin_consent` (the authorize endpoint's way to
    /// have an administrator consent for the whole organization): the usual sign-in, which takes
    /// `login_hint`, then the admin-consent page; a code, and `admin_consent=True` on every
    /// redirect.
    AuthorizeAdminConsent,
}

impl Flow {
    /// Whether consent here is for the whole organization.
    fn for_organization(self) -> bool {
        self != Flow::Authorize
    }
}

/// A validated authorize request.
#[derive(Debug)]
struct AuthRequest<'a> {
    flow: Flow,
    authority: Authority<'a>,
    action: String,
    app: &'a Application,
    redirect_raw: String,
    target: Target,
    scopes: ScopeSet,
    nonce: Option<String>,
    prompt: Option<Prompt>,
    login_hint: Option<String>,
    pkce: Option<(String, String)>,
    carried: Vec<(String, String)>,
}

/// A signed-in account of this browser session.
#[derive(Debug, Clone, Copy)]
struct Who<'a> {
    tenant: &'a Tenant,
    user: &'a User,
    /// Session id (empty when the browser has none).
    session: &'a str,
}

impl AuthRequest<'_> {
    fn form(&self) -> FormContext<'_> {
        FormContext {
            action: &self.action,
            carried: &self.carried,
            app_name: &self.app.display_name,
        }
    }
}

/// `GET /{tenant}/oauth2/v2.0/authorize`, and the admin consent endpoints
/// `GET /{tenant}/v2.0/adminconsent` and `GET /{tenant}/adminconsent` (docs/entra-reference.md §3.1, §3.2).
pub async fn get(
    State(sb): State<Shared>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(uri.query().unwrap_or_default().as_bytes());
    let session = cookie(&headers, SESSION_COOKIE).map(str::to_owned);
    match parse_request(&sb, &tenant, &params, &uri) {
        Ok(req) => start(&sb, &req, session.as_deref()),
        Err(response) => *response,
    }
}

/// `POST` to the same paths: the pages' form posts (or a form-encoded authorize request).
pub async fn post(
    State(sb): State<Shared>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(bytes) = read_body(body, FORM_LIMIT).await else {
        let mut response = error::render(&AadError::too_large(), sb.clock.now());
        *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return response;
    };
    let params = Params::parse(&bytes);
    let session = cookie(&headers, SESSION_COOKIE).map(str::to_owned);
    let req = match parse_request(&sb, &tenant, &params, &uri) {
        Ok(req) => req,
        Err(response) => return *response,
    };
    match params.get("step") {
        Some("signin") => sign_in_step(&sb, &req, &params, session),
        Some("picker") => picker_step(&sb, &req, &params, session.as_deref()),
        Some("consent") => consent_step(&sb, &req, &params, session.as_deref()),
        Some("mfa") => gate::mfa_step(&sb, &req, &params, session.as_deref()),
        Some(other) => error::render(
            &AadError::malformed(&format!("Unknown step '{other}'.")),
            sb.clock.now(),
        ),
        None => start(&sb, &req, session.as_deref()),
    }
}

/// Validates the request. Errors before the redirect URI is trusted are pages; later ones redirect.
fn parse_request<'a>(
    sb: &'a Sandbox,
    tenant: &str,
    params: &Params,
    uri: &Uri,
) -> Result<AuthRequest<'a>, Box<Response>> {
    let now = sb.clock.now();
    // The pages post back to the path they came from, which also names the flow.
    let action = uri.path();
    let flow = if action.ends_with("/adminconsent") {
        Flow::AdminConsent
    } else if params.get("prompt") == Some("admin_consent") {
        Flow::AuthorizeAdminConsent
    } else {
        Flow::Authorize
    };
    let page_error = |e: AadError| Box::new(error::render(&e, now));
    let authority = Authority::resolve(sb, tenant).map_err(page_error)?;
    let client_id = params
        .non_empty("client_id")
        .ok_or_else(|| page_error(AadError::missing_parameter("client_id")))?;
    let app = sb
        .seed
        .application(client_id)
        .filter(|app| usable_in(app, authority))
        .ok_or_else(|| page_error(AadError::unknown_client(client_id, tenant)))?;
    if app.redirect_uris.is_empty() {
        return Err(page_error(AadError::no_reply_registered()));
    }
    let redirect_raw = params
        .non_empty("redirect_uri")
        .ok_or_else(|| page_error(AadError::no_reply_provided()))?;
    let redirect = Url::parse(redirect_raw)
        .ok()
        .filter(|url| {
            app.redirect_uris
                .iter()
                .any(|r| redirect::matches(&r.uri, url))
        })
        .ok_or_else(|| page_error(AadError::reply_mismatch(redirect_raw, client_id)))?;
    let (mode, mode_error) = match params.get("response_mode") {
        None | Some("query") => (ResponseMode::Query, None),
        Some("fragment") => (ResponseMode::Fragment, None),
        Some("form_post") => (ResponseMode::FormPost, None),
        Some(other) => (
            ResponseMode::Query,
            Some(AadError::invalid_value("response_mode", other)),
        ),
    };
    let target = Target {
        redirect,
        mode,
        state: params.get("state").map(str::to_owned),
        admin_consent: flow.for_organization(),
    };
    let checked = match (mode_error, flow) {
        (Some(e), _) => Err(e),
        (None, Flow::Authorize | Flow::AuthorizeAdminConsent) => check_parameters(app, params),
        (None, Flow::AdminConsent) => check_admin_consent(app, params),
    };
    match checked {
        Ok((scopes, pkce, prompt)) => Ok(AuthRequest {
            flow,
            authority,
            action: action.to_owned(),
            app,
            redirect_raw: redirect_raw.to_owned(),
            target,
            scopes,
            nonce: params.get("nonce").map(str::to_owned),
            prompt,
            login_hint: params.non_empty("login_hint").map(str::to_owned),
            pkce,
            carried: params.without(&PAGE_FIELDS),
        }),
        Err(e) => Err(Box::new(deliver(&target, e.redirect_params(now)))),
    }
}

type Checked = (ScopeSet, Option<(String, String)>, Option<Prompt>);

/// Admin consent takes only a scope, and the v1-style URL not even that: it means the app's
/// configured permissions (`/.default`, docs/entra-reference.md §3.2). The consent page always shows.
fn check_admin_consent(app: &Application, params: &Params) -> Result<Checked, AadError> {
    let scope = params.non_empty("scope").unwrap_or(".default");
    let scopes = ScopeSet::parse(scope, app).map_err(|bad| AadError::invalid_scope(&bad))?;
    Ok((scopes, None, Some(Prompt::Consent)))
}

/// The checks whose failures redirect to the app (docs/entra-reference.md §1.4).
fn check_parameters(app: &Application, params: &Params) -> Result<Checked, AadError> {
    let response_type = params
        .non_empty("response_type")
        .ok_or_else(|| AadError::missing_parameter("response_type"))?;
    // Hybrid flows need the implicit-grant setting, which the sandbox's apps never have (AADSTS700054).
    if !response_type.split_whitespace().all(|t| t == "code") {
        return Err(AadError::unsupported_response_type(response_type));
    }
    let scope = params
        .non_empty("scope")
        .ok_or_else(|| AadError::missing_parameter("scope"))?;
    let scopes = ScopeSet::parse(scope, app).map_err(|bad| AadError::invalid_scope(&bad))?;
    let pkce = match params.get("code_challenge") {
        None => None,
        Some(challenge) => {
            let well_formed = (43..=128).contains(&challenge.len())
                && challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
            if !well_formed {
                return Err(AadError::bad_code_challenge());
            }
            // "If excluded, code_challenge is assumed to be plaintext" (docs/entra-reference.md §1.2).
            let method = params.get("code_challenge_method").unwrap_or("plain");
            if method != "S256" && method != "plain" {
                return Err(AadError::bad_challenge_method(method));
            }
            Some((challenge.to_owned(), method.to_owned()))
        }
    };
    let prompt = match params.get("prompt") {
        None => None,
        Some("none") => Some(Prompt::None),
        Some("login") => Some(Prompt::Login),
        Some("consent") => Some(Prompt::Consent),
        Some("select_account") => Some(Prompt::SelectAccount),
        // The admin-consent page always shows, as at the admin-consent endpoint.
        Some("admin_consent") => Some(Prompt::Consent),
        Some(other) => return Err(AadError::invalid_value("prompt", other)),
    };
    Ok((scopes, pkce, prompt))
}

/// Single-tenant apps only exist in their home tenant (AADSTS700016 elsewhere).
fn usable_in(app: &Application, authority: Authority<'_>) -> bool {
    match authority {
        Authority::Tenant(t) => app.is_multi_tenant() || t.id == app.home_tenant_id,
        Authority::Common | Authority::AnyOrganization => true,
        Authority::Consumers => false,
    }
}

/// Accounts of the session this request's authority admits, most recent last.
fn session_accounts<'a>(
    sb: &'a Sandbox,
    req: &AuthRequest<'a>,
    session: Option<&str>,
) -> Vec<(&'a Tenant, &'a User)> {
    session
        .map(|id| sb.store.session(id))
        .unwrap_or_default()
        .iter()
        .filter_map(|(t, u)| req.authority.account(sb, t, u))
        .collect()
}

/// First leg: decide between silent success, sign-in, picker and consent (docs/entra-reference.md §1.2 `prompt`).
fn start(sb: &Sandbox, req: &AuthRequest<'_>, session: Option<&str>) -> Response {
    let accounts = session_accounts(sb, req, session);
    let hinted = req.login_hint.as_deref().and_then(|hint| {
        accounts
            .iter()
            .find(|(_, u)| u.user_principal_name.eq_ignore_ascii_case(hint))
            .copied()
    });
    // Without a hint the sole signed-in account is used; several mean the picker (docs/entra-reference.md §1.2).
    let chosen = hinted
        .or(match (req.login_hint.as_deref(), accounts.as_slice()) {
            (None, [only]) => Some(*only),
            _ => None,
        })
        .map(|(tenant, user)| Who {
            tenant,
            user,
            session: session.unwrap_or_default(),
        });
    match (req.prompt, chosen) {
        (Some(Prompt::None), Some(who)) => proceed(sb, req, who, true),
        (Some(Prompt::None), None) => {
            // No session: login_required (50058). Several accounts and no hint to pick one:
            // Entra would show its picker, so interaction_required (16000; docs/entra-reference.md §1.2, §1.4, §5).
            let e = if accounts.len() > 1 && req.login_hint.is_none() {
                AadError::several_accounts()
            } else {
                AadError::login_required()
            };
            deliver(&req.target, e.redirect_params(sb.clock.now()))
        }
        (Some(Prompt::Login), _) => sign_in_page(req, None),
        (Some(Prompt::SelectAccount), _) if !accounts.is_empty() => picker_page(req, &accounts),
        (Some(Prompt::Consent) | None, Some(who)) => proceed(sb, req, who, false),
        _ if accounts.len() > 1 && req.login_hint.is_none() => picker_page(req, &accounts),
        _ => sign_in_page(req, None),
    }
}

fn sign_in_page(req: &AuthRequest<'_>, error: Option<(&str, &AadError)>) -> Response {
    let login = error
        .map(|(login, _)| login)
        .or(req.login_hint.as_deref())
        .unwrap_or("");
    let message = error.map(|(_, e)| format!("AADSTS{}: {}", e.code, e.message));
    page::sign_in(&req.form(), login, message.as_deref())
}

fn picker_page(req: &AuthRequest<'_>, accounts: &[(&Tenant, &User)]) -> Response {
    let listed: Vec<PickerAccount<'_>> = accounts
        .iter()
        .rev()
        .map(|(_, u)| PickerAccount {
            name: &u.display_name,
            upn: &u.user_principal_name,
        })
        .collect();
    page::picker(&req.form(), &listed)
}

/// Sign-in form posted.
fn sign_in_step(
    sb: &Sandbox,
    req: &AuthRequest<'_>,
    params: &Params,
    session: Option<String>,
) -> Response {
    let login = params.get("login").unwrap_or("").trim();
    let password = params.get("passwd").unwrap_or("");
    let directory = match req.authority {
        Authority::Tenant(t) => t.display_name.as_str(),
        Authority::Common | Authority::AnyOrganization | Authority::Consumers => "Microsoft",
    };
    let unknown = || {
        sign_in_page(
            req,
            Some((login, &AadError::unknown_account(login, directory))),
        )
    };
    let Some((tenant, user)) = sb.seed.user_by_upn(login) else {
        return unknown();
    };
    if user.password != password {
        return sign_in_page(req, Some((login, &AadError::bad_credentials())));
    }
    if !user.account_enabled {
        return sign_in_page(req, Some((login, &AadError::user_disabled())));
    }
    if !req.authority.admits(tenant) {
        // Home tenant authenticated the user, but the tenant named in the URL does not know them.
        return match req.authority {
            Authority::Tenant(other) => error::render(
                &gate::foreign_user(req, tenant, user, &other.display_name),
                sb.clock.now(),
            ),
            _ => unknown(),
        };
    }
    let session_id = session.unwrap_or_else(|| secret(32));
    sb.store.sign_in(&session_id, &tenant.id, &user.id);
    let who = Who {
        tenant,
        user,
        session: &session_id,
    };
    let mut response = proceed(sb, req, who, false);
    let cookie = format!("{SESSION_COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The session account a post names, if it is really signed in.
fn posted_account<'a>(
    sb: &'a Sandbox,
    req: &AuthRequest<'a>,
    params: &Params,
    session: Option<&'a str>,
) -> Option<Who<'a>> {
    let upn = params.non_empty("account")?;
    session_accounts(sb, req, session)
        .into_iter()
        .find(|(_, u)| u.user_principal_name.eq_ignore_ascii_case(upn))
        .map(|(tenant, user)| Who {
            tenant,
            user,
            session: session.unwrap_or_default(),
        })
}

/// Account picker posted.
fn picker_step(
    sb: &Sandbox,
    req: &AuthRequest<'_>,
    params: &Params,
    session: Option<&str>,
) -> Response {
    match posted_account(sb, req, params, session) {
        Some(who) => proceed(sb, req, who, false),
        None => sign_in_page(req, None),
    }
}

/// Stores a new code (by hash) and sends it to the app (docs/entra-reference.md §1.3).
fn issue_code(sb: &Sandbox, req: &AuthRequest<'_>, who: Who<'_>) -> Response {
    let Who {
        tenant,
        user,
        session,
    } = who;
    let code = secret(64);
    sb.store.put_code(
        sha256_hex(&code),
        AuthCode {
            tenant_id: tenant.id.clone(),
            user_id: user.id.clone(),
            client_id: req.app.app_id.clone(),
            redirect_uri: req.redirect_raw.clone(),
            requested: req.scopes.0.clone(),
            pkce: req.pkce.clone(),
            nonce: req.nonce.clone(),
            issued_at: sb.clock.now(),
            redeemed: false,
            mfa: sb.store.mfa_done(session, &user.id),
        },
    );
    sb.ledger.record([code.as_str()]);
    deliver(&req.target, vec![("code", code)])
}
