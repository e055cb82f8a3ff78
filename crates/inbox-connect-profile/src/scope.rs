//! How a permission's name compares: the one normalisation of scopes in the code base.

/// A permission's name as the sign-in service compares it: without the resource prefix
/// (`https://graph.microsoft.com/Mail.Send` is `Mail.Send`, as in a token response's `scope`)
/// and in any letter case (`mail.send`).
#[derive(Debug, Clone, Copy)]
pub struct ScopeName<'a>(&'a str);

impl<'a> ScopeName<'a> {
    /// The name of `scope`, bare or qualified with its resource.
    pub fn of(scope: &'a str) -> ScopeName<'a> {
        ScopeName(scope.rsplit('/').next().unwrap_or(scope))
    }

    /// Whether `scopes` holds this permission, in any of its spellings.
    pub fn is_in<S: AsRef<str>>(self, scopes: &[S]) -> bool {
        scopes.iter().any(|s| ScopeName::of(s.as_ref()) == self)
    }
}

impl PartialEq for ScopeName<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for ScopeName<'_> {}

#[cfg(test)]
mod tests {
    use super::ScopeName;

    #[test]
    fn names_compare_without_resource_and_case() {
        let name = ScopeName::of("Mail.Send");
        assert_eq!(name, ScopeName::of("https://graph.microsoft.com/mail.send"));
        assert_eq!(name, ScopeName::of("https://graph.microsoft.us/Mail.Send"));
        assert_ne!(name, ScopeName::of("Mail.SendShared"));
        assert!(ScopeName::of("offline_access").is_in(&["openid", "OFFLINE_ACCESS"]));
        assert!(!name.is_in(&["Mail.Read"]));
    }
}
