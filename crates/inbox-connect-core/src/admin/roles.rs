//! The Entra roles the admin path needs, and the sentence that says which one was missing.

use serde::{Deserialize, Serialize};

use crate::words::{List, Words};

/// An Entra directory role that matters to the admin path (docs/entra-reference.md §3.2, §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminRole {
    /// Can do everything, including granting any permission.
    GlobalAdministrator,
    /// Can grant any permission of any API.
    PrivilegedRoleAdministrator,
    /// Can grant delegated permissions (not Microsoft Graph application permissions).
    CloudApplicationAdministrator,
    /// Can grant delegated permissions (not Microsoft Graph application permissions).
    ApplicationAdministrator,
    /// Can read (not change) every setting the checklist looks at.
    GlobalReader,
    /// Can read Conditional Access policies.
    SecurityReader,
    /// Can read and change Conditional Access policies.
    ConditionalAccessAdministrator,
}

impl AdminRole {
    /// Every role above.
    pub const ALL: [AdminRole; 7] = [
        AdminRole::GlobalAdministrator,
        AdminRole::PrivilegedRoleAdministrator,
        AdminRole::CloudApplicationAdministrator,
        AdminRole::ApplicationAdministrator,
        AdminRole::GlobalReader,
        AdminRole::SecurityReader,
        AdminRole::ConditionalAccessAdministrator,
    ];

    /// The role's template id, the same in every organization (Entra docs
    /// permissions-reference.md); reviewer queries and Conditional Access policies name roles by it.
    pub fn template_id(self) -> &'static str {
        match self {
            AdminRole::GlobalAdministrator => "62e90394-69f5-4237-9190-012177145e10",
            AdminRole::PrivilegedRoleAdministrator => "e8611ab8-c189-46e8-94e1-60213ab1f814",
            AdminRole::CloudApplicationAdministrator => "158c047a-c907-4556-b7ef-446551a6b5f7",
            AdminRole::ApplicationAdministrator => "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
            AdminRole::GlobalReader => "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
            AdminRole::SecurityReader => "5d6b6bb7-de71-4623-b4af-96380a352509",
            AdminRole::ConditionalAccessAdministrator => "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        }
    }

    /// The role with this template id, if it is one of the roles above.
    pub fn from_template_id(id: &str) -> Option<AdminRole> {
        AdminRole::ALL
            .into_iter()
            .find(|r| r.template_id().eq_ignore_ascii_case(id))
    }

    /// The role's name as the Entra admin centre shows it.
    pub fn display_name(self) -> &'static str {
        match self {
            AdminRole::GlobalAdministrator => "Global Administrator",
            AdminRole::PrivilegedRoleAdministrator => "Privileged Role Administrator",
            AdminRole::CloudApplicationAdministrator => "Cloud Application Administrator",
            AdminRole::ApplicationAdministrator => "Application Administrator",
            AdminRole::GlobalReader => "Global Reader",
            AdminRole::SecurityReader => "Security Reader",
            AdminRole::ConditionalAccessAdministrator => "Conditional Access Administrator",
        }
    }
}

/// Which roles (any one of them) and which Graph permission an operation needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRequirement {
    /// Any one of these roles will do.
    pub roles: Vec<AdminRole>,
    /// The Graph permission the sign-in must carry, when the operation is a Graph call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// The requirement in one sentence, for people.
    pub message: Words,
}

impl RoleRequirement {
    /// `what` (a catalog key: "Reading this setting") needs one of `roles` and `permission`.
    fn new(roles: &[AdminRole], permission: Option<&str>, what: &str) -> RoleRequirement {
        let names = List::AnyOf(roles.iter().map(|r| r.display_name().into()).collect());
        let message = match permission {
            Some(p) => Words::new("role.needs_with_permission").with("permission", p),
            None => Words::new("role.needs"),
        };
        RoleRequirement {
            roles: roles.to_vec(),
            permission: permission.map(str::to_owned),
            message: message.with("what", Words::new(what)).with("roles", names),
        }
    }

    /// Who can grant the app's delegated permissions for the whole organization (docs/entra-reference.md §3.2).
    pub fn grant_consent() -> RoleRequirement {
        RoleRequirement::new(
            &[
                AdminRole::PrivilegedRoleAdministrator,
                AdminRole::CloudApplicationAdministrator,
                AdminRole::ApplicationAdministrator,
                AdminRole::GlobalAdministrator,
            ],
            None,
            "role.what.grant_consent",
        )
    }

    /// Who can read directory settings through Graph with `permission` (docs/entra-reference.md §6).
    pub(crate) fn read(permission: &str, conditional_access: bool) -> RoleRequirement {
        let roles: &[AdminRole] = if conditional_access {
            &[
                AdminRole::SecurityReader,
                AdminRole::GlobalReader,
                AdminRole::ConditionalAccessAdministrator,
                AdminRole::GlobalAdministrator,
            ]
        } else {
            &[
                AdminRole::GlobalReader,
                AdminRole::CloudApplicationAdministrator,
                AdminRole::ApplicationAdministrator,
                AdminRole::GlobalAdministrator,
            ]
        };
        RoleRequirement::new(roles, Some(permission), "role.what.read_setting")
    }

    /// Who can make a change through Graph with `permission`.
    pub(crate) fn write(permission: &str, roles: &[AdminRole]) -> RoleRequirement {
        RoleRequirement::new(roles, Some(permission), "role.what.change")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_requirement_names_every_role_that_can_grant() {
        let r = RoleRequirement::grant_consent();
        assert_eq!(
            r.message.english(),
            "Granting the app's permissions for the whole organization needs an admin role: \
             Privileged Role Administrator, Cloud Application Administrator, Application \
             Administrator or Global Administrator."
        );
        let read = RoleRequirement::read("Policy.Read.All", true);
        assert!(
            read.message
                .english()
                .ends_with("Graph permission Policy.Read.All."),
            "{:?}",
            read.message
        );
    }
}
