//! Conditional Access evaluation (docs/entra-reference.md §5 53003/50076, §6.8): enabled policies that include the user
//! and the app apply; report-only and disabled policies never do.

use crate::seed::{Application, ConditionalAccessPolicy, Tenant, User};

/// What the tenant's policies demand of a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Nothing beyond the password.
    None,
    /// Multifactor authentication (AADSTS50076 when it cannot be asked for).
    Mfa,
    /// No token at all (AADSTS53003).
    Block,
}

fn listed(list: &[String], id: &str) -> bool {
    list.iter()
        .any(|x| x.eq_ignore_ascii_case("All") || x.eq_ignore_ascii_case(id))
}

fn applies(policy: &ConditionalAccessPolicy, user: &User, app: &Application) -> bool {
    policy.state == "enabled"
        && (listed(&policy.include_users, &user.id)
            || listed(&policy.include_users, &user.user_principal_name))
        && !policy
            .exclude_users
            .iter()
            .any(|x| x == &user.id || x.eq_ignore_ascii_case(&user.user_principal_name))
        && listed(&policy.include_applications, &app.app_id)
}

/// The strongest requirement of the policies that apply; `block` wins over `mfa`.
pub fn evaluate(tenant: &Tenant, user: &User, app: &Application) -> Requirement {
    let controls: Vec<&String> = tenant
        .conditional_access_policies
        .iter()
        .filter(|p| applies(p, user, app))
        .flat_map(|p| &p.grant_controls)
        .collect();
    if controls.iter().any(|c| c.eq_ignore_ascii_case("block")) {
        Requirement::Block
    } else if controls.iter().any(|c| c.eq_ignore_ascii_case("mfa")) {
        Requirement::Mfa
    } else {
        Requirement::None
    }
}
