//! Conformance checks of owner tokens (stored by hash, unique per owner, revoked in place).

use super::{Check, entry, name, owner};
use crate::model::{AuditAction, AuditFilter, NewAudit, NewToken, Owner, Timestamp, token_hash};
use crate::store::{Store, StoreError};

/// Every token check, by name.
pub const CHECKS: &[(&str, Check)] = &[
    (
        "tokens_are_found_by_hash_and_unique_per_owner",
        tokens_are_found_by_hash_and_unique_per_owner,
    ),
    (
        "revoking_a_token_keeps_it_and_writes_one_entry",
        revoking_a_token_keeps_it_and_writes_one_entry,
    ),
];

fn by(who: &Owner, action: AuditAction) -> NewAudit {
    NewAudit {
        owner: Some(who.id),
        ..entry(who.name.as_str(), action, None, "token")
    }
}

fn new_token(who: &Owner, token_name: &str, secret: &str) -> NewToken {
    NewToken {
        owner: who.id,
        name: name(token_name),
        hash: token_hash(secret),
        expires_at: Some(Timestamp(4_000_000_000_000)),
    }
}

fn tokens_are_found_by_hash_and_unique_per_owner(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    let audit = by(&alice, AuditAction::TokenCreate);
    let made = store
        .add_token(&new_token(&alice, "phone", "secret-a"), &audit)
        .unwrap();
    assert_eq!(
        (made.owner, made.owner_name.as_str(), made.name.as_str()),
        (alice.id, "alice", "phone")
    );
    assert_eq!(made.expires_at, Some(Timestamp(4_000_000_000_000)));
    assert_eq!(made.revoked_at, None);
    assert_eq!(store.token_by_hash(&token_hash("secret-a")).unwrap(), made);
    assert!(matches!(
        store.token_by_hash(&token_hash("secret-b")),
        Err(StoreError::NotFound {
            entity: "token",
            ..
        })
    ));

    // The same name for the same owner (in any case) is taken; for another owner it is not.
    let again = store.add_token(&new_token(&alice, "PHONE", "secret-c"), &audit);
    assert!(
        matches!(
            again,
            Err(StoreError::AlreadyExists {
                entity: "token",
                ..
            })
        ),
        "{again:?}"
    );
    let bobs = store
        .add_token(
            &new_token(&bob, "phone", "secret-d"),
            &by(&bob, AuditAction::TokenCreate),
        )
        .unwrap();
    assert_eq!(store.token_by_hash(&token_hash("secret-d")).unwrap(), bobs);
    assert_eq!(store.tokens(alice.id).unwrap(), vec![made]);
    assert!(store.token_by_hash(&token_hash("secret-c")).is_err());
}

fn revoking_a_token_keeps_it_and_writes_one_entry(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    store
        .add_token(
            &new_token(&alice, "phone", "secret-a"),
            &by(&alice, AuditAction::TokenCreate),
        )
        .unwrap();
    let revoke = by(&alice, AuditAction::TokenRevoke);
    // Bob cannot revoke alice's token by its name: his own has none of it.
    assert!(matches!(
        store.revoke_token(bob.id, "phone", &by(&bob, AuditAction::TokenRevoke)),
        Err(StoreError::NotFound {
            entity: "token",
            ..
        })
    ));
    let revoked = store.revoke_token(alice.id, "phone", &revoke).unwrap();
    assert!(revoked.revoked_at.is_some());
    assert_eq!(
        store.revoke_token(alice.id, "phone", &revoke).unwrap(),
        revoked
    );
    assert_eq!(
        store.token_by_hash(&token_hash("secret-a")).unwrap(),
        revoked
    );
    let revocations = store
        .audit(&AuditFilter::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::TokenRevoke)
        .count();
    assert_eq!(revocations, 1);
}
