//! The people, groups and roles the settings name, in words an admin can look up: the names read
//! with `getByIds`, or the object id when a name could not be read (the admin centre's search
//! finds users and groups by object ID too).

use std::collections::BTreeMap;

use crate::admin::roles::AdminRole;
use crate::admin::snapshot::{DirectoryName, Reviewer};
use crate::words::{Param, Words};

/// The names that were read (none when the read was refused or failed).
#[derive(Clone, Copy)]
pub(super) struct Names<'a>(pub(super) Option<&'a BTreeMap<String, DirectoryName>>);

impl Names<'_> {
    fn find(&self, id: &str) -> Option<&DirectoryName> {
        self.0.and_then(|names| names.get(&id.to_ascii_lowercase()))
    }

    /// A user: "Nina Northwind (nina@northwind-hiring.example)".
    pub(super) fn user(&self, id: &str) -> Param {
        match self.find(id) {
            Some(n) => match n
                .user_principal_name
                .as_deref()
                .filter(|upn| !upn.eq_ignore_ascii_case(&n.display_name))
            {
                Some(upn) => format!("{} ({upn})", n.display_name).into(),
                None => n.display_name.as_str().into(),
            },
            None => Words::new("checklist.name.user_id").with("id", id).into(),
        }
    }

    /// A group: "the group \"Recruiters\"".
    pub(super) fn group(&self, id: &str) -> Words {
        match self.find(id) {
            Some(n) => Words::new("checklist.name.group").with("name", n.display_name.as_str()),
            None => Words::new("checklist.name.group_id").with("id", id),
        }
    }

    /// "members of the group …".
    pub(super) fn members_of(&self, id: &str) -> Words {
        Words::new("checklist.name.members_of").with("group", self.group(id))
    }

    /// A reviewer of admin consent requests.
    pub(super) fn reviewer(&self, reviewer: &Reviewer) -> Param {
        match reviewer {
            Reviewer::User(id) => self.user(id),
            Reviewer::Group(id) => self.members_of(id).into(),
            Reviewer::Role(id) => holders_of(id).into(),
            // The admin centre sets only users, groups and roles; another query came from Graph.
            Reviewer::Other(query) => Words::new("checklist.name.graph_query")
                .with("query", query.as_str())
                .into(),
        }
    }
}

/// A directory role named by its template id: "the Global Administrator role".
pub(super) fn role(template_id: &str) -> Words {
    match AdminRole::from_template_id(template_id) {
        Some(role) => Words::new("checklist.name.role").with("role", role.display_name()),
        None => Words::new("checklist.name.role_id").with("id", template_id),
    }
}

/// "holders of the … role".
pub(super) fn holders_of(template_id: &str) -> Words {
    Words::new("checklist.name.holders_of").with("role", role(template_id))
}
