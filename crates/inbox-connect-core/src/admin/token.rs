//! The admin's access token for Graph. It lives only in memory, in an [`AdminToken`]: a type that
//! cannot be serialized (so no IPC payload or file can carry it) and whose `Debug` prints none of it.

use std::fmt;

use oauth2::AccessToken;

/// The admin's Graph access token. Deliberately neither `Serialize` nor `Display` (oauth2's
/// [`AccessToken`] is `Serialize`); `Debug` shows only that a token is there.
#[derive(Clone)]
pub(crate) struct AdminToken(AccessToken);

impl AdminToken {
    /// Keeps the token of the admin's sign-in.
    pub(super) fn new(token: AccessToken) -> AdminToken {
        AdminToken(token)
    }

    /// The token, for a Graph call's `Authorization` header.
    pub(super) fn for_graph(&self) -> &AccessToken {
        &self.0
    }
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminToken([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiles only while `AdminToken` is not `Serialize`: were it, both impls below would apply
    /// and the type of `_` could not be inferred (the `static_assertions::assert_not_impl_any`
    /// technique).
    trait AmbiguousIfSerialize<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSerialize<()> for T {}
    impl<T: ?Sized + serde::Serialize> AmbiguousIfSerialize<u8> for T {}

    #[test]
    fn the_token_is_not_serialize_and_debug_hides_it() {
        <AdminToken as AmbiguousIfSerialize<_>>::check();
        let token = AdminToken::new(AccessToken::new("eyJ.secret.token".into()));
        assert_eq!(format!("{token:?}"), "AdminToken([redacted])");
        assert_eq!(token.for_graph().secret(), "eyJ.secret.token");
    }
}
