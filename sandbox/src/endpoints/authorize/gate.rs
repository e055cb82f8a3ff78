//! Checks between sign-in and consent (docs/entra-reference.md §4, §5): a personal account at an app for work or
//! school accounts (AADSTS50020), the app's service principal (created on first use; disabled →
//! AADSTS700016), assignment (AADSTS50105) and Conditional Access (AADSTS53003, MFA / 50076).

use axum::response::Response;
use rand::Rng;

use super::{deliver, posted_account, proceed, sign_in_page, AuthRequest, Flow, Who};
use crate::aadsts::AadError;
use crate::conditional_access::{evaluate, Requirement};
use crate::context::Sandbox;
use crate::directory::ensure_service_principal;
use crate::pages::{blocked, error};
use crate::params::Params;
use crate::seed::{ServicePrincipal, Tenant, User};

/// The tenant name Entra shows for personal accounts in AADSTS50020 (docs/entra-reference.md §5).
const PERSONAL_TENANT_NAME: &str = "Microsoft Services";

/// AADSTS50020 for `user` of `home` trying to use the app in the tenant named `other`.
pub(super) fn foreign_user(
    req: &AuthRequest<'_>,
    home: &Tenant,
    user: &User,
    other: &str,
) -> AadError {
    let idp = if home.is_personal() {
        "live.com".to_owned()
    } else {
        format!("https://sts.windows.net/{}/", home.id)
    };
    AadError::user_from_other_tenant(&user.user_principal_name, &idp, other, req.app)
}

/// Runs the checks; on success returns the app's service principal in the user's tenant, else
/// the page or redirect that ends the sign-in (a redirect when `silent`).
pub(super) fn check(
    sb: &Sandbox,
    req: &AuthRequest<'_>,
    who: Who<'_>,
    silent: bool,
) -> Result<ServicePrincipal, Box<Response>> {
    let now = sb.clock.now();
    let Who { tenant, user, .. } = who;
    let fail = |e: AadError| Box::new(deliver(&req.target, e.redirect_params(now)));
    if tenant.is_personal() && !req.app.accepts_personal_accounts() {
        let e = foreign_user(req, tenant, user, PERSONAL_TENANT_NAME);
        return Err(Box::new(error::render(&e, now)));
    }
    let sp = ensure_service_principal(sb, tenant, req.app);
    if !sp.account_enabled {
        return Err(fail(AadError::unknown_client(
            &req.app.app_id,
            &tenant.display_name,
        )));
    }
    // Admins granting for the organization are not signing in to use the app.
    let unassigned = sp.app_role_assignment_required && !sp.assigned_user_ids.contains(&user.id);
    if req.flow == Flow::Authorize && unassigned {
        return Err(fail(AadError::not_assigned(&user.id, req.app)));
    }
    match evaluate(tenant, user, req.app) {
        Requirement::Block if silent => Err(fail(AadError::blocked_by_conditional_access())),
        // Entra shows a Conditional Access block as a page; the app hears nothing (docs/entra-reference.md §5).
        Requirement::Block => Err(Box::new(error::render(
            &AadError::blocked_by_conditional_access(),
            now,
        ))),
        Requirement::Mfa if !sb.store.mfa_done(who.session, &user.id) => Err(if silent {
            fail(AadError::mfa_required())
        } else {
            Box::new(mfa_page(sb, req, who, None))
        }),
        Requirement::Mfa | Requirement::None => Ok(sp),
    }
}

/// Shows the MFA step with a fresh one-time code.
fn mfa_page(sb: &Sandbox, req: &AuthRequest<'_>, who: Who<'_>, error: Option<&str>) -> Response {
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    sb.store
        .set_mfa_code(who.session, &who.user.id, code.clone());
    blocked::mfa(&req.form(), &who.user.user_principal_name, &code, error)
}

/// The MFA page posted: the right code marks the session's account as MFA-verified and continues.
pub(super) fn mfa_step(
    sb: &Sandbox,
    req: &AuthRequest<'_>,
    params: &Params,
    session: Option<&str>,
) -> Response {
    let Some(who) = posted_account(sb, req, params, session).filter(|w| !w.session.is_empty())
    else {
        return sign_in_page(req, None);
    };
    if sb
        .store
        .verify_mfa(who.session, &who.user.id, params.get("otc").unwrap_or(""))
    {
        proceed(sb, req, who, false)
    } else {
        mfa_page(
            sb,
            req,
            who,
            Some("That code didn't work. Check the code and try again."),
        )
    }
}
