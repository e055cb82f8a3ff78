//! What happens once the account is known: the checks of `gate`, then the consent
//! engine's outcome as a code or a page, and the posts of those pages (Accept, Cancel, Request
//! approval, Return, Have an admin account?).

use axum::response::Response;

use super::{
    deliver, gate, issue_code, posted_account, sign_in_page, AuthRequest, Flow, Prompt, Who,
};
use crate::aadsts::AadError;
use crate::consent::{self, consent_scopes, Ask, Outcome};
use crate::context::Sandbox;
use crate::directory::consent_request_policy;
use crate::pages::authorize::{self as page, ConsentView};
use crate::pages::blocked::{self, ApprovalView};
use crate::pages::error;
use crate::params::Params;
use crate::random::guid;
use crate::scopes::{response_scope, Permission, PERMISSIONS};
use crate::seed::ServicePrincipal;
use crate::state::{ConsentType, Grant, UserConsentRequest};

/// Longest justification kept from "Approval required".
const JUSTIFICATION_LIMIT: usize = 1000;

/// Signed in: run the checks, then issue a code if consent covers the request, else show what
/// consent needs (or fail silently).
pub(super) fn proceed(sb: &Sandbox, req: &AuthRequest<'_>, who: Who<'_>, silent: bool) -> Response {
    let sp = match gate::check(sb, req, who, silent) {
        Ok(sp) => sp,
        Err(response) => return *response,
    };
    match decide(sb, req, who, &sp) {
        Outcome::Covered => issue_code(sb, req, who),
        _ if silent => deliver(
            &req.target,
            AadError::consent_required(&req.app.app_id).redirect_params(sb.clock.now()),
        ),
        outcome => outcome_page(req, who, outcome),
    }
}

/// The consent engine's answer for this request and account.
fn decide(sb: &Sandbox, req: &AuthRequest<'_>, who: Who<'_>, sp: &ServicePrincipal) -> Outcome {
    let consented = sb
        .store
        .consented(&who.tenant.id, &req.app.app_id, &who.user.id);
    consent::decide(&Ask {
        tenant: who.tenant,
        user: who.user,
        app: req.app,
        sp,
        requested: &req.scopes,
        consented: &consented,
        force_prompt: req.prompt == Some(Prompt::Consent),
        for_organization: req.flow.for_organization(),
        requests_enabled: consent_request_policy(sb, who.tenant).is_enabled,
    })
}

/// The page for an outcome that needs the user: consent, "Need admin approval" or "Approval required".
fn outcome_page(req: &AuthRequest<'_>, who: Who<'_>, outcome: Outcome) -> Response {
    let wanted = consent_scopes(&req.scopes);
    let permissions: Vec<&Permission> = PERMISSIONS
        .iter()
        .filter(|p| wanted.contains(p.name))
        .collect();
    let upn = &who.user.user_principal_name;
    match outcome {
        Outcome::NeedAdmin { risky } => blocked::need_admin_approval(&req.form(), upn, risky),
        Outcome::RequestApproval { risky } => blocked::approval_required(
            &req.form(),
            &ApprovalView {
                upn,
                permissions: &permissions,
                risky,
            },
        ),
        Outcome::Covered | Outcome::Prompt => page::consent(
            &req.form(),
            &ConsentView {
                upn,
                publisher: &req.app.publisher_name,
                verified: req.app.publisher_verified,
                permissions: &permissions,
                offer_org: who.user.is_global_admin() && req.flow == Flow::Authorize,
                for_organization: req.flow.for_organization(),
            },
        ),
    }
}

/// A consent-related page posted: the consent page (Accept, Cancel), "Need admin approval" and
/// "Approval required" (Request approval, Return, Have an admin account?). The decision is checked
/// against the consent engine again, so a forged post cannot consent where the page did not allow it.
pub(super) fn consent_step(
    sb: &Sandbox,
    req: &AuthRequest<'_>,
    params: &Params,
    session: Option<&str>,
) -> Response {
    let Some(who) = posted_account(sb, req, params, session) else {
        return sign_in_page(req, None);
    };
    let now = sb.clock.now();
    let decision = match params.get("decision") {
        Some("signin_admin") => return sign_in_page(req, None),
        Some("cancel") => {
            let declined = match req.flow {
                Flow::Authorize => AadError::consent_cancelled(),
                Flow::AdminConsent | Flow::AuthorizeAdminConsent => {
                    AadError::admin_consent_declined()
                }
            };
            return deliver(&req.target, declined.redirect_params(now));
        }
        Some(d @ ("accept" | "request" | "return")) => d,
        _ => return error::render(&AadError::malformed("Missing consent decision."), now),
    };
    let sp = match gate::check(sb, req, who, false) {
        Ok(sp) => sp,
        Err(response) => return *response,
    };
    let left = |e: AadError| deliver(&req.target, e.redirect_params(now));
    match (decision, decide(sb, req, who, &sp)) {
        ("accept", Outcome::Covered | Outcome::Prompt) => accept(sb, req, who, params),
        ("request", Outcome::RequestApproval { .. }) => request_approval(sb, req, who, params),
        ("return", Outcome::RequestApproval { risky: false }) => {
            left(AadError::approval_required())
        }
        ("return", Outcome::RequestApproval { risky: true }) => left(AadError::risky_app_request()),
        ("return", Outcome::NeedAdmin { risky: true }) => left(AadError::risky_app()),
        ("return", _) => left(AadError::admin_consent_required()),
        (_, outcome) => outcome_page(req, who, outcome),
    }
}

/// Accept: records the grant (tenant-wide from the admin consent endpoints or with the
/// organization box ticked, which also completes pending requests) and finishes the flow.
fn accept(sb: &Sandbox, req: &AuthRequest<'_>, who: Who<'_>, params: &Params) -> Response {
    let Who { tenant, user, .. } = who;
    let org_wide = req.flow.for_organization()
        || (params.get("consent_org") == Some("on") && user.is_global_admin());
    sb.store.add_grant(Grant {
        tenant_id: tenant.id.clone(),
        client_id: req.app.app_id.clone(),
        consent_type: if org_wide {
            ConsentType::AllPrincipals
        } else {
            ConsentType::Principal
        },
        principal_id: (!org_wide).then(|| user.id.clone()),
        scopes: consent_scopes(&req.scopes),
    });
    if org_wide {
        sb.store
            .complete_consent_requests(&tenant.id, &req.app.app_id, sb.clock.now());
    }
    match req.flow {
        Flow::Authorize | Flow::AuthorizeAdminConsent => issue_code(sb, req, who),
        // Success names the tenant and the granted permissions (docs/entra-reference.md §3.1).
        Flow::AdminConsent => {
            let graph = req.scopes.graph().cloned().collect();
            let scope = response_scope(&graph, &req.scopes);
            deliver(
                &req.target,
                vec![("tenant", tenant.id.clone()), ("scope", scope)],
            )
        }
    }
}

/// Request approval: stores the user's request (once per open request) and confirms it (docs/entra-reference.md §4, §6.6).
fn request_approval(
    sb: &Sandbox,
    req: &AuthRequest<'_>,
    who: Who<'_>,
    params: &Params,
) -> Response {
    let reason: String = params
        .get("justification")
        .unwrap_or("")
        .trim()
        .chars()
        .take(JUSTIFICATION_LIMIT)
        .collect();
    let days = who
        .tenant
        .admin_consent_request_policy
        .request_duration_in_days;
    let now = sb.clock.now();
    sb.store.add_consent_request(
        &who.tenant.id,
        &req.app.app_id,
        &consent_scopes(&req.scopes),
        UserConsentRequest {
            id: guid(),
            user_id: who.user.id.clone(),
            reason,
            created: now,
            expires: now + chrono::Duration::days(i64::from(days)),
            completed: None,
        },
    );
    blocked::request_sent(&req.form(), &who.user.user_principal_name)
}
