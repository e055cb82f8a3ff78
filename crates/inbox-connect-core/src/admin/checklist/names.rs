//! The people, groups and roles the settings name, in words an admin can look up: the names read
//! with `getByIds`, or the object id when a name could not be read (the admin centre's search
//! finds users and groups by object ID too).

use std::collections::BTreeMap;

use crate::admin::roles::AdminRole;
use crate::admin::snapshot::{DirectoryName, Reviewer};

/// The names that were read (none when the read was refused or failed).
#[derive(Clone, Copy)]
pub(super) struct Names<'a>(pub(super) Option<&'a BTreeMap<String, DirectoryName>>);

impl Names<'_> {
    fn find(&self, id: &str) -> Option<&DirectoryName> {
        self.0.and_then(|names| names.get(&id.to_ascii_lowercase()))
    }

    /// A user: "Nina Northwind (nina@northwind-hiring.example)".
    pub(super) fn user(&self, id: &str) -> String {
        match self.find(id) {
            Some(n) => match n
                .user_principal_name
                .as_deref()
                .filter(|upn| !upn.eq_ignore_ascii_case(&n.display_name))
            {
                Some(upn) => format!("{} ({upn})", n.display_name),
                None => n.display_name.clone(),
            },
            None => format!("the user with object ID {id}"),
        }
    }

    /// A group: "the group \"Recruiters\"".
    pub(super) fn group(&self, id: &str) -> String {
        match self.find(id) {
            Some(n) => format!("the group \"{}\"", n.display_name),
            None => format!("the group with object ID {id}"),
        }
    }

    /// A reviewer of admin consent requests.
    pub(super) fn reviewer(&self, reviewer: &Reviewer) -> String {
        match reviewer {
            Reviewer::User(id) => self.user(id),
            Reviewer::Group(id) => format!("members of {}", self.group(id)),
            Reviewer::Role(id) => format!("holders of {}", role(id)),
            // The admin centre sets only users, groups and roles; another query came from Graph.
            Reviewer::Other(query) => {
                format!("reviewers chosen by a Microsoft Graph query ({query})")
            }
        }
    }
}

/// A directory role named by its template id: "the Global Administrator role".
pub(super) fn role(template_id: &str) -> String {
    match AdminRole::from_template_id(template_id) {
        Some(role) => format!("the {} role", role.display_name()),
        None => format!("the directory role with template ID {template_id}"),
    }
}
