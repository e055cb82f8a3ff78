//! "Grant for my organization": Microsoft's sign-in as the admin and its admin-consent page
//! ([`admin_grant_url`]: why not the `/adminconsent` link IT gets) in the system browser, and what
//! its redirect means.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::blocked::admin_consent::{admin_grant_url, TenantRef};
use crate::diagnosis::{self, Cause, Diagnosis, Facts};
use crate::error::{OAuthErrorFields, UserFacing};
use crate::profile::{Feature, TenantId};
use crate::sign_in::browser::OpenedLink;
use crate::sign_in::loopback::{oauth_error_fields, Answer};

use super::browser_trip::Trip;
use super::error::AdminError;
use super::pending::AdminPending;
use super::roles::RoleRequirement;
use super::AdminContext;

/// How an admin-consent attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum GrantOutcome {
    /// The permissions were granted for the whole organization.
    Granted {
        /// The tenant the redirect names. It can be forged (docs/entra-reference.md §3.1): shown, never trusted; the
        /// checklist reads the organization from the admin's own sign-in.
        tenant: Option<TenantId>,
        /// The permissions the redirect says were granted.
        scopes: Vec<String>,
    },
    /// The admin cancelled or declined.
    Declined {
        /// The redirect's error, diagnosed.
        diagnosis: Box<Diagnosis>,
    },
    /// Microsoft refused; `needs_admin_role` says which role was missing when that is why.
    Failed {
        /// The redirect's error, diagnosed.
        diagnosis: Box<Diagnosis>,
        /// The roles that can grant, when the account had none of them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        needs_admin_role: Option<RoleRequirement>,
    },
}

/// What the admin-consent endpoint redirects with.
pub(crate) enum ConsentAnswer {
    Granted {
        tenant: Option<TenantId>,
        scope: Option<String>,
    },
    Error(OAuthErrorFields),
}

impl Answer for ConsentAnswer {
    fn from_query(params: &HashMap<String, String>) -> Option<ConsentAnswer> {
        // `error` first: the error redirect carries `admin_consent=True` too (docs/entra-reference.md §3.1).
        if params.contains_key("error") {
            return Some(ConsentAnswer::Error(oauth_error_fields(params)));
        }
        // A code from `prompt=admin_consent` means the consent page was accepted too; the code
        // itself is dropped, never redeemed.
        let granted = params
            .get("admin_consent")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || params.contains_key("code");
        granted.then(|| ConsentAnswer::Granted {
            tenant: params.get("tenant").cloned().map(TenantId::from),
            scope: params.get("scope").cloned(),
        })
    }
}

impl ConsentAnswer {
    fn outcome(self, known: Facts) -> GrantOutcome {
        match self {
            ConsentAnswer::Granted { tenant, scope } => GrantOutcome::Granted {
                tenant,
                scopes: scope
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            },
            ConsentAnswer::Error(fields) => {
                let diagnosis = Box::new(diagnosis::diagnose_oauth(&fields, known));
                if diagnosis.cause == Cause::UserDeclined {
                    return GrantOutcome::Declined { diagnosis };
                }
                // A non-admin at the admin-consent endpoint gets "Need admin approval" (docs/entra-reference.md §3.2).
                let needs_admin_role = diagnosis
                    .cause
                    .awaits_admin_consent()
                    .then(RoleRequirement::grant_consent);
                GrantOutcome::Failed {
                    diagnosis,
                    needs_admin_role,
                }
            }
        }
    }
}

/// Opens Microsoft's sign-in (as `login_hint`, when the admin's account is known) and its
/// admin-consent page for `tenant` in the system browser, asking for the scopes of `features`
/// (empty: the profile's defaults); [`AdminPending::wait`] brings the redirect's meaning (`state`
/// checked).
pub async fn begin_grant(
    ctx: &AdminContext,
    tenant: &TenantRef,
    features: &[Feature],
    login_hint: Option<&str>,
) -> Result<AdminPending<GrantOutcome>, AdminError> {
    let features = ctx.profile.features_or_defaults(features);
    let trip: Trip<ConsentAnswer> = Trip::start(ctx).await?;
    let url = admin_grant_url(
        &ctx.profile,
        tenant,
        &features,
        &trip.redirect_uri(),
        trip.state.secret(),
        login_hint,
    )?;
    let link = OpenedLink::open(ctx.browser.as_ref(), url);
    let (ctx, tenant) = (ctx.clone(), tenant.clone());
    Ok(AdminPending::new(link, async move {
        wait_for_grant(&ctx, trip, &tenant).await
    }))
}

/// [`begin_grant`] and its wait in one.
pub async fn grant_org_consent(
    ctx: &AdminContext,
    tenant: &TenantRef,
    features: &[Feature],
) -> Result<GrantOutcome, AdminError> {
    begin_grant(ctx, tenant, features, None).await?.wait().await
}

async fn wait_for_grant(
    ctx: &AdminContext,
    mut trip: Trip<ConsentAnswer>,
    tenant: &TenantRef,
) -> Result<GrantOutcome, AdminError> {
    let answer = match trip.answer(ctx).await {
        Ok(answer) => answer,
        Err(e) => {
            let text = UserFacing::action(&e);
            trip.finish_with("page.admin.not_granted.title", &text)
                .await;
            return Err(e.into());
        }
    };
    let known = Facts {
        tenant: Some(tenant.to_string()),
        ..Facts::default()
    };
    let outcome = answer.outcome(known);
    let language = trip.language();
    let (heading, text) = match &outcome {
        GrantOutcome::Granted { .. } => (
            "page.admin.granted.title",
            language.say(
                "page.admin.granted.text",
                &[("vendor", ctx.profile.app_name.as_str())],
            ),
        ),
        GrantOutcome::Declined { .. } => (
            "page.admin.not_granted.title",
            language.say("page.admin.declined.text", &[]),
        ),
        GrantOutcome::Failed {
            needs_admin_role: Some(needs),
            ..
        } => (
            "page.admin.not_granted.title",
            language.word(&needs.message),
        ),
        GrantOutcome::Failed { diagnosis, .. } => (
            "page.admin.not_granted.title",
            diagnosis.explanation_in(language),
        ),
    };
    trip.finish(heading, &text).await;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(query: &str) -> Option<GrantOutcome> {
        let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        ConsentAnswer::from_query(&params).map(|a| a.outcome(Facts::default()))
    }

    #[test]
    fn success_redirect_is_granted_with_the_reported_tenant_and_scopes() {
        let outcome = answer("admin_consent=True&tenant=t-1&scope=https%3A%2F%2Fgraph.microsoft.com%2FMail.Send+openid&state=s");
        assert_eq!(
            outcome,
            Some(GrantOutcome::Granted {
                tenant: Some("t-1".to_owned().into()),
                scopes: vec![
                    "https://graph.microsoft.com/Mail.Send".into(),
                    "openid".into()
                ],
            })
        );
    }

    #[test]
    fn error_is_read_before_admin_consent_true() {
        let declined = answer("admin_consent=True&error=consent_required&error_description=AADSTS65004%3a+The+resource+owner+or+authorization+server+denied+the+request.&state=s");
        assert!(
            matches!(declined, Some(GrantOutcome::Declined { .. })),
            "{declined:?}"
        );
        let cancelled =
            answer("error=permission_denied&error_description=The+admin+canceled+the+request");
        assert!(
            matches!(cancelled, Some(GrantOutcome::Declined { .. })),
            "{cancelled:?}"
        );
    }

    #[test]
    fn need_admin_approval_names_the_roles_that_can_grant() {
        let outcome = answer("admin_consent=True&error=consent_required&error_description=AADSTS90094%3a+Administrator+consent+is+required.");
        let Some(GrantOutcome::Failed {
            needs_admin_role: Some(needs),
            diagnosis,
        }) = outcome
        else {
            panic!("{outcome:?}");
        };
        assert_eq!(diagnosis.code.as_deref(), Some("AADSTS90094"));
        assert!(needs
            .message
            .english()
            .contains("Privileged Role Administrator"));
    }

    #[test]
    fn a_code_from_the_admin_consent_sign_in_is_a_grant() {
        let outcome = answer("code=c-1&state=s&admin_consent=True");
        assert!(
            matches!(outcome, Some(GrantOutcome::Granted { tenant: None, .. })),
            "{outcome:?}"
        );
    }

    #[test]
    fn stray_requests_are_not_answers() {
        assert_eq!(answer("state=s"), None);
        assert_eq!(answer("admin_consent=False"), None);
    }
}
