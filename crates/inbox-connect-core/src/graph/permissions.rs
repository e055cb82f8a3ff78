//! What Microsoft says each Graph permission allows, as its consent page and the admin centre word
//! it (the permission's display name and description, docs/entra-reference.md §10, from Graph's own
//! `oauth2PermissionScopes`). People read these next to the vendor's reason, so that what the app
//! says it does and what the permission lets it do are both in view. The window words them from
//! its catalogs (`scope.<name>.title` / `.allows`, this table's English); the message to IT
//! quotes the admin-consent description in English.

use crate::profile::ScopeName;

/// Microsoft's words for one delegated permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MicrosoftWords {
    /// The scope (`Mail.ReadWrite`).
    pub scope: &'static str,
    /// The consent page's title for the user (`Read and write access to your mail`).
    pub title: &'static str,
    /// What it allows, as the consent page tells the user.
    pub allows: &'static str,
    /// What it allows, as the admin centre tells an admin (in the third person).
    pub allows_for_admins: &'static str,
}

const fn words(
    scope: &'static str,
    title: &'static str,
    allows: &'static str,
    allows_for_admins: &'static str,
) -> MicrosoftWords {
    MicrosoftWords {
        scope,
        title,
        allows,
        allows_for_admins,
    }
}

/// The permissions the profiles and the admin path ask for. Where the reference has no
/// description (the admin path's read permissions), the display name stands for it.
const WORDS: [MicrosoftWords; 21] = [
    words("Mail.Send", "Send mail as you", "Allows the app to send mail as you.", "Allows the app to send mail as users in the organization."),
    words("Mail.ReadWrite", "Read and write access to your mail", "Allows the app to read, update, create and delete email in your mailbox. Does not include permission to send mail.", "Allows the app to create, read, update, and delete email in user mailboxes. Does not include permission to send mail."),
    words("Mail.Read", "Read your mail", "Allows the app to read email in your mailbox.", "Allows the app to read the signed-in user's mailbox."),
    words("Mail.ReadBasic", "Read user basic mail", "Allows the app to read email in the signed-in user's mailbox except body, previewBody, attachments and any extended properties.", "Allows the app to read email in the signed-in user's mailbox except body, previewBody, attachments and any extended properties."),
    words("Calendars.ReadWrite", "Have full access to your calendars", "Allows the app to read, update, create and delete events in your calendars.", "Allows the app to create, read, update, and delete events in user calendars."),
    words("Calendars.Read", "Read your calendars", "Allows the app to read events in your calendars.", "Allows the app to read events in user calendars."),
    words("MailboxSettings.Read", "Read your mailbox settings", "Read your mailbox settings", "Read user mailbox settings"),
    words("MailboxSettings.ReadWrite", "Read and write to your mailbox settings", "Read and write to your mailbox settings", "Read and write user mailbox settings"),
    words("User.Read", "Sign you in and read your profile", "Allows you to sign in to the app with your organizational account and let the app read your profile. It also allows the app to read basic company information.", "Allows users to sign-in to the app, and allows the app to read the profile of signed-in users. It also allows the app to read basic company information of signed-in users."),
    words("User.ReadBasic.All", "Read all users' basic profiles", "Allows the app to read a basic set of profile properties of other users in your organization on behalf of the signed-in user. This includes display name, first and last name, email address and photo.", "Allows the app to read a basic set of profile properties of other users in your organization on behalf of the signed-in user. This includes display name, first and last name, email address and photo."),
    words("offline_access", "Maintain access to data you have given it access to", "Allows the app to see and update the data you gave it access to, even when you are not currently using the app. This does not give the app any additional permissions.", "Allows the app to see and update the data you gave it access to, even when users are not currently using the app. This does not give the app any additional permissions."),
    words("openid", "Sign in as you", "Sign in as you", "Allows users to sign in to the app with their work or school accounts and allows the app to see basic user profile information."),
    words("email", "View your email address", "Allows the app to read your users' primary email address", "Allows the app to read your users' primary email address"),
    words("profile", "View your basic profile", "Allows the app to see your users' basic profile (e.g., name, picture, user name, email address)", "Allows the app to see your users' basic profile (e.g., name, picture, user name, email address)"),
    words("Policy.Read.All", "Read your organization's policies", "Read your organization's policies", "Read your organization's policies"),
    words("Application.Read.All", "Read applications", "Read applications", "Read applications"),
    words("ConsentRequest.Read.All", "Read consent requests", "Read consent requests", "Read consent requests"),
    words("DelegatedPermissionGrant.Read.All", "Read delegated permission grants", "Read delegated permission grants", "Read delegated permission grants"),
    words("Directory.Read.All", "Read directory data", "Read directory data", "Read directory data"),
    words("Policy.Read.PermissionGrant", "Read consent and permission grant policies", "Read consent and permission grant policies", "Read consent and permission grant policies"),
    words("Policy.ReadWrite.ConsentRequest", "Read and write your organization's consent request policy", "Allows the app to read and write your organization's consent requests policy on your behalf.", "Allows the app to read and write your organization's consent requests policy on behalf of the signed-in user."),
];

/// Every permission this table words.
pub fn all_microsoft_words() -> &'static [MicrosoftWords] {
    &WORDS
}

/// Microsoft's words for `scope` (bare or with its resource, any case), when the table has them.
pub fn microsoft_words(scope: &str) -> Option<&'static MicrosoftWords> {
    let name = ScopeName::of(scope);
    WORDS.iter().find(|w| ScopeName::of(w.scope) == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_found_in_any_spelling_and_each_once() {
        let found = microsoft_words("https://graph.microsoft.com/mail.readwrite");
        assert_eq!(found.map(|w| w.scope), Some("Mail.ReadWrite"));
        assert!(microsoft_words("Mail.SendShared").is_none());
        for w in &WORDS {
            assert_eq!(microsoft_words(w.scope), Some(w), "{} twice", w.scope);
        }
    }
}
