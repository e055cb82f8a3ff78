//! The ids of the Microsoft Graph delegated permissions a profile or the admin path may ask for,
//! from Microsoft's published list (microsoft-graph-docs-contrib
//! `concepts/includes/permissions-ids.md`; DelegatedPermissionGrant.Read.All, newer than that
//! list's pinned copy, from docs/entra-reference.md §10). The tests hold this table to the pinned
//! excerpt in `tests/data/graph-permission-ids.md`.

/// Microsoft Graph's application id: the `resourceAppId` of every permission below.
pub const MICROSOFT_GRAPH: &str = "00000003-0000-0000-c000-000000000000";

/// Delegated permission (scope) → its id.
pub const DELEGATED: &[(&str, &str)] = &[
    (
        "AppRoleAssignment.ReadWrite.All",
        "84bccea3-f856-4a8a-967b-dbe0a3d53a64",
    ),
    (
        "Application.Read.All",
        "c79f8feb-a9db-4090-85f9-90d820caa0eb",
    ),
    (
        "Application.ReadWrite.All",
        "bdfbf15f-ee85-4955-8675-146e8e5296b5",
    ),
    ("Calendars.Read", "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42"),
    (
        "Calendars.ReadWrite",
        "1ec239c2-d7c9-4623-a91a-a9775856bb36",
    ),
    (
        "ConsentRequest.Read.All",
        "f3bfad56-966e-4590-a536-82ecf548ac1e",
    ),
    (
        "DelegatedPermissionGrant.Read.All",
        "a197cdc4-a8e8-4d49-9d35-4ca7c83887b4",
    ),
    ("Directory.Read.All", "06da0dbc-49e2-44d2-8312-53f166ab848a"),
    ("email", "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0"),
    ("Mail.Read", "570282fd-fa5c-430d-a7fd-fc8dc98a9dca"),
    ("Mail.ReadBasic", "a4b8392a-d8d1-4954-a029-8e668a39a170"),
    ("Mail.ReadWrite", "024d486e-b451-40bb-833d-3e66d98c5c73"),
    ("Mail.Send", "e383f46e-2787-4529-855e-0e479a3ffac0"),
    (
        "MailboxSettings.Read",
        "87f447af-9fa4-4c32-9dfa-4a57a73d18ce",
    ),
    (
        "MailboxSettings.ReadWrite",
        "818c620a-27a9-40bd-a6a5-d96f7d610b4b",
    ),
    ("offline_access", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182"),
    ("openid", "37f7f235-527c-4136-accd-4a02d197296e"),
    ("People.Read", "ba47897c-39ec-4d83-8086-ee8256fa737d"),
    ("Place.Read.All", "cb8f45a0-5c2e-4ea1-b803-84b870a7d7ec"),
    ("Policy.Read.All", "572fea84-0151-49b2-9301-11cb16974376"),
    (
        "Policy.ReadWrite.ConsentRequest",
        "4d135e65-66b8-41a8-9f8b-081452c91774",
    ),
    ("profile", "14dad69e-099b-42c9-810b-d002981feec1"),
    ("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d"),
    ("User.ReadBasic.All", "b340eb25-3456-403f-be2f-af7a0d370277"),
];

/// The id of the delegated Graph permission `scope` (its name as Microsoft writes it, compared
/// case-insensitively), if this table has it.
pub fn delegated_id(scope: &str) -> Option<&'static str> {
    DELEGATED
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(scope))
        .map(|(_, id)| *id)
}
