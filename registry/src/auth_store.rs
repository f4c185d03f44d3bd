//! Shared auth state: tokens, their revocations and the audit log as create-only objects in
//! the blob store, which every replica and `modreg token` reach; each process's index holds a
//! cache of the tokens (rebuilt at start by [`load`], kept current by `sync.rs`).
//!
//! A revocation is a second object (`auth/revocations/<id>.json`), never a delete or an
//! overwrite, so the registry's role needs no `s3:DeleteObject` for it and a revoked token
//! cannot come back.

use std::collections::BTreeSet;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::auth::{generate_token, parse_scopes, ScopeError};
use crate::index::{AuditEvent, Index, IndexError, TokenRow};
use crate::publish::now_rfc3339;
use crate::storage::{
    BadTokenId, BlobKey, BlobPrefix, BlobStore, PutOutcome, StorageError, TokenId,
};
use crate::telemetry::blocking;

/// `auth/tokens/<id>.json`: what a token is, never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub id: String,
    /// Hex sha256 of the secret.
    pub hash: String,
    pub scopes: Vec<String>,
    pub description: String,
    pub created_at: String,
}

/// `auth/revocations/<id>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationRecord {
    pub id: String,
    pub revoked_at: String,
    pub by: String,
}

/// `audit/<utc time>-<random>.json`.
#[derive(Debug, Serialize)]
struct AuditObject<'a> {
    at: &'a str,
    action: &'a str,
    actor: &'a str,
    subject: &'a str,
    detail: &'a serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthStoreError {
    #[error(transparent)]
    Scope(#[from] ScopeError),
    #[error("the description must say what the token is for")]
    NoDescription,
    #[error(transparent)]
    BadId(#[from] BadTokenId),
    #[error("no token `{0}`: see `modreg token list`")]
    UnknownToken(TokenId),
    #[error("the blob store failed")]
    Storage(#[from] StorageError),
    #[error("the index failed")]
    Index(#[from] IndexError),
    #[error("`{key}` is unreadable: {message}; restore it from bucket versioning")]
    BadRecord { key: String, message: String },
}

/// What `revoke_token` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    Now,
    /// Revoked before, at this time; nothing changed.
    Already(String),
}

/// Creates a token in the store (and in `index`, this process's cache, when there is one),
/// audits it, and returns its id and secret; the secret exists nowhere else afterwards.
pub async fn create_token<'a>(
    store: &dyn BlobStore,
    index: Option<&Index>,
    scopes: impl IntoIterator<Item = &'a str>,
    description: &str,
    actor: &str,
) -> Result<(TokenId, String), AuthStoreError> {
    let scopes: Vec<String> = parse_scopes(scopes)?
        .iter()
        .map(ToString::to_string)
        .collect();
    if description.trim().is_empty() {
        return Err(AuthStoreError::NoDescription);
    }
    let token = generate_token();
    let id = TokenId::parse(&token.id)?;
    let record = TokenRecord {
        id: token.id,
        hash: token.hash,
        scopes: scopes.clone(),
        description: description.to_owned(),
        created_at: now_rfc3339(),
    };
    put_record(store, &BlobKey::token(&id), &record).await?;
    if let Some(index) = index {
        let (index, row) = (index.clone(), row_of(record, None));
        blocking(move || index.import_token(&row)).await?;
    }
    record_audit(
        store,
        index,
        AuditEvent {
            action: "token.create".into(),
            actor: actor.to_owned(),
            subject: id.to_string(),
            detail: serde_json::json!({ "scopes": scopes, "description": description }),
        },
    )
    .await;
    Ok((id, token.secret))
}

/// Revokes the token `id` for every process that reads the store (and at once in `index`).
pub async fn revoke_token(
    store: &dyn BlobStore,
    index: Option<&Index>,
    id: &str,
    actor: &str,
) -> Result<Revoked, AuthStoreError> {
    let id = TokenId::parse(id)?;
    if store.get(&BlobKey::token(&id)).await?.is_none() {
        return Err(AuthStoreError::UnknownToken(id));
    }
    let record = RevocationRecord {
        id: id.to_string(),
        revoked_at: now_rfc3339(),
        by: actor.to_owned(),
    };
    let outcome = match put_record(store, &BlobKey::revocation(&id), &record).await? {
        PutOutcome::Created => Revoked::Now,
        PutOutcome::AlreadyExists => {
            let earlier: RevocationRecord = read_record(store, &BlobKey::revocation(&id))
                .await?
                .unwrap_or(record);
            Revoked::Already(earlier.revoked_at)
        }
    };
    if let Some(index) = index {
        apply_token(store, index, &id).await?;
    }
    if outcome == Revoked::Now {
        let event = AuditEvent {
            action: "token.revoke".into(),
            actor: actor.to_owned(),
            subject: id.to_string(),
            detail: serde_json::json!({}),
        };
        record_audit(store, index, event).await;
    }
    Ok(outcome)
}

/// Every token the store holds, oldest first, with its revocation time.
pub async fn list_tokens(store: &dyn BlobStore) -> Result<Vec<TokenRow>, AuthStoreError> {
    let revoked = revoked_ids(store).await?;
    let mut rows = Vec::new();
    for key in store.list_after(BlobPrefix::TOKENS, None).await? {
        let Some(record) = read_record::<TokenRecord>(store, &key).await? else {
            continue;
        };
        let revocation = match TokenId::parse(&record.id) {
            Ok(id) if revoked.contains(&id) => {
                read_record::<RevocationRecord>(store, &BlobKey::revocation(&id)).await?
            }
            _ => None,
        };
        rows.push(row_of(record, revocation.map(|r| r.revoked_at)));
    }
    rows.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    Ok(rows)
}

/// Copies the token `id` from the store into `index`, with its revocation if there is one.
/// Returns false when the store has no such token (yet).
pub async fn apply_token(
    store: &dyn BlobStore,
    index: &Index,
    id: &TokenId,
) -> Result<bool, AuthStoreError> {
    let Some(record) = read_record::<TokenRecord>(store, &BlobKey::token(id)).await? else {
        return Ok(false);
    };
    let revocation = read_record::<RevocationRecord>(store, &BlobKey::revocation(id)).await?;
    let (index, row) = (index.clone(), row_of(record, None));
    blocking(move || -> Result<(), IndexError> {
        index.import_token(&row)?;
        if let Some(revocation) = revocation {
            index.revoke_token(&row.id, &revocation.revoked_at)?;
        }
        Ok(())
    })
    .await?;
    Ok(true)
}

/// What [`load`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Tokens or revocations found only in the index (made before tokens moved to the store)
    /// and written to the store.
    pub migrated: usize,
    /// Tokens copied from the store into the index, or whose revocation was.
    pub imported: usize,
}

/// Brings the index and the store to the same tokens at start: the index's tokens and
/// revocations the store lacks are written to it (once: afterwards the store has them), then
/// the store's tokens and revocations the index lacks are copied into it.
pub async fn load(store: &dyn BlobStore, index: &Index) -> Result<Loaded, AuthStoreError> {
    let stored = ids_under(store, BlobPrefix::TOKENS).await?;
    let revoked = revoked_ids(store).await?;
    let listed = index.clone();
    let local = blocking(move || listed.list_tokens()).await?;
    let mut loaded = Loaded::default();
    let mut indexed = BTreeSet::new();
    let mut indexed_revoked = BTreeSet::new();
    for row in local {
        let Ok(id) = TokenId::parse(&row.id) else {
            tracing::warn!(id = row.id, "a token in the index has an id the store cannot hold; it stays local to this replica");
            continue;
        };
        if !stored.contains(&id) {
            let record = TokenRecord {
                id: row.id.clone(),
                hash: row.hash.clone(),
                scopes: row.scopes.clone(),
                description: row.description.clone(),
                created_at: row.created_at.clone(),
            };
            put_record(store, &BlobKey::token(&id), &record).await?;
            loaded.migrated += 1;
        }
        if let (Some(at), false) = (&row.revoked_at, revoked.contains(&id)) {
            let record = RevocationRecord {
                id: row.id.clone(),
                revoked_at: at.clone(),
                by: "migration".into(),
            };
            put_record(store, &BlobKey::revocation(&id), &record).await?;
            loaded.migrated += 1;
        }
        if row.revoked_at.is_some() {
            indexed_revoked.insert(id.clone());
        }
        indexed.insert(id);
    }
    for id in &stored {
        let missing = !indexed.contains(id);
        let newly_revoked = revoked.contains(id) && !indexed_revoked.contains(id);
        if (missing || newly_revoked) && apply_token(store, index, id).await? {
            loaded.imported += 1;
        }
    }
    Ok(loaded)
}

/// Appends `event` to the audit log in the store (and to `index`'s, when there is one). A
/// failure is logged, never fails the change it records.
pub async fn record_audit(store: &dyn BlobStore, index: Option<&Index>, event: AuditEvent) {
    let at = now_rfc3339();
    let object = AuditObject {
        at: &at,
        action: &event.action,
        actor: &event.actor,
        subject: &event.subject,
        detail: &event.detail,
    };
    let body = serde_json::to_vec(&object).expect("an audit event serializes");
    let key = BlobKey::new_audit(time::OffsetDateTime::now_utc());
    if let Err(e) = store.put_new(&key, Bytes::from(body)).await {
        tracing::error!(error = %crate::telemetry::error_chain(&e), action = event.action, "could not write an audit event to the blob store");
    }
    if let Some(index) = index {
        let index = index.clone();
        if let Err(e) = blocking(move || index.append_audit(&event)).await {
            tracing::error!(error = %e, "could not write an audit record to the index");
        }
    }
}

fn row_of(record: TokenRecord, revoked_at: Option<String>) -> TokenRow {
    TokenRow {
        id: record.id,
        hash: record.hash,
        scopes: record.scopes,
        description: record.description,
        created_at: record.created_at,
        last_used_at: None,
        revoked_at,
    }
}

async fn ids_under(
    store: &dyn BlobStore,
    prefix: BlobPrefix,
) -> Result<BTreeSet<TokenId>, StorageError> {
    Ok(store
        .list_after(prefix, None)
        .await?
        .iter()
        .filter_map(|k| BlobKey::parse_token_key(k.as_str()))
        .collect())
}

async fn revoked_ids(store: &dyn BlobStore) -> Result<BTreeSet<TokenId>, StorageError> {
    ids_under(store, BlobPrefix::REVOCATIONS).await
}

async fn put_record<T: Serialize>(
    store: &dyn BlobStore,
    key: &BlobKey,
    record: &T,
) -> Result<PutOutcome, StorageError> {
    let body = serde_json::to_vec_pretty(record).expect("an auth record serializes");
    store.put_new(key, Bytes::from(body)).await
}

async fn read_record<T: serde::de::DeserializeOwned>(
    store: &dyn BlobStore,
    key: &BlobKey,
) -> Result<Option<T>, AuthStoreError> {
    let Some(bytes) = store.get(key).await? else {
        return Ok(None);
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| AuthStoreError::BadRecord {
            key: key.to_string(),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    fn old_row(id: &str, hash: &str, revoked_at: Option<&str>) -> TokenRow {
        TokenRow {
            id: id.into(),
            hash: hash.into(),
            scopes: vec!["read".into()],
            description: format!("made before tokens moved to the store: {id}"),
            created_at: "2026-01-01T00:00:00Z".into(),
            last_used_at: None,
            revoked_at: revoked_at.map(str::to_owned),
        }
    }

    #[tokio::test]
    async fn tokens_only_in_an_old_index_move_into_the_store_once_with_their_revocations() {
        let dir = tempfile::tempdir().unwrap();
        let old = Index::open(&dir.path().join("old.sqlite3")).unwrap();
        old.insert_token(&old_row("tok_live", "aa", None)).unwrap();
        old.insert_token(&old_row("tok_gone", "bb", Some("2026-02-01T00:00:00Z")))
            .unwrap();
        let store = MemoryStore::new();
        let loaded = load(&store, &old).await.unwrap();
        assert_eq!(
            loaded,
            Loaded {
                migrated: 3,
                imported: 0
            }
        );
        assert_eq!(
            load(&store, &old).await.unwrap(),
            Loaded::default(),
            "not idempotent"
        );

        let listed = list_tokens(&store).await.unwrap();
        let states: Vec<(&str, Option<&str>)> = listed
            .iter()
            .map(|t| (t.id.as_str(), t.revoked_at.as_deref()))
            .collect();
        assert_eq!(
            states,
            [
                ("tok_gone", Some("2026-02-01T00:00:00Z")),
                ("tok_live", None)
            ]
        );
        // A new replica's empty index is filled from the store.
        let fresh = Index::open(&dir.path().join("fresh.sqlite3")).unwrap();
        assert_eq!(
            load(&store, &fresh).await.unwrap(),
            Loaded {
                migrated: 0,
                imported: 2
            }
        );
        assert!(fresh
            .token_by_hash("bb")
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some());
        assert!(fresh
            .token_by_hash("aa")
            .unwrap()
            .unwrap()
            .revoked_at
            .is_none());
    }

    #[tokio::test]
    async fn a_revocation_in_the_store_reaches_an_index_that_still_accepts_the_token() {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open(&dir.path().join("i.sqlite3")).unwrap();
        let store = MemoryStore::new();
        let (id, secret) = create_token(&store, Some(&index), ["read"], "ci", "test")
            .await
            .unwrap();
        // Revoked by `modreg token revoke` against the store while this replica was down.
        assert_eq!(
            revoke_token(&store, None, id.as_str(), "cli")
                .await
                .unwrap(),
            Revoked::Now
        );
        let hash = crate::auth::hash_token(&secret);
        assert!(index
            .token_by_hash(&hash)
            .unwrap()
            .unwrap()
            .revoked_at
            .is_none());
        assert_eq!(
            load(&store, &index).await.unwrap(),
            Loaded {
                migrated: 0,
                imported: 1
            }
        );
        assert!(index
            .token_by_hash(&hash)
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some());
    }

    #[tokio::test]
    async fn revoking_an_unknown_token_says_so_and_revoking_twice_keeps_the_first_time() {
        let store = MemoryStore::new();
        let unknown = revoke_token(&store, None, "tok_nope", "cli")
            .await
            .unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "no token `tok_nope`: see `modreg token list`"
        );
        let bad = revoke_token(&store, None, "../../etc", "cli")
            .await
            .unwrap_err();
        assert!(matches!(bad, AuthStoreError::BadId(_)), "{bad}");
        let (id, _) = create_token(&store, None, ["admin"], "ops", "test")
            .await
            .unwrap();
        revoke_token(&store, None, id.as_str(), "cli")
            .await
            .unwrap();
        let first = list_tokens(&store).await.unwrap()[0]
            .revoked_at
            .clone()
            .unwrap();
        let again = revoke_token(&store, None, id.as_str(), "cli")
            .await
            .unwrap();
        assert_eq!(again, Revoked::Already(first));
    }
}
