//! Routes of the admin-side directory APIs (docs/entra-reference.md §6): policies, service principals, grants,
//! consent requests, Conditional Access, and names from object ids. Each checks a scope, and
//! all but the names a directory role.

use super::auth::Caller;
use super::error::GraphError;
use super::{
    consent_requests, directory_objects, grants, policies, service_principals, Call, Reply,
};
use crate::context::Sandbox;

/// Handles `segments` (lower-cased path) if they name a directory API.
pub fn dispatch(
    sb: &Sandbox,
    caller: &Caller<'_>,
    call: &Call<'_>,
    segments: &[&str],
) -> Option<Result<Reply, GraphError>> {
    Some(match segments {
        ["policies", "authorizationpolicy"]
        | ["policies", "authorizationpolicy", "authorizationpolicy"] => {
            policies::authorization_policy(sb, caller, call)
        }
        ["policies", "adminconsentrequestpolicy"] => {
            policies::admin_consent_request_policy(sb, caller, call)
        }
        ["policies", "permissiongrantpolicies"] => {
            policies::permission_grant_policies(sb, caller, call)
        }
        ["identity", "conditionalaccess", "policies"] => {
            policies::conditional_access(sb, caller, call)
        }
        ["oauth2permissiongrants"] => grants::handle(sb, caller, call),
        ["directoryobjects", "getbyids"] => directory_objects::get_by_ids(sb, caller, call),
        ["identitygovernance", "appconsent", "appconsentrequests", rest @ ..] => {
            consent_requests::handle(sb, caller, call, rest)
        }
        ["serviceprincipals"] => match *call.method {
            axum::http::Method::GET => service_principals::list(sb, caller, call),
            _ => Err(GraphError::method_not_allowed()),
        },
        // `servicePrincipals(appId='...')` arrives as one segment; `/servicePrincipals/{id}` as two.
        [first, rest @ ..] if first.starts_with("serviceprincipals(") => {
            let key = &first["serviceprincipals".len()..];
            service_principals::item(sb, caller, call, key, rest.first().copied())
        }
        ["serviceprincipals", id, rest @ ..] => {
            service_principals::item(sb, caller, call, id, rest.first().copied())
        }
        _ => return None,
    })
}
