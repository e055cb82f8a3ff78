//! The preset tenants of the default seed: each reproduces one situation that blocks a recruiter
//! (sandbox/README.md has the table). Every preset user's password is [`USER_PASSWORD`], every
//! preset admin's (`admin@<domain>`, Global Administrator) is [`ADMIN_PASSWORD`].

/// Password of every preset (non-admin) user.
pub const USER_PASSWORD: &str = "Blocked-2026!";
/// Password of every preset admin.
pub const ADMIN_PASSWORD: &str = "Admin-2026!";

/// 1. User consent off, admin consent requests off: "Need admin approval" (AADSTS90094).
pub const CONSENT_OFF_USER: &str = "taylor@tailspin-talent.example";
/// The admin of the consent-off tenant.
pub const CONSENT_OFF_ADMIN: &str = "admin@tailspin-talent.example";
/// 2. User consent off, admin consent requests on: "Approval required" (AADSTS90095).
pub const WORKFLOW_USER: &str = "nina@northwind-hiring.example";
/// The admin (and reviewer) of the workflow tenant.
pub const WORKFLOW_ADMIN: &str = "admin@northwind-hiring.example";
/// The workflow tenant's domain.
pub const WORKFLOW_DOMAIN: &str = "northwind-hiring.example";
/// 3. Users may consent to low-impact permissions of verified publishers only.
pub const LOW_IMPACT_USER: &str = "finn@fourthcoffee-careers.example";
/// 4. Assignment required, user not assigned (AADSTS50105).
pub const UNASSIGNED_USER: &str = "ulla@litware-recruiting.example";
/// 4. Assignment required, user assigned: admin consent needed.
pub const ASSIGNED_USER: &str = "ada@litware-recruiting.example";
/// The admin of the assignment tenant.
pub const ASSIGNMENT_ADMIN: &str = "admin@litware-recruiting.example";
/// 5. Blocked by a Conditional Access policy (AADSTS53003).
pub const CA_BLOCKED_USER: &str = "bob@adatum-agency.example";
/// 5. Conditional Access requires MFA (the MFA page; AADSTS50076 when silent).
pub const CA_MFA_USER: &str = "mia@adatum-agency.example";
/// The admin of the Conditional Access tenant.
pub const CA_ADMIN: &str = "admin@adatum-agency.example";
/// 6. A personal Microsoft account (AADSTS50020 at a work-or-school app).
pub const PERSONAL_USER: &str = "sam@outlook.example";
/// 7. The app's service principal is disabled in this user's tenant (AADSTS700016).
pub const APP_DISABLED_USER: &str = "pia@proseware.example";
/// 9. Mailbox on-premises (Graph mail: 404 MailboxNotEnabledForRESTAPI).
pub const ON_PREMISES_USER: &str = "pat@fabrikam-hybrid.example";
/// 9. No Exchange Online licence (Graph mail: 404 MailboxNotEnabledForRESTAPI).
pub const NO_MAILBOX_USER: &str = "nora@fabrikam-hybrid.example";
/// 10. Risky app, admin consent requests off (AADSTS900941).
pub const RISKY_USER: &str = "wes@woodgrove-risky.example";
/// 10. Risky app, admin consent requests on (AADSTS900981).
pub const RISKY_WORKFLOW_USER: &str = "cora@coho-risky.example";
/// An unverified publisher's app (client id): blocked under the low-impact policy (preset 3).
pub const UNVERIFIED_CLIENT_ID: &str = "7a2c4e6f-1b3d-4f5a-9c8e-0d1f2a3b4c5d";
