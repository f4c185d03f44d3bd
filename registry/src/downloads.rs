//! Download counts: counted in memory on the hot path, written to the index in batches, so a
//! download never waits for a SQLite write. At most one flush interval of counts is lost if
//! the process dies.

use std::collections::HashMap;
use std::sync::Mutex;

use semver::Version;

use crate::address::ModuleAddress;
use crate::index::{Index, IndexError};
use crate::telemetry::blocking;

#[derive(Default)]
pub struct DownloadCounter {
    pending: Mutex<HashMap<(ModuleAddress, Version), u64>>,
}

impl DownloadCounter {
    pub fn add(&self, addr: &ModuleAddress, version: &Version) {
        *self
            .pending
            .lock()
            .expect("download counter lock")
            .entry((addr.clone(), version.clone()))
            .or_default() += 1;
    }

    /// Writes everything counted so far; on failure the counts are kept for the next flush.
    pub async fn flush(&self, index: &Index) -> Result<(), IndexError> {
        let batch: Vec<_> =
            std::mem::take(&mut *self.pending.lock().expect("download counter lock"))
                .into_iter()
                .map(|((a, v), n)| (a, v, n))
                .collect();
        if batch.is_empty() {
            return Ok(());
        }
        let index = index.clone();
        let (result, batch) = blocking(move || (index.add_downloads(&batch), batch)).await;
        if result.is_err() {
            let mut pending = self.pending.lock().expect("download counter lock");
            for (a, v, n) in batch {
                *pending.entry((a, v)).or_default() += n;
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn counts_are_batched_into_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open(&dir.path().join("i.sqlite3")).unwrap();
        index.seed_synthetic(1, 2).unwrap();
        let addr = ModuleAddress::parse("bench0", "module-000000", "aws").unwrap();
        let counter = DownloadCounter::default();
        for _ in 0..3 {
            counter.add(&addr, &Version::new(1, 1, 0));
        }
        counter.flush(&index).await.unwrap();
        counter.flush(&index).await.unwrap();
        let row = index
            .release(&addr, &Version::new(1, 1, 0))
            .unwrap()
            .unwrap();
        assert_eq!(row.downloads, 3);
    }
}
