//! The audit log: every publish, deprecation and token change, append-only.

use rusqlite::params;
use rusqlite::types::Type;

use super::{now_rfc3339, Index, IndexError};

/// Something that happened, as the caller describes it; the index adds id and time.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// `publish`, `deprecate`, `token.create`, `token.revoke`, ...
    pub action: String,
    /// Who did it: a token description, `git-watch`, `cli`.
    pub actor: String,
    /// What it was done to: `platform/vpc/aws/1.2.0`, a token id.
    pub subject: String,
    pub detail: serde_json::Value,
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub action: String,
    pub actor: String,
    pub subject: String,
    pub detail: serde_json::Value,
}

impl Index {
    /// Appends an event, stamped with the current time.
    pub fn append_audit(&self, event: &AuditEvent) -> Result<(), IndexError> {
        let at = now_rfc3339();
        let detail = event.detail.to_string();
        self.write("append_audit", |tx| {
            tx.prepare_cached(
                "INSERT INTO audit (at, action, actor, subject, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                at,
                event.action,
                event.actor,
                event.subject,
                detail
            ])?;
            Ok(())
        })
    }

    /// The most recent `limit` events, newest first.
    pub fn list_audit(&self, limit: u32) -> Result<Vec<AuditRecord>, IndexError> {
        self.read("list_audit", |conn| {
            let records = conn
                .prepare_cached(
                    "SELECT id, at, action, actor, subject, detail FROM audit
                     ORDER BY id DESC LIMIT ?1",
                )?
                .query_map([limit], |row| {
                    let detail: String = row.get(5)?;
                    let detail = serde_json::from_str(&detail).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(5, Type::Text, Box::new(e))
                    })?;
                    Ok(AuditRecord {
                        id: row.get(0)?,
                        at: row.get(1)?,
                        action: row.get(2)?,
                        actor: row.get(3)?,
                        subject: row.get(4)?,
                        detail,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(records)
        })
    }
}
