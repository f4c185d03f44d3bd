//! Tokens and the audit log.

use serde_json::json;

use super::*;
use crate::index::{AuditEvent, TokenRow};

pub(super) fn token(id: &str, hash: &str) -> TokenRow {
    TokenRow {
        id: id.to_owned(),
        hash: hash.to_owned(),
        scopes: vec!["read".to_owned(), "publish:platform".to_owned()],
        description: format!("token {id}"),
        created_at: format!("2026-01-01T00:00:0{}Z", id.len()),
        last_used_at: None,
        revoked_at: None,
    }
}

#[test]
fn a_token_is_found_by_its_hash_with_its_scopes() {
    let (_dir, index) = open();
    index.insert_token(&token("t1", "aa11")).unwrap();
    assert_eq!(
        index.token_by_hash("aa11").unwrap(),
        Some(token("t1", "aa11"))
    );
    assert_eq!(index.token_by_hash("bb22").unwrap(), None);
}

#[test]
fn a_duplicate_token_id_or_hash_is_refused() {
    let (_dir, index) = open();
    index.insert_token(&token("t1", "aa11")).unwrap();
    assert!(index.insert_token(&token("t1", "cc33")).is_err());
    assert!(index.insert_token(&token("t2", "aa11")).is_err());
}

#[test]
fn a_revoked_token_is_still_found_so_the_caller_can_refuse_it() {
    let (_dir, index) = open();
    index.insert_token(&token("t1", "aa11")).unwrap();
    assert!(index.revoke_token("t1", "2026-01-02T00:00:00Z").unwrap());
    let revoked_at = index.token_by_hash("aa11").unwrap().unwrap().revoked_at;
    assert_eq!(revoked_at.as_deref(), Some("2026-01-02T00:00:00Z"));
    assert!(index.revoke_token("t1", "2026-01-03T00:00:00Z").unwrap());
    let again = index.token_by_hash("aa11").unwrap().unwrap().revoked_at;
    assert_eq!(again, revoked_at, "the first revocation time is kept");
    assert!(!index.revoke_token("nope", "2026-01-02T00:00:00Z").unwrap());
}

#[test]
fn an_imported_token_is_added_once_and_never_replaces_an_indexed_one() {
    let (_dir, index) = open();
    assert!(index.import_token(&token("t1", "aa11")).unwrap());
    index.revoke_token("t1", "2026-01-02T00:00:00Z").unwrap();
    let mut again = token("t1", "aa11");
    again.description = "changed".into();
    assert!(!index.import_token(&again).unwrap());
    let row = index.token_by_hash("aa11").unwrap().unwrap();
    assert_eq!(row.description, "token t1");
    assert!(
        row.revoked_at.is_some(),
        "an import must not undo a revocation"
    );
}

#[test]
fn tokens_are_listed_oldest_first() {
    let (_dir, index) = open();
    index.insert_token(&token("second", "b")).unwrap();
    index.insert_token(&token("t1", "a")).unwrap();
    let tokens = index.list_tokens().unwrap();
    let ids: Vec<&str> = tokens.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["t1", "second"]);
}

#[test]
fn audit_events_are_stamped_and_listed_newest_first() {
    let (_dir, index) = open();
    for n in 0..3 {
        index
            .append_audit(&AuditEvent {
                action: "publish".to_owned(),
                actor: "ci".to_owned(),
                subject: format!("platform/vpc/aws/1.{n}.0"),
                detail: json!({ "sha256": n }),
            })
            .unwrap();
    }
    let records = index.list_audit(2).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].subject, "platform/vpc/aws/1.2.0");
    assert_eq!(records[0].detail, json!({ "sha256": 2 }));
    assert!(records[0].id > records[1].id);
    assert!(time::OffsetDateTime::parse(
        &records[0].at,
        &time::format_description::well_known::Rfc3339
    )
    .is_ok());
}
