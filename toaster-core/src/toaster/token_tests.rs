use super::*;
use crate::model::{AuditFilter, TokenRefusal};

fn refusal(result: Result<Actor, Error>) -> TokenRefusal {
    match result {
        Err(Error::Unauthenticated { refusal }) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_token_signs_in_as_its_owner_until_revoked() {
    let tmp = tempfile::tempdir().unwrap();
    let toaster = Toaster::init_sqlite(&tmp.path().join("t.sqlite")).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    let made = alice.create_token(Some("phone"), Some("90d")).unwrap();
    assert!(made.secret.starts_with("tst_"));
    assert!(made.token.expires_at.is_some());

    let actor = toaster.act_with_token(Some(&made.secret)).unwrap();
    assert_eq!(actor.owner().name.as_str(), "alice");
    assert_eq!(actor.client(), "web:phone");

    // The secret is nowhere in the database, only its hash.
    let bytes = std::fs::read(tmp.path().join("t.sqlite")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(&made.secret[4..]));

    let revoked = alice.revoke_token("phone").unwrap();
    assert!(revoked.revoked_at.is_some());
    assert_eq!(
        refusal(toaster.act_with_token(Some(&made.secret))),
        TokenRefusal::Revoked
    );
    // Revoking again changes nothing and writes no second entry.
    assert_eq!(alice.revoke_token("phone").unwrap(), revoked);
    let actions: Vec<String> = alice
        .audit(&AuditFilter::default())
        .unwrap()
        .iter()
        .map(|e| format!("{} {} {}", e.action, e.client, e.detail))
        .collect();
    let tokens: Vec<&String> = actions.iter().filter(|a| a.contains("token")).collect();
    assert_eq!(tokens.len(), 2, "{actions:?}");
    assert!(
        tokens
            .iter()
            .any(|a| a.starts_with("owner.token.create test made token phone (until 20"))
    );
    assert!(
        tokens
            .iter()
            .any(|a| a.starts_with("owner.token.revoke test revoked token phone"))
    );
}

#[test]
fn missing_unknown_and_malformed_secrets_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let toaster = Toaster::init_sqlite(&tmp.path().join("t.sqlite")).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    let made = alice.create_token(None, None).unwrap();
    assert_eq!(made.token.name.as_str(), "token-1");
    assert_eq!(made.token.expires_at, None);
    assert_eq!(
        alice.create_token(None, None).unwrap().token.name.as_str(),
        "token-2"
    );

    assert_eq!(refusal(toaster.act_with_token(None)), TokenRefusal::Missing);
    let mut other = made.secret.clone();
    other.replace_range(10..11, if &other[10..11] == "0" { "1" } else { "0" });
    for bad in [other.as_str(), "", "tst_", "Bearer x", "../../etc/passwd"] {
        assert_eq!(
            refusal(toaster.act_with_token(Some(bad))),
            TokenRefusal::Unknown,
            "{bad}"
        );
    }
}

#[test]
fn names_are_unique_per_owner_and_lifetimes_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let toaster = Toaster::init_sqlite(&tmp.path().join("t.sqlite")).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    let bob = alice.add_owner("bob", None).unwrap();
    let bob = toaster.act_as(bob.name.as_str(), "test").unwrap();
    alice.create_token(Some("phone"), None).unwrap();
    let again = alice.create_token(Some("PHONE"), None).unwrap_err();
    assert_eq!(again.kind(), crate::ErrorKind::AlreadyExists);
    // Bob may have his own `phone`, and cannot see or revoke alice's.
    bob.create_token(Some("phone"), None).unwrap();
    bob.revoke_token("phone").unwrap();
    assert!(alice.tokens().unwrap()[0].revoked_at.is_none());
    assert_eq!(
        bob.revoke_token("nothing").unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );

    let bad = alice
        .create_token(Some("tablet"), Some("forever"))
        .unwrap_err();
    assert_eq!(bad.kind(), crate::ErrorKind::Invalid);
    assert!(bad.to_string().contains("token lifetime"), "{bad}");
    assert_eq!(alice.tokens().unwrap().len(), 1);
}
