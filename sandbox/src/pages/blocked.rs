//! Pages of sign-ins that cannot simply consent (docs/entra-reference.md §4, §5): "Need admin approval", "Approval
//! required", the request confirmation, and the Conditional Access MFA step. Their wording comes
//! from user reports (UNCONFIRMED, docs/entra-reference.md §4); form ids and fields are documented in sandbox/README.md.

use axum::http::StatusCode;
use axum::response::Response;

use super::authorize::{permission_list, FormContext};
use super::{esc, page};
use crate::scopes::Permission;

/// "Have an admin account?" and "Return to the application" buttons (`name="decision"`).
fn admin_or_return(return_label: &str) -> String {
    format!(
        "<p><button type=\"submit\" name=\"decision\" value=\"signin_admin\" id=\"adminSignIn\">Have an admin account? Sign in with that account</button></p>\n\
<p><button type=\"submit\" name=\"decision\" value=\"return\" id=\"returnToApp\">{}</button></p>\n</form>\n",
        esc(return_label)
    )
}

fn account_input(upn: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"account\" value=\"{}\">\n",
        esc(upn)
    )
}

/// "Need admin approval" (AADSTS90094; AADSTS900941 when the app is considered risky): form
/// `id="needadmin"` (step `consent`), buttons `signin_admin` and `return`.
pub fn need_admin_approval(ctx: &FormContext<'_>, upn: &str, risky: bool) -> Response {
    let (text, detail) = if risky {
        (
            "This app might be risky. If you trust this app, ask your admin to grant you access."
                .to_owned(),
            "AADSTS900941: Administrator consent is required. App is considered risky.",
        )
    } else {
        (
            format!("{} needs permission to access resources in your organization that only an admin can grant. \
Please ask an admin to grant permission to this app before you can use it.", esc(ctx.app_name)),
            "AADSTS90094: Administrator consent is required.",
        )
    };
    let body = format!(
        "<p>{upn}</p>\n<h1>Need admin approval</h1>\n<p>{text}</p>\n<p class=\"details\">{detail}</p>\n{open}{account}{buttons}",
        upn = esc(upn),
        open = ctx.open("needadmin", "consent"),
        account = account_input(upn),
        buttons = admin_or_return("Return to the application without granting consent"),
    );
    page(StatusCode::OK, "Need admin approval", &body)
}

/// What "Approval required" shows.
#[derive(Debug)]
pub struct ApprovalView<'a> {
    /// The signed-in user's UPN.
    pub upn: &'a str,
    /// Permissions the request would ask for.
    pub permissions: &'a [&'a Permission],
    /// Whether the app is considered risky (AADSTS900981 instead of 90095).
    pub risky: bool,
}

/// "Approval required" (AADSTS90095, admin consent workflow on): form `id="approval"` (step
/// `consent`) with `justification`, and buttons `request` (`id="idBtn_RequestApproval"`),
/// `signin_admin` and `return`.
pub fn approval_required(ctx: &FormContext<'_>, view: &ApprovalView<'_>) -> Response {
    let (warning, detail) = if view.risky {
        (
            "<p class=\"error\">This app might be risky. Only continue if you trust this app.</p>\n",
            "AADSTS900981: An admin consent request was received for a risky app.",
        )
    } else {
        ("", "AADSTS90095: Admin consent is required for the permissions requested by this application.")
    };
    let body = format!(
        "<p>{upn}</p>\n<h1>Approval required</h1>\n<p><strong>{app}</strong></p>\n{warning}\
<p>This app requires your admin's approval to:</p>\n{perms}<p class=\"details\">{detail}</p>\n{open}{account}\
<label for=\"justification\">Enter justification for requesting this app</label>\n\
<textarea id=\"justification\" name=\"justification\" rows=\"3\" maxlength=\"1000\"></textarea>\n\
<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"request\" id=\"idBtn_RequestApproval\" class=\"primary\">Request approval</button></div>\n{buttons}",
        upn = esc(view.upn),
        app = esc(ctx.app_name),
        perms = permission_list(view.permissions),
        open = ctx.open("approval", "consent"),
        account = account_input(view.upn),
        buttons = admin_or_return("Return to the application without requesting approval"),
    );
    page(StatusCode::OK, "Approval required", &body)
}

/// "Request sent": form `id="requestsent"` (step `consent`) whose `return` button goes back to
/// the app with `error=access_denied` (AADSTS90095).
pub fn request_sent(ctx: &FormContext<'_>, upn: &str) -> Response {
    let body = format!(
        "<p>{upn}</p>\n<h1>Request sent</h1>\n<p id=\"requestSent\">Your request for {app} was sent. Your admin will review it, \
and you will get an email when it is approved. Then sign in to the app again.</p>\n{open}{account}\
<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"return\" id=\"returnToApp\" class=\"primary\">Back to the application</button></div>\n</form>\n",
        upn = esc(upn),
        app = esc(ctx.app_name),
        open = ctx.open("requestsent", "consent"),
        account = account_input(upn),
    );
    page(StatusCode::OK, "Request sent", &body)
}

/// The MFA step Conditional Access demands: "Approve sign-in request", form `id="mfa"` (step
/// `mfa`) with the one-time code field `otc`. The sandbox shows the code on the page
/// (`id="sandboxCode"`) in place of an authenticator app.
pub fn mfa(ctx: &FormContext<'_>, upn: &str, code: &str, error: Option<&str>) -> Response {
    let error_html = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>\n", esc(e)))
        .unwrap_or_default();
    let body = format!(
        "<p>{upn}</p>\n<h1>Approve sign-in request</h1>\n<p>Your organization requires multifactor authentication. \
Open your Authenticator app and enter the code to sign in.</p>\n\
<p>Sandbox authenticator code: <strong id=\"sandboxCode\">{code}</strong></p>\n{open}{account}{error_html}\
<label for=\"idTxtBx_SAOTCC_OTC\">Code</label>\n\
<input type=\"text\" id=\"idTxtBx_SAOTCC_OTC\" name=\"otc\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required>\n\
<div class=\"buttons\"><button type=\"submit\" id=\"idSubmit_SAOTCC_Continue\" class=\"primary\">Verify</button></div>\n</form>\n",
        upn = esc(upn),
        code = esc(code),
        open = ctx.open("mfa", "mfa"),
        account = account_input(upn),
    );
    page(StatusCode::OK, "Approve sign-in request", &body)
}
