//! API tokens, stored only as hashes. Checking a token's scopes and revocation is the
//! caller's job; the index only keeps the rows. The blob store holds the shared records
//! (`auth_store.rs`); these rows are each process's cache of them, plus the per-process
//! `last_used_at`.

use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension, Row};

use super::{Index, IndexError};

/// One token. The secret itself is never stored: `hash` is its hex sha256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: String,
    pub hash: String,
    /// `read`, `publish:<namespace>`, `admin`.
    pub scopes: Vec<String>,
    pub description: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

const COLUMNS: &str = "id, hash, scopes, description, created_at, last_used_at, revoked_at";

impl Index {
    /// Stores a new token; an existing id or hash is an error.
    pub fn insert_token(&self, token: &TokenRow) -> Result<(), IndexError> {
        let scopes = serde_json::to_string(&token.scopes).expect("strings always serialize");
        self.write("insert_token", |tx| {
            tx.prepare_cached(&format!(
                "INSERT INTO tokens ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ))?
            .execute(params![
                token.id,
                token.hash,
                scopes,
                token.description,
                token.created_at,
                token.last_used_at,
                token.revoked_at,
            ])?;
            Ok(())
        })
    }

    /// Stores a token read from the blob store unless a token with its id or hash is indexed
    /// already; returns whether it was new. Revocation is recorded by [`Index::revoke_token`].
    pub fn import_token(&self, token: &TokenRow) -> Result<bool, IndexError> {
        let scopes = serde_json::to_string(&token.scopes).expect("strings always serialize");
        self.write("import_token", |tx| {
            let added = tx
                .prepare_cached(&format!(
                    "INSERT OR IGNORE INTO tokens ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, NULL, NULL)"
                ))?
                .execute(params![
                    token.id,
                    token.hash,
                    scopes,
                    token.description,
                    token.created_at,
                ])?;
            Ok(added > 0)
        })
    }

    /// The token with this hash, revoked or not: the caller decides what revocation means.
    pub fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>, IndexError> {
        self.read("token_by_hash", |conn| {
            let token = conn
                .prepare_cached(&format!("SELECT {COLUMNS} FROM tokens WHERE hash = ?1"))?
                .query_row([hash], token_row)
                .optional()?;
            Ok(token)
        })
    }

    /// Every token, oldest first.
    pub fn list_tokens(&self) -> Result<Vec<TokenRow>, IndexError> {
        self.read("list_tokens", |conn| {
            let tokens = conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM tokens ORDER BY created_at, id"
                ))?
                .query_map([], token_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(tokens)
        })
    }

    /// Records that a token was revoked at `at` (RFC 3339). Returns false when no token has
    /// this id; revoking twice keeps the first revocation time.
    pub fn revoke_token(&self, id: &str, at: &str) -> Result<bool, IndexError> {
        self.write("revoke_token", |tx| {
            let changed = tx
                .prepare_cached(
                    "UPDATE tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
                )?
                .execute(params![id, at])?;
            Ok(changed > 0)
        })
    }
}

fn token_row(row: &Row<'_>) -> rusqlite::Result<TokenRow> {
    let scopes: String = row.get(2)?;
    let scopes = serde_json::from_str(&scopes)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, Type::Text, Box::new(e)))?;
    Ok(TokenRow {
        id: row.get(0)?,
        hash: row.get(1)?,
        scopes,
        description: row.get(3)?,
        created_at: row.get(4)?,
        last_used_at: row.get(5)?,
        revoked_at: row.get(6)?,
    })
}
