//! The façade's own tests: it works from spawned tasks, and the connection's life in a vault
//! without a keychain daemon (the in-memory store); the real keychain is in tests/it/.

use super::*;

fn is_send<T: Send>(_: &T) {}

#[test]
fn the_facade_works_from_spawned_tasks() {
    // Tauri commands and the CLI run these on a multi-threaded runtime.
    let connector = Connector::new(
        Profile::sandbox(),
        Vault::with_service(&Profile::sandbox().product.identifier, "unused"),
        Arc::new(crate::NoBrowser),
    );
    is_send(&connector);
    is_send(&connector.begin_sign_in(&[], None));
    is_send(&connector.add_features(&[]));
    is_send(&connector.restore());
    is_send(&connector.check());
    is_send(&connector.send_test_email());
    is_send(&connector.disconnect());
    is_send(&connector.recheck());
    is_send(&connector.begin_recheck(crate::Look::Timed));
    is_send(&connector.recheck_plan(true));
    is_send(&connector.recheck_on_return());
    is_send(&connector.admin_consent_link("contoso.com"));
    let _ = |pending: PendingSignIn| is_send(&pending.wait());
}

mod in_a_vault {
    use oauth2::RefreshToken;

    use super::super::stored::{ConnectionEntries, StoredConnection};
    use super::*;
    use crate::status::{Account, ConnectionMeta, ConnectionState};
    use crate::vault::VaultError;

    /// A connector on the unit tests' profile, whose sign-in service (127.0.0.1:4321) is not
    /// running, over `vault`.
    fn connector(vault: &Vault) -> (Connector, String) {
        let connector = Connector::new(
            crate::test_profile(),
            vault.clone(),
            Arc::new(crate::NoBrowser),
        );
        let account = connector
            .profile()
            .keychain_account()
            .unwrap_or_else(|e| panic!("{e}"));
        (connector, account)
    }

    fn riley(token: &str) -> StoredConnection {
        StoredConnection {
            refresh_token: RefreshToken::new(token.to_owned()),
            meta: ConnectionMeta {
                account: Account {
                    username: Some("riley@contoso-recruiting.example".into()),
                    name: Some("Riley Recruiter".into()),
                    object_id: "oid".into(),
                },
                organization: None,
                features: vec![Feature::Mailbox],
                requested_scopes: vec!["Mail.Send".into()],
                granted_scopes: vec!["Mail.Send".into()],
                token_scopes: vec!["Mail.Send".into()],
                checks: Vec::new(),
            },
        }
    }

    #[tokio::test]
    async fn nothing_stored_restores_to_disconnected() {
        let vault = Vault::in_memory();
        let (connector, account) = connector(&vault);
        let status = connector.restore().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status.state, ConnectionState::Disconnected);
        assert!(vault
            .load(&account)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none());
    }

    #[tokio::test]
    async fn an_unreachable_sign_in_service_keeps_the_stored_token() {
        let vault = Vault::in_memory();
        let (connector, account) = connector(&vault);
        vault
            .save_connection(&account, &riley("rt-kept"))
            .unwrap_or_else(|e| panic!("{e}"));
        let err = connector
            .restore()
            .await
            .err()
            .unwrap_or_else(|| panic!("nothing answers on 127.0.0.1:4321"));
        assert_eq!(err.code(), "network_unreachable", "{err}");
        let kept = vault
            .load_connection(&account)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("the entry is kept"));
        assert_eq!(kept.refresh_token.secret(), "rt-kept");
    }

    #[tokio::test]
    async fn an_unreadable_entry_is_named_and_left_alone() {
        let vault = Vault::in_memory();
        let (connector, account) = connector(&vault);
        vault
            .save(&account, "not a connection")
            .unwrap_or_else(|e| panic!("{e}"));
        let err = connector.restore().await.err();
        assert!(
            matches!(err, Some(ConnectError::Vault(VaultError::Corrupt(_)))),
            "{err:?}"
        );
        assert_eq!(
            vault
                .load(&account)
                .unwrap_or_else(|e| panic!("{e}"))
                .as_deref(),
            Some("not a connection"),
            "nothing is deleted on a failed read"
        );
    }

    #[tokio::test]
    async fn disconnect_removes_the_connection_and_the_pending_approval() {
        let vault = Vault::in_memory();
        let (connector, account) = connector(&vault);
        vault
            .save_connection(&account, &riley("rt"))
            .unwrap_or_else(|e| panic!("{e}"));
        let pending = format!("{account}#pending-approval");
        vault.save(&pending, "{}").unwrap_or_else(|e| panic!("{e}"));

        let report = connector
            .disconnect()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(report.removed_from_keychain);
        assert!(
            report.keychain_entry.contains("memory"),
            "{}",
            report.keychain_entry
        );
        for name in [&account, &pending] {
            assert!(
                vault.load(name).unwrap_or_else(|e| panic!("{e}")).is_none(),
                "{name}"
            );
        }
        assert_eq!(
            connector.status().await.state,
            ConnectionState::Disconnected
        );
        let again = connector
            .disconnect()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!again.removed_from_keychain, "nothing left to remove");
    }
}
