//! The interactive authorize pages: sign-in, account picker, consent, and the form_post carrier
//! ([`super::blocked`] has the pages of blocked sign-ins).
//! Form ids and field names are a contract documented in sandbox/README.md.

use axum::http::StatusCode;
use axum::response::Response;

use super::{esc, hidden_inputs, page};
use crate::scopes::Permission;

/// What every authorize form needs: where it posts and the state it carries.
#[derive(Debug)]
pub struct FormContext<'a> {
    /// The form action (the authorize URL path).
    pub action: &'a str,
    /// The original authorize parameters, carried as hidden inputs.
    pub carried: &'a [(String, String)],
    /// The app's display name.
    pub app_name: &'a str,
}

impl FormContext<'_> {
    /// Opens `<form id="{id}">` posting back with the carried state and `step`.
    pub fn open(&self, id: &str, step: &str) -> String {
        format!(
            "<form id=\"{id}\" method=\"post\" action=\"{action}\">\n{hidden}<input type=\"hidden\" name=\"step\" value=\"{step}\">\n",
            action = esc(self.action),
            hidden = hidden_inputs(self.carried),
        )
    }
}

/// The sign-in form (`id="signin"`, fields `login` and `passwd`, submit `idSIButton9`).
pub fn sign_in(ctx: &FormContext<'_>, login: &str, error: Option<&str>) -> Response {
    let error_html = error
        .map(|e| {
            format!(
                "<p class=\"error\" id=\"passwordError\" role=\"alert\">{}</p>\n",
                esc(e)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<h1 id=\"loginHeader\">Sign in</h1>\n<p>to continue to {app}</p>\n{open}{error_html}\
<label for=\"i0116\">Email, phone, or Skype</label>\n\
<input type=\"email\" id=\"i0116\" name=\"login\" value=\"{login}\" autocomplete=\"username\" required>\n\
<label for=\"i0118\">Password</label>\n\
<input type=\"password\" id=\"i0118\" name=\"passwd\" autocomplete=\"current-password\" required>\n\
<div class=\"buttons\"><button type=\"submit\" id=\"idSIButton9\" class=\"primary\">Sign in</button></div>\n</form>\n",
        app = esc(ctx.app_name),
        open = ctx.open("signin", "signin"),
        login = esc(login),
    );
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    page(status, "Sign in to your account", &body)
}

/// One account on the picker.
#[derive(Debug)]
pub struct PickerAccount<'a> {
    /// Display name.
    pub name: &'a str,
    /// User principal name (the button value).
    pub upn: &'a str,
}

/// The account picker (`id="picker"`, buttons `name="account"`).
pub fn picker(ctx: &FormContext<'_>, accounts: &[PickerAccount<'_>]) -> Response {
    let buttons: String = accounts
        .iter()
        .map(|a| {
            format!(
                "<button type=\"submit\" class=\"account\" name=\"account\" value=\"{upn}\"><strong>{name}</strong><br>{upn}</button>\n",
                upn = esc(a.upn),
                name = esc(a.name)
            )
        })
        .collect();
    let body = format!(
        "<h1>Pick an account</h1>\n<p>to continue to {app}</p>\n{open}{buttons}\
<button type=\"submit\" class=\"account\" name=\"account\" value=\"\" id=\"otherTile\">Use another account</button>\n</form>\n",
        app = esc(ctx.app_name),
        open = ctx.open("picker", "picker"),
    );
    page(StatusCode::OK, "Sign in to your account", &body)
}

/// What the consent page shows.
#[derive(Debug)]
pub struct ConsentView<'a> {
    /// The signed-in user's UPN.
    pub upn: &'a str,
    /// Publisher display name.
    pub publisher: &'a str,
    /// Whether the publisher is verified.
    pub verified: bool,
    /// Permissions requested.
    pub permissions: &'a [&'a Permission],
    /// Whether to offer "Consent on behalf of your organization" (Global Administrators).
    pub offer_org: bool,
    /// Whether accepting grants for the whole organization (the admin consent endpoints).
    pub for_organization: bool,
}

/// The permission list of the consent and approval pages.
pub fn permission_list(permissions: &[&Permission]) -> String {
    let items: String = permissions
        .iter()
        .map(|p| {
            format!(
                "<li>{}<small>{}</small></li>\n",
                esc(p.title),
                esc(p.description)
            )
        })
        .collect();
    format!("<ul class=\"perms\">\n{items}</ul>\n")
}

/// The consent page "Permissions requested" (`id="consent"`).
pub fn consent(ctx: &FormContext<'_>, view: &ConsentView<'_>) -> Response {
    let perms = permission_list(view.permissions);
    let verified = if view.verified {
        " <span class=\"verified\" title=\"Verified publisher\">&#10004; verified</span>"
    } else {
        " (unverified)"
    };
    let org = if view.offer_org {
        "<p><input type=\"checkbox\" name=\"consent_org\" id=\"consent-org\" value=\"on\"> \
<label for=\"consent-org\" style=\"display:inline\">Consent on behalf of your organization</label></p>\n"
    } else {
        ""
    };
    let heading = if view.for_organization {
        "Permissions requested<br><small>Accept for your organization</small>"
    } else {
        "Permissions requested"
    };
    let body = format!(
        "<p>{upn}</p>\n<h1>{heading}</h1>\n<p><strong>{app}</strong><br>{publisher}{verified}</p>\n\
<p>This app would like to:</p>\n{perms}{open}\
<input type=\"hidden\" name=\"account\" value=\"{upn}\">\n{org}\
<p><small>Accepting these permissions means that you allow this app to use your data as specified in their terms of service and privacy statement. You can change these permissions at https://myapps.microsoft.com.</small></p>\n\
<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"cancel\" id=\"idBtn_Back\">Cancel</button>\
<button type=\"submit\" name=\"decision\" value=\"accept\" id=\"idBtn_Accept\" class=\"primary\">Accept</button></div>\n</form>\n",
        upn = esc(view.upn),
        app = esc(ctx.app_name),
        publisher = esc(view.publisher),
        open = ctx.open("consent", "consent"),
    );
    page(StatusCode::OK, "Permissions requested", &body)
}

/// `response_mode=form_post`: a form that posts the result to the redirect URI. A one-line script
/// submits it; without JavaScript the button does.
pub fn form_post(redirect_uri: &str, fields: &[(String, String)]) -> Response {
    let body = format!(
        "<h1>Working...</h1>\n<form id=\"form_post\" method=\"post\" action=\"{action}\">\n{hidden}\
<noscript><p>Script is disabled. Click Continue.</p></noscript>\n<button type=\"submit\" class=\"primary\">Continue</button>\n</form>\n\
<script>document.getElementById('form_post').submit();</script>\n",
        action = esc(redirect_uri),
        hidden = hidden_inputs(fields),
    );
    page(StatusCode::OK, "Working...", &body)
}
