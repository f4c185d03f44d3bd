//! Replica sync: follows the blob store's change log (`storage::Journaled`) and applies each
//! new change to this process's index, so releases, deprecations and tokens written through
//! any replica or `modreg token` are served here within `sync_secs`, without listing the store.
//!
//! Each round lists `changes/` after a cursor (one `ListObjectsV2` with `StartAfter` on S3),
//! skips the entries it already took, and reads only the new ones and the objects they name.
//! The cursor is the start of the last successful round minus [`SKEW_WINDOW`], so an entry
//! stamped by a writer whose clock runs behind ours is still seen, and a round that failed is
//! repeated from where the last good one began. Applying is idempotent: a release already
//! indexed is a no-op, a deprecation or token is re-read in its current state. An entry whose
//! object does not exist yet (written just before its commit) is retried for
//! [`PENDING_LIMIT`], then dropped: that commit never happened.
//!
//! The position survives restarts in `<data_dir>/sync-cursor`, so a replica that restarts on
//! its old index also applies what changed while it was down (a deprecation of a release it
//! already had, which the start-up catch-up of missing releases would not see).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use crate::auth_store::{self, AuthStoreError};
use crate::catalog::Catalog;
use crate::deprecation_log::{self, DeprecationLogError};
use crate::index::{Index, IndexError};
use crate::metrics::Metrics;
use crate::readiness::Readiness;
use crate::reindex::{self, ReindexError};
use crate::storage::{BlobKey, BlobPrefix, BlobStore, Change, ChangeEntry, StorageError};
use crate::telemetry::blocking;

/// How far behind our clock another writer's clock may be and its changes still be seen.
pub const SKEW_WINDOW: Duration = Duration::from_secs(120);
/// How long an entry naming an object that does not exist yet is retried.
pub const PENDING_LIMIT: Duration = Duration::from_secs(120);
/// The saved position is rewritten at most this often: an older one only re-reads more.
const SAVE_EVERY: Duration = Duration::from_secs(60);
/// Past this age a saved position may point before entries the bucket's lifecycle rule
/// (7 days, docs/storage.md) has expired.
const CHANGE_LOG_KEPT: Duration = Duration::from_secs(6 * 24 * 3600);

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("cannot read the change log or what it names")]
    Storage(#[from] StorageError),
    #[error("cannot write the index")]
    Index(#[from] IndexError),
}

/// Runs a round every `every` for as long as the process runs: drops the cached answers after
/// a round that applied anything (the index watcher refreshes the gauges within a second),
/// and reports each round in `/readyz` and `/metrics`.
pub async fn follow(
    mut follower: Follower,
    every: Duration,
    catalog: Arc<Catalog>,
    readiness: Arc<Readiness>,
    metrics: Arc<Metrics>,
) {
    use std::sync::atomic::Ordering::Relaxed;
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        tick.tick().await;
        match follower.round().await {
            Ok(round) => {
                if round.applied > 0 {
                    catalog.invalidate();
                    let applied = u64::try_from(round.applied).unwrap_or(u64::MAX);
                    metrics.sync_changes_applied.fetch_add(applied, Relaxed);
                }
                if failing {
                    tracing::info!("replica sync recovered");
                    failing = false;
                }
                readiness.sync_succeeded(round.lag);
                let now = OffsetDateTime::now_utc().unix_timestamp();
                let now = u64::try_from(now).unwrap_or_default();
                metrics.sync_last_success.store(now, Relaxed);
            }
            Err(e) => {
                let reason = crate::telemetry::error_chain(&e);
                if !failing {
                    tracing::warn!(error = %reason, "replica sync failed; retrying every sync_secs");
                    failing = true;
                }
                readiness.sync_failed(reason);
                metrics.sync_failures.fetch_add(1, Relaxed);
            }
        }
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Round {
    /// Changes that altered or confirmed the index this round.
    pub applied: usize,
    /// The longest delay, this round, between a change's entry being written (by its writer's
    /// clock) and this replica applying it.
    pub lag: Option<Duration>,
}

/// One replica's position in the change log.
pub struct Follower {
    store: Arc<dyn BlobStore>,
    index: Index,
    /// When the last successful round started (our clock); the next lists from here minus
    /// the skew window.
    since: OffsetDateTime,
    /// Entries already taken that the next listing may return again.
    seen: BTreeSet<BlobKey>,
    /// Changes whose object was not there yet: first seen when, and the entry's time.
    pending: BTreeMap<BlobKey, Pending>,
    cursor_file: PathBuf,
    saved: OffsetDateTime,
}

struct Pending {
    change: Change,
    first_tried: Instant,
    written: Option<OffsetDateTime>,
}

enum Applied {
    Done,
    NotYet,
}

impl Follower {
    /// A follower that applies every change written from its saved position in
    /// `cursor_file` on, or from now when there is none: call it before the start-up
    /// catch-up lists the store, so nothing falls between the two.
    pub fn resume(store: Arc<dyn BlobStore>, index: Index, cursor_file: PathBuf) -> Self {
        let now = OffsetDateTime::now_utc();
        let saved = read_cursor(&cursor_file);
        let since = saved.map_or(now, |saved| saved.min(now));
        if now - since > CHANGE_LOG_KEPT {
            tracing::warn!(since = %since, "this index was last synced more than 6 days ago: changes the change log no longer holds (deprecations of releases it already has) are missing; run `modreg reindex` to be sure");
        }
        Self {
            store,
            index,
            since,
            seen: BTreeSet::new(),
            pending: BTreeMap::new(),
            cursor_file,
            // Nothing saved yet: save after the first good round.
            saved: saved.map_or(OffsetDateTime::UNIX_EPOCH, |_| since),
        }
    }

    async fn save(&mut self) {
        if self.since - self.saved < SAVE_EVERY {
            return;
        }
        let (path, since) = (self.cursor_file.clone(), self.since);
        match blocking(move || write_cursor(&path, since)).await {
            Ok(()) => self.saved = since,
            Err(e) => {
                tracing::warn!(path = %self.cursor_file.display(), error = %e, "cannot save the replica sync position; a restart re-reads more of the change log");
            }
        }
    }

    /// Lists the new entries, applies them and any still pending; on error the next round
    /// repeats what this one could not finish.
    pub async fn round(&mut self) -> Result<Round, SyncError> {
        let started = OffsetDateTime::now_utc();
        let cursor = BlobKey::change_cursor(self.since - SKEW_WINDOW);
        let listed = self
            .store
            .list_after(BlobPrefix::CHANGES, Some(&cursor))
            .await?;
        for key in listed {
            if self.seen.contains(&key) || self.pending.contains_key(&key) {
                continue;
            }
            let change = match self.store.get(&key).await? {
                Some(body) => match serde_json::from_slice::<ChangeEntry>(&body) {
                    Ok(entry) => Change::of(&entry.key),
                    Err(e) => {
                        tracing::warn!(entry = %key, error = %e, "skipping an unreadable change-log entry");
                        None
                    }
                },
                None => None, // expired by a lifecycle rule between list and read
            };
            if let Some(change) = change {
                let pending = Pending {
                    change,
                    first_tried: Instant::now(),
                    written: key.change_time(),
                };
                self.pending.insert(key.clone(), pending);
            }
            self.seen.insert(key);
        }

        let mut round = Round::default();
        let keys: Vec<BlobKey> = self.pending.keys().cloned().collect();
        for key in keys {
            let pending = &self.pending[&key];
            match self.apply(&pending.change).await {
                Ok(Applied::Done) => {
                    round.applied += 1;
                    if let Some(written) = pending.written {
                        let lag = (OffsetDateTime::now_utc() - written)
                            .try_into()
                            .unwrap_or(Duration::ZERO);
                        round.lag = Some(round.lag.map_or(lag, |l: Duration| l.max(lag)));
                    }
                    self.pending.remove(&key);
                }
                Ok(Applied::NotYet) if pending.first_tried.elapsed() >= PENDING_LIMIT => {
                    tracing::warn!(entry = %key, change = ?pending.change, "a change-log entry names an object that never appeared: its write did not complete; dropped");
                    self.pending.remove(&key);
                }
                Ok(Applied::NotYet) => {}
                Err(Fault::Bad(reason)) => {
                    tracing::warn!(entry = %key, reason, "skipping a change whose object is unreadable");
                    self.pending.remove(&key);
                }
                Err(Fault::Sync(e)) => return Err(e),
            }
        }
        self.since = started;
        let keep_from = BlobKey::change_cursor(self.since - SKEW_WINDOW);
        self.seen = self.seen.split_off(&keep_from);
        self.save().await;
        Ok(round)
    }

    async fn apply(&self, change: &Change) -> Result<Applied, Fault> {
        match change {
            Change::Release(addr, version) => {
                if self.indexed(addr, version).await? {
                    return Ok(Applied::Done);
                }
                let key = BlobKey::manifest(addr, version);
                let Some(release) = reindex::read_manifest(self.store.as_ref(), key).await? else {
                    return Ok(Applied::NotYet);
                };
                let index = self.index.clone();
                blocking(move || index.add_releases([release])).await?;
                tracing::info!(module = %addr, %version, "release published elsewhere indexed");
                Ok(Applied::Done)
            }
            Change::Deprecation(addr, version, generation) => {
                let named = BlobKey::deprecation(addr, version, *generation);
                if !self.indexed(addr, version).await? || self.store.get(&named).await?.is_none() {
                    return Ok(Applied::NotYet);
                }
                let (deprecation, _) =
                    deprecation_log::read(self.store.as_ref(), addr, version).await?;
                let (index, a, v) = (self.index.clone(), addr.clone(), version.clone());
                blocking(move || index.set_deprecation(&a, &v, deprecation.as_ref())).await?;
                Ok(Applied::Done)
            }
            Change::Token(id) => {
                match auth_store::apply_token(self.store.as_ref(), &self.index, id).await? {
                    true => Ok(Applied::Done),
                    false => Ok(Applied::NotYet),
                }
            }
        }
    }

    async fn indexed(
        &self,
        addr: &crate::address::ModuleAddress,
        version: &semver::Version,
    ) -> Result<bool, SyncError> {
        let (index, a, v) = (self.index.clone(), addr.clone(), version.clone());
        Ok(blocking(move || index.release(&a, &v)).await?.is_some())
    }
}

fn read_cursor(path: &Path) -> Option<OffsetDateTime> {
    let text = std::fs::read_to_string(path).ok()?;
    OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).ok()
}

/// Written beside and renamed over the old one, so a crash leaves one or the other.
fn write_cursor(path: &Path, since: OffsetDateTime) -> std::io::Result<()> {
    let text = since
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(std::io::Error::other)?;
    let temp = path.with_extension("tmp");
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path)
}

/// Why a change could not be applied: the round fails (and is repeated), or the one change
/// is unreadable and skipped so that it cannot stall the log.
enum Fault {
    Sync(SyncError),
    Bad(String),
}

impl From<SyncError> for Fault {
    fn from(e: SyncError) -> Self {
        Fault::Sync(e)
    }
}

impl From<StorageError> for Fault {
    fn from(e: StorageError) -> Self {
        Fault::Sync(e.into())
    }
}

impl From<IndexError> for Fault {
    fn from(e: IndexError) -> Self {
        Fault::Sync(e.into())
    }
}

impl From<ReindexError> for Fault {
    fn from(e: ReindexError) -> Self {
        match e {
            ReindexError::Storage(e) => e.into(),
            ReindexError::Index(e) => e.into(),
            ReindexError::BadManifest { key, message } => Fault::Bad(format!("{key}: {message}")),
        }
    }
}

impl From<DeprecationLogError> for Fault {
    fn from(e: DeprecationLogError) -> Self {
        match e {
            DeprecationLogError::Storage(e) => e.into(),
            other => Fault::Bad(crate::telemetry::error_chain(&other)),
        }
    }
}

impl From<AuthStoreError> for Fault {
    fn from(e: AuthStoreError) -> Self {
        match e {
            AuthStoreError::Storage(e) => e.into(),
            AuthStoreError::Index(e) => e.into(),
            other => Fault::Bad(crate::telemetry::error_chain(&other)),
        }
    }
}

#[cfg(test)]
mod tests;
