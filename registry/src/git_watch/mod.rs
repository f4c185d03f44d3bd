//! Watched git repositories (`[[git.sources]]`): a bare mirror per source in the data dir,
//! fetched at start, every `poll_secs` and on a signed webhook; every release tag not yet
//! published goes through the same publish pipeline as the HTTP route (publisher `git-watch`,
//! source repo/tag/commit recorded). Moved tags are reported, never republished.
//!
//! Each source runs as its own supervised task, so a failing source backs off (and shows in
//! `/readyz` and `modreg_git_source_up`) without holding up the others. Deliveries that arrive
//! during a fetch coalesce into one more round.

mod config;
mod fetch;
mod scan;
mod status;
pub mod webhook;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

pub use config::{check_sources, GitSource, Transport};
pub use fetch::{check_git_cli, FetchError};
pub use scan::PUBLISHER;
pub use status::{MovedTag, RefusedTag, SkippedTag, SourceStatus};

use crate::address::{Namespace, System};
use crate::git_tags::{strip_credentials, TagPattern};
use crate::metrics::Metrics;
use crate::publish::Publisher;
use crate::supervisor::{Shutdown, Supervisor};

/// The first retry of a failing source waits this long; each further failure doubles it.
const FIRST_BACKOFF: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(600);

/// All watched sources of one registry process.
#[derive(Default)]
pub struct GitWatch {
    sources: Vec<Arc<WatchedSource>>,
}

/// One source, resolved: checked pattern and names, its mirror, its webhook secret.
pub struct WatchedSource {
    config: GitSource,
    pattern: TagPattern,
    namespace: Namespace,
    system: System,
    mirror: PathBuf,
    /// The URL recorded as the releases' `source.repo`, without credentials.
    repo_url: String,
    webhook_secret: Option<Vec<u8>>,
    trigger: Notify,
    status: Mutex<SourceStatus>,
}

/// What each source's task works with.
#[derive(Clone)]
struct Context {
    publisher: Publisher,
    metrics: Arc<Metrics>,
}

impl GitWatch {
    /// Resolves `sources` (already checked by `Settings`) and reads their webhook secrets;
    /// mirrors live under `mirrors_dir`.
    pub fn new(sources: &[GitSource], mirrors_dir: &Path) -> Result<Self, String> {
        let mut resolved = Vec::new();
        for config in sources {
            let bad = |what: String| format!("[[git.sources]] `{}`: {what}", config.name);
            let webhook_secret = match &config.webhook_secret_file {
                Some(path) => {
                    let secret = std::fs::read_to_string(path).map_err(|e| {
                        bad(format!(
                            "cannot read webhook_secret_file `{}`: {e}",
                            path.display()
                        ))
                    })?;
                    let secret = secret.trim().as_bytes().to_vec();
                    if secret.is_empty() {
                        return Err(bad(format!(
                            "webhook_secret_file `{}` is empty",
                            path.display()
                        )));
                    }
                    Some(secret)
                }
                None => None,
            };
            resolved.push(Arc::new(WatchedSource {
                pattern: config.pattern().map_err(bad)?,
                namespace: Namespace::parse(&config.namespace).map_err(|e| bad(e.to_string()))?,
                system: System::parse(&config.system).map_err(|e| bad(e.to_string()))?,
                mirror: mirrors_dir.join(format!("{}.git", config.name)),
                repo_url: repo_url(&config.url),
                webhook_secret,
                trigger: Notify::new(),
                status: Mutex::new(SourceStatus::new(&config.name)),
                config: config.clone(),
            }));
        }
        Ok(Self { sources: resolved })
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Starts one task per source under `supervisor`.
    pub fn spawn(&self, supervisor: &Supervisor, publisher: Publisher, metrics: Arc<Metrics>) {
        let ctx = Context { publisher, metrics };
        for source in &self.sources {
            let (source, ctx) = (source.clone(), ctx.clone());
            supervisor.spawn(
                format!("git source {}", source.config.name),
                move |shutdown| watch(source, ctx, shutdown),
            );
        }
    }

    /// The source a webhook names.
    pub fn source(&self, name: &str) -> Option<&WatchedSource> {
        self.sources
            .iter()
            .find(|s| s.config.name == name)
            .map(AsRef::as_ref)
    }

    /// A snapshot of every source's state, for `/readyz`.
    pub fn status(&self) -> Vec<SourceStatus> {
        self.sources
            .iter()
            .map(|s| s.status.lock().expect("status lock").clone())
            .collect()
    }
}

impl WatchedSource {
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// `None` when the source has no `webhook_secret_file`.
    pub fn webhook_secret(&self) -> Option<&[u8]> {
        self.webhook_secret.as_deref()
    }

    /// Asks for one more round; requests made while a round runs coalesce into one.
    pub fn request_fetch(&self) {
        self.trigger.notify_one();
    }

    fn update(&self, change: impl FnOnce(&mut SourceStatus)) {
        change(&mut self.status.lock().expect("status lock"));
    }
}

/// Local paths are recorded absolute, so the provenance means something on another machine.
fn repo_url(url: &str) -> String {
    match config::transport_of(url) {
        Transport::Local if !url.starts_with("file://") => std::path::absolute(url)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| url.to_owned()),
        _ => strip_credentials(url),
    }
}

/// The task of one source: a round now, then one per interval or webhook, until shutdown.
async fn watch(source: Arc<WatchedSource>, ctx: Context, mut shutdown: Shutdown) {
    let name = source.config.name.clone();
    let metrics = ctx.metrics.git_source(&name);
    let mut settled = scan::Settled::new();
    let mut failures = 0u32;
    loop {
        let started = Instant::now();
        // A shutdown cuts the fetch short; publishing stops between tags, never mid-way.
        let result = scan::round(&source, &ctx, &mut settled, &shutdown).await;
        if shutdown.is_requested() {
            return;
        }
        let elapsed = started.elapsed();
        let wait = match result {
            Ok(report) => {
                failures = 0;
                metrics.up.store(1, std::sync::atomic::Ordering::Relaxed);
                if report.changed > 0 {
                    tracing::info!(
                        source = name,
                        changed_tags = report.changed,
                        published = report.published,
                        elapsed_ms = elapsed.as_millis() as u64,
                        "git source scanned"
                    );
                }
                source.update(|s| s.succeeded(elapsed, settled.len()));
                (source.config.poll_secs > 0).then(|| Duration::from_secs(source.config.poll_secs))
            }
            Err(e) => {
                failures += 1;
                metrics.up.store(0, std::sync::atomic::Ordering::Relaxed);
                metrics
                    .failures
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let backoff = FIRST_BACKOFF
                    .saturating_mul(2u32.saturating_pow(failures - 1))
                    .min(MAX_BACKOFF);
                let error = crate::telemetry::error_chain(&e);
                tracing::warn!(
                    source = name,
                    error,
                    failures,
                    retry_in_secs = backoff.as_secs(),
                    "git source failed"
                );
                source.update(|s| s.failed(error, failures, backoff));
                Some(backoff)
            }
        };
        let sleep = async {
            match wait {
                Some(wait) => tokio::time::sleep(wait).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = shutdown.requested() => return,
            () = source.trigger.notified() => {}
            () = sleep => {}
        }
    }
}
