//! The index schema and its migrations, applied in order by `PRAGMA user_version`.
//!
//! Each migration is SQL embedded in the binary and runs once, in a transaction with the
//! version bump, so a crash mid-migration leaves the previous schema intact. Never edit a
//! shipped migration: add the next one.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::IndexError;

const MIGRATIONS: &[&str] = &[
    V1_RELEASES_TOKENS_AUDIT,
    V2_CATALOG_VERSION,
    V3_DEPRECATION_RECORDS,
];

/// The schema version this binary writes and understands.
pub(super) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A counter that moves only when what readers cache changes (releases, deprecations,
/// tokens), unlike `data_version`, which download counts move too. Triggers keep it honest
/// for every writer, including other processes.
const V2_CATALOG_VERSION: &str = "
CREATE TABLE catalog_version (n INTEGER NOT NULL);
INSERT INTO catalog_version (n) VALUES (0);
CREATE TRIGGER catalog_release_insert AFTER INSERT ON releases
    BEGIN UPDATE catalog_version SET n = n + 1; END;
CREATE TRIGGER catalog_release_delete AFTER DELETE ON releases
    BEGIN UPDATE catalog_version SET n = n + 1; END;
CREATE TRIGGER catalog_release_deprecate AFTER UPDATE OF deprecated ON releases
    BEGIN UPDATE catalog_version SET n = n + 1; END;
CREATE TRIGGER catalog_token_insert AFTER INSERT ON tokens
    BEGIN UPDATE catalog_version SET n = n + 1; END;
CREATE TRIGGER catalog_token_update AFTER UPDATE OF revoked_at, scopes ON tokens
    BEGIN UPDATE catalog_version SET n = n + 1; END;
CREATE TRIGGER catalog_token_delete AFTER DELETE ON tokens
    BEGIN UPDATE catalog_version SET n = n + 1; END;
";

/// `releases.deprecated` holds the whole deprecation record (`manifest::Deprecation` as JSON:
/// reason, replacement, at, by) instead of the bare reason text.
const V3_DEPRECATION_RECORDS: &str = "
UPDATE releases
   SET deprecated = json_object('reason', deprecated, 'replacement', NULL,
                                'at', published_at, 'by', '')
 WHERE deprecated IS NOT NULL;
";

const V1_RELEASES_TOKENS_AUDIT: &str = "
CREATE TABLE modules (
    id             INTEGER PRIMARY KEY,
    namespace      TEXT NOT NULL,
    name           TEXT NOT NULL,
    system         TEXT NOT NULL,
    -- A copy of the latest release's summary, refreshed on every insert, so listing 10,000
    -- modules reads one row each instead of ranking all of their releases per request.
    latest_version TEXT NOT NULL,
    description    TEXT NOT NULL,
    published_at   TEXT NOT NULL,
    downloads      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (namespace, name, system)
);
CREATE INDEX modules_by_system ON modules (system, namespace, name);

CREATE TABLE releases (
    id            INTEGER PRIMARY KEY,
    module_id     INTEGER NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    version       TEXT NOT NULL,
    -- Semver precedence as plain columns (see version_key.rs): ORDER BY major, minor, patch,
    -- is_release, pre_key sorts exactly as semver does, pre-releases below their release.
    major         INTEGER NOT NULL,
    minor         INTEGER NOT NULL,
    patch         INTEGER NOT NULL,
    is_release    INTEGER NOT NULL,
    pre_key       TEXT NOT NULL,
    build         TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    publisher     TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    description   TEXT NOT NULL,
    deprecated    TEXT,
    manifest_json TEXT NOT NULL,
    downloads     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (module_id, version)
);
CREATE INDEX releases_by_precedence
    ON releases (module_id, major, minor, patch, is_release, pre_key, build);

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    hash         TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL, -- JSON array of strings
    description  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE audit (
    -- AUTOINCREMENT: ids are never reused, so an id quoted in a report stays unambiguous.
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    action  TEXT NOT NULL,
    actor   TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL -- JSON
);
";

/// Brings the database at `path` (open as `conn`) to [`SCHEMA_VERSION`].
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), IndexError> {
    let open_error = |source| IndexError::Open {
        path: path.to_owned(),
        source,
    };
    let current = user_version(conn).map_err(open_error)?;
    check_not_newer(current, path)?;
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    let migrate_error = |source| IndexError::Migrate {
        path: path.to_owned(),
        version: SCHEMA_VERSION,
        source,
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(migrate_error)?;
    // Another process may have migrated while we waited for the write lock: read again.
    let current = user_version(&tx).map_err(migrate_error)?;
    check_not_newer(current, path)?;
    for (done, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = done as i64 + 1;
        tx.execute_batch(sql)
            .and_then(|()| tx.pragma_update(None, "user_version", version))
            .map_err(|source| IndexError::Migrate {
                path: path.to_owned(),
                version,
                source,
            })?;
    }
    tx.commit().map_err(migrate_error)
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn check_not_newer(found: i64, path: &Path) -> Result<(), IndexError> {
    if found > SCHEMA_VERSION {
        return Err(IndexError::SchemaTooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}
