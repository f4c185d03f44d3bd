//! What `/readyz` shows of each watched source: whether its last round worked, and the tags
//! that need a maintainer (refused by a gate, moved after publishing, not parsable).

use std::time::Duration;

use serde::Serialize;

use crate::git_tags::ReleaseTag;

/// Each list keeps the most recent entries only.
const MAX_LISTED: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceStatus {
    pub name: String,
    /// `starting` until the first round ends, then `ok` or `failing`.
    pub state: &'static str,
    /// Rounds finished since start (successful or not).
    pub rounds: u64,
    /// RFC 3339 time of the last successful round.
    pub last_success_at: Option<String>,
    /// Duration of the last successful round (fetch included), in milliseconds.
    pub last_round_ms: Option<u64>,
    /// Tags settled so far (published, already there, refused or not releases).
    pub tags: usize,
    pub consecutive_failures: u32,
    pub last_error: Option<String>,
    pub retry_in_secs: Option<u64>,
    /// Release tags a gate refused, with the reason; tagging a new version fixes them.
    pub refused: Vec<RefusedTag>,
    /// Release tags that point somewhere else than their published release.
    pub moved: Vec<MovedTag>,
    /// Tags that look like releases but are not (bad semver or module name).
    pub skipped: Vec<SkippedTag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedTag {
    pub tag: String,
    pub commit: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedTag {
    pub tag: String,
    pub published_commit: String,
    pub tag_commit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedTag {
    pub tag: String,
    pub reason: String,
}

/// Replaces the entry for the same tag, keeps the list bounded.
fn upsert<T>(list: &mut Vec<T>, tag: &str, tag_of: impl Fn(&T) -> &str, entry: T) {
    list.retain(|e| tag_of(e) != tag);
    if list.len() >= MAX_LISTED {
        list.remove(0);
    }
    list.push(entry);
}

impl SourceStatus {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            state: "starting",
            rounds: 0,
            last_success_at: None,
            last_round_ms: None,
            tags: 0,
            consecutive_failures: 0,
            last_error: None,
            retry_in_secs: None,
            refused: Vec::new(),
            moved: Vec::new(),
            skipped: Vec::new(),
        }
    }

    pub(super) fn succeeded(&mut self, elapsed: Duration, tags: usize) {
        self.state = "ok";
        self.rounds += 1;
        self.last_success_at = Some(crate::publish::now_rfc3339());
        self.last_round_ms = Some(u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX));
        self.tags = tags;
        self.consecutive_failures = 0;
        self.last_error = None;
        self.retry_in_secs = None;
    }

    pub(super) fn failed(&mut self, error: String, failures: u32, retry_in: Duration) {
        self.state = "failing";
        self.rounds += 1;
        self.consecutive_failures = failures;
        self.last_error = Some(error);
        self.retry_in_secs = Some(retry_in.as_secs());
    }

    pub(super) fn refused(&mut self, release: &ReleaseTag, reason: &str) {
        let entry = RefusedTag {
            tag: release.tag.clone(),
            commit: release.commit.clone(),
            reason: reason.to_owned(),
        };
        upsert(&mut self.refused, &release.tag, |e| &e.tag, entry);
    }

    pub(super) fn moved(&mut self, release: &ReleaseTag, published_commit: &str) {
        let entry = MovedTag {
            tag: release.tag.clone(),
            published_commit: published_commit.to_owned(),
            tag_commit: release.commit.clone(),
        };
        upsert(&mut self.moved, &release.tag, |e| &e.tag, entry);
    }

    pub(super) fn skipped(&mut self, tag: &str, reason: &str) {
        let entry = SkippedTag {
            tag: tag.to_owned(),
            reason: reason.to_owned(),
        };
        upsert(&mut self.skipped, tag, |e| &e.tag, entry);
    }

    /// A tag that was refused before and has now been published (it moved to a good commit).
    pub(super) fn forget(&mut self, tag: &str) {
        self.refused.retain(|e| e.tag != tag);
    }
}
