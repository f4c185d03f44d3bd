//! The SQLite catalogue: every read path is answered from it.
//!
//! The blob store is the source of truth; this index is a rebuildable, query-shaped copy of
//! its manifests plus the state that lives only here (tokens, audit log, download counts).
//! [`Index`] is a concrete type tested against real SQLite files. Its methods block: async
//! callers run them in `spawn_blocking` / `web::block`.
//!
//! Connections: one writer behind a mutex (SQLite admits one writer at a time anyway, and
//! serialising in-process avoids busy retries), a small pool of read-only connections that run
//! in parallel thanks to WAL, and one idle "watcher" connection whose `PRAGMA data_version`
//! reveals commits made by any other connection, in this process or another.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

mod audit;
mod describe;
mod modules;
mod rebuild;
mod releases;
mod schema;
mod tokens;
mod version_key;

#[cfg(test)]
mod tests;

pub use audit::{AuditEvent, AuditRecord};
pub use describe::description as describe_readme;
pub use modules::{Facets, IndexStats, ModulePage, ModuleQuery, ModuleSummary};
pub use rebuild::StoredRelease;
pub use releases::{InsertOutcome, ReleaseRow};
pub use tokens::TokenRow;

/// How long a statement waits for another process's write lock before failing. `modreg
/// reindex` holds it for one transaction; a few seconds covers that without hanging requests.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Idle read connections kept open; more are opened under load and closed when returned.
const MAX_IDLE_READERS: usize = 8;

/// An index failure. The message names what failed; the SQLite cause is in `source`.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("cannot open the index database {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "the index database {} has schema version {found}, newer than the {supported} this \
         modreg understands: run a newer modreg, or rebuild the index into a new file with \
         `modreg reindex`",
        path.display()
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("cannot migrate the index database {} to schema version {version}", path.display())]
    Migrate {
        path: PathBuf,
        version: i64,
        #[source]
        source: rusqlite::Error,
    },
    #[error("index {op} failed")]
    Query {
        op: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "version {version} has a number larger than the index can store ({})",
        i64::MAX
    )]
    VersionTooLarge { version: semver::Version },
}

impl From<rusqlite::Error> for IndexError {
    fn from(source: rusqlite::Error) -> Self {
        Self::Query {
            op: "query",
            source,
        }
    }
}

impl IndexError {
    /// Names the public operation a low-level failure happened in, for the log line.
    fn during(self, op: &'static str) -> Self {
        match self {
            Self::Query { source, .. } => Self::Query { op, source },
            other => other,
        }
    }
}

/// The catalogue. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Index {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    watcher: Mutex<Connection>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl Index {
    /// Opens (creating if needed) the index at `path` and brings its schema up to date.
    /// Opening never scans tables, so startup stays fast however many releases there are.
    pub fn open(path: &Path) -> Result<Index, IndexError> {
        let open_error = |source| IndexError::Open {
            path: path.to_owned(),
            source,
        };
        let mut writer = connect(path, false).map_err(open_error)?;
        // WAL lets readers proceed while a write commits; NORMAL sync is durable against
        // process crashes, and the blob store (the source of truth) covers power loss.
        let journal_mode = enable_wal(&writer).map_err(open_error)?;
        if !journal_mode.eq_ignore_ascii_case("wal") {
            // Some network filesystems cannot share WAL memory; SQLite then falls back
            // silently. It still works, but readers block behind writers: say so once.
            tracing::warn!(
                path = %path.display(),
                journal_mode,
                "index database is not in WAL mode; reads will wait for writes"
            );
        }
        writer
            .pragma_update(None, "synchronous", "normal")
            .map_err(open_error)?;
        schema::migrate(&mut writer, path)?;
        let watcher = connect(path, true).map_err(open_error)?;
        Ok(Index {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                watcher: Mutex::new(watcher),
            }),
        })
    }

    /// The database file this index was opened from.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// A cheap number that changes whenever any connection, in any process, commits. Poll it
    /// to refresh caches, e.g. after `modreg token revoke` ran in another process. Every
    /// write moves it, download counts included, so keep what a refresh reloads cheap.
    pub fn data_version(&self) -> Result<i64, IndexError> {
        // The watcher never writes, so every commit (ours included) is "another connection's"
        // to it, and `data_version` moves. No in-process counter is needed on top.
        let watcher = lock(&self.inner.watcher);
        watcher
            .pragma_query_value(None, "data_version", |row| row.get(0))
            .map_err(|e| IndexError::from(e).during("data_version"))
    }

    /// A number that changes whenever releases, deprecations or tokens change, in any process
    /// (download counts do not move it): what caches in front of the index watch.
    pub fn catalog_version(&self) -> Result<i64, IndexError> {
        self.read("catalog_version", |conn| {
            Ok(conn.query_row("SELECT n FROM catalog_version", [], |row| row.get(0))?)
        })
    }

    /// Runs `work` on a pooled read-only connection.
    fn read<T>(
        &self,
        op: &'static str,
        work: impl FnOnce(&Connection) -> Result<T, IndexError>,
    ) -> Result<T, IndexError> {
        let pooled = lock(&self.inner.readers).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => connect(&self.inner.path, true).map_err(|e| IndexError::from(e).during(op))?,
        };
        let result = work(&conn).map_err(|e| e.during(op));
        let mut idle = lock(&self.inner.readers);
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        result
    }

    /// Runs `work` in one write transaction, committed only if `work` succeeds.
    fn write<T>(
        &self,
        op: &'static str,
        work: impl FnOnce(&Transaction<'_>) -> Result<T, IndexError>,
    ) -> Result<T, IndexError> {
        let mut conn = lock(&self.inner.writer);
        // IMMEDIATE takes the write lock up front, so a read-then-write transaction cannot
        // fail half-way with SQLITE_BUSY when another process writes concurrently.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| IndexError::from(e).during(op))?;
        let value = work(&tx).map_err(|e| e.during(op))?;
        tx.commit().map_err(|e| IndexError::from(e).during(op))?;
        Ok(value)
    }
}

/// Opens one connection with the settings every connection needs.
/// Switches a new database to WAL and returns the journal mode in force. Several processes
/// opening a new file at once can each hold a read lock while asking for the write lock the
/// switch needs; SQLite then answers `SQLITE_BUSY` at once instead of waiting (waiting could
/// deadlock), so the switch is retried within the usual busy timeout.
fn enable_wal(conn: &Connection) -> rusqlite::Result<String> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

fn connect(path: &Path, read_only: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    if read_only {
        // Opened read-write so WAL's shared-memory file can be maintained, but guarded so a
        // bug in a read path can never write.
        conn.pragma_update(None, "query_only", true)?;
    }
    Ok(conn)
}

/// Locks a connection slot. A panic while holding it leaves the connection usable (an open
/// transaction is rolled back when its guard drops), so poisoning is not an error here.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Now, as RFC 3339 UTC, the format of every timestamp in the index.
fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("formatting the current UTC time as RFC 3339 cannot fail")
}
