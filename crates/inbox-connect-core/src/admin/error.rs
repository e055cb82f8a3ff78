//! What can go wrong on the admin path, mapped to the crate's `{code, message, action}` payload.

use crate::blocked::admin_consent::AdminLinkError;
use crate::diagnosis::Diagnosis;
use crate::error::{serialize_as_payload, ConnectError, ErrorDetails, ErrorPayload, UserFacing};
use crate::graph::{GraphError, GraphErrorFields};

use crate::words::Words;

use super::roles::RoleRequirement;

/// An admin-path failure.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The sign-in machinery failed (browser, loopback, token endpoint, network, profile).
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// No admin-consent link could be made for the organization given.
    #[error(transparent)]
    Link(#[from] AdminLinkError),
    /// Microsoft refused the admin sign-in; `needs` says which role was missing when that is why.
    #[error("Microsoft refused the admin sign-in: {}", .diagnosis.explanation)]
    Refused {
        /// Why, from the redirect.
        diagnosis: Box<Diagnosis>,
        /// The role that was missing, when a missing role is the reason.
        needs: Option<RoleRequirement>,
    },
    /// Graph refused a change for lack of a role or permission.
    #[error("{}", .needs.message.english())]
    Denied {
        /// What the change needs.
        needs: RoleRequirement,
        /// Graph's answer.
        graph: GraphErrorFields,
    },
    /// The app has no service principal in the organization yet, so there is nothing to change.
    #[error("the app is not in your organization yet (nobody has consented to it)")]
    AppNotInTenant,
    /// Graph failed otherwise.
    #[error(transparent)]
    Graph(#[from] GraphError),
}

impl AdminError {
    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        UserFacing::code(self)
    }

    /// The payload for the UI and `--json` output.
    pub fn payload(&self) -> ErrorPayload {
        UserFacing::payload(self)
    }
}

impl UserFacing for AdminError {
    fn code(&self) -> &'static str {
        match self {
            AdminError::Connect(e) => e.code(),
            AdminError::Link(_) => "admin_link_invalid",
            AdminError::Refused { needs: Some(_), .. } => "admin_role_required",
            AdminError::Refused { .. } => "admin_sign_in_refused",
            AdminError::Denied { .. } => "admin_permission_denied",
            AdminError::AppNotInTenant => "app_not_in_tenant",
            AdminError::Graph(e) => e.code(),
        }
    }

    fn action(&self) -> Words {
        match self {
            AdminError::Connect(e) => UserFacing::action(e),
            AdminError::Link(_) => Words::new("error.action.admin_link_failed"),
            AdminError::Refused {
                needs: Some(needs), ..
            }
            | AdminError::Denied { needs, .. } => {
                Words::new("error.action.admin_role_needed").with("needs", needs.message.clone())
            }
            AdminError::Refused { diagnosis, .. } => diagnosis
                .first_step()
                .unwrap_or_else(|| Words::new("error.action.try_again")),
            AdminError::AppNotInTenant => Words::new("error.action.app_not_in_tenant"),
            AdminError::Graph(e) => e.action(),
        }
    }

    fn details(&self) -> Option<ErrorDetails> {
        match self {
            AdminError::Connect(e) => UserFacing::details(e),
            AdminError::Denied { graph, .. } => Some(ErrorDetails::Graph(graph.clone())),
            AdminError::Graph(e) => e.fields().cloned().map(ErrorDetails::Graph),
            _ => None,
        }
    }
}

serialize_as_payload!(AdminError);
