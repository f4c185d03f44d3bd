//! Prometheus metrics: the registry's counters and histograms, and their text exposition.
//!
//! Hand-rolled on atomics so the hot path costs one uncontended read lock and a few relaxed
//! increments on the serving thread's own shard (see `per_thread`); rendering sums the
//! shards. Names and labels follow OpenTelemetry's HTTP conventions where they exist.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::per_thread::PerThread;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            self.buckets[i].fetch_add(1, Relaxed);
        }
        self.count.fetch_add(1, Relaxed);
        self.sum_micros
            .fetch_add(u64::try_from(d.as_micros()).unwrap_or(u64::MAX), Relaxed);
    }
}

/// A histogram's figures summed over the shards.
#[derive(Default)]
struct HistogramTotals {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_micros: u64,
}

/// A labelled family whose members are created on first use.
struct Family<K, V> {
    members: RwLock<HashMap<K, Arc<V>>>,
}

impl<K, V> Default for Family<K, V> {
    fn default() -> Self {
        Self {
            members: RwLock::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone + Ord, V: Default> Family<K, V> {
    fn new() -> Self {
        Self::default()
    }

    fn get(&self, key: &K) -> Arc<V> {
        if let Some(v) = self.members.read().expect("metrics lock").get(key) {
            return v.clone();
        }
        self.members
            .write()
            .expect("metrics lock")
            .entry(key.clone())
            .or_default()
            .clone()
    }

    fn sorted(&self) -> Vec<(K, Arc<V>)> {
        let mut all: Vec<_> = self
            .members
            .read()
            .expect("metrics lock")
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }
}

/// Outcome label of `modreg_publishes_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishOutcome {
    Created,
    Unchanged,
    Rejected,
    Conflict,
    Error,
}

impl PublishOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Unchanged => "unchanged",
            Self::Rejected => "rejected",
            Self::Conflict => "conflict",
            Self::Error => "error",
        }
    }
}

/// The metrics of one watched git source.
#[derive(Default)]
pub struct GitSourceMetrics {
    /// 1 when the last round (fetch and scan) succeeded.
    pub up: AtomicU64,
    pub failures: AtomicU64,
    pub moved: AtomicU64,
}

/// Route template, method, status.
type HttpKey = (&'static str, &'static str, u16);

/// All metrics of one registry process.
pub struct Metrics {
    /// Per thread: every request records one, so one shared histogram would bounce between
    /// the cores of the HTTP workers.
    http: PerThread<Family<HttpKey, Histogram>>,
    downloads: Family<(Arc<str>, &'static str), AtomicU64>,
    publishes: Family<&'static str, AtomicU64>,
    git: Family<Arc<str>, GitSourceMetrics>,
    pub storage_errors: AtomicU64,
    /// Unix time of the last successful replica sync round (0: none yet).
    pub sync_last_success: AtomicU64,
    pub sync_failures: AtomicU64,
    pub sync_changes_applied: AtomicU64,
    pub ready: AtomicBool,
    pub modules: AtomicU64,
    pub releases: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            http: PerThread::default(),
            downloads: Family::new(),
            publishes: Family::new(),
            git: Family::new(),
            storage_errors: AtomicU64::new(0),
            sync_last_success: AtomicU64::new(0),
            sync_failures: AtomicU64::new(0),
            sync_changes_applied: AtomicU64::new(0),
            ready: AtomicBool::new(false),
            modules: AtomicU64::new(0),
            releases: AtomicU64::new(0),
        }
    }
}

impl Metrics {
    /// One finished HTTP request; `route` is the route template, never the raw path.
    pub fn observe_request(
        &self,
        route: &'static str,
        method: &actix_http::Method,
        status: u16,
        elapsed: Duration,
    ) {
        use actix_http::Method;
        // Label values come from a fixed set, so a client inventing methods cannot grow it.
        let method = [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::POST,
            Method::DELETE,
        ]
        .iter()
        .zip(["GET", "HEAD", "PUT", "POST", "DELETE"])
        .find_map(|(m, name)| (m == method).then_some(name))
        .unwrap_or("OTHER");
        self.http
            .local()
            .get(&(route, method, status))
            .observe(elapsed);
    }

    /// `outcome`: `redirected` (signed URL handed out), `served` (archive bytes sent),
    /// `not_found`.
    pub fn count_download(&self, module: &Arc<str>, outcome: &'static str) {
        self.download_counter(module, outcome).fetch_add(1, Relaxed);
    }

    /// The counter `count_download` adds to, for a caller that keeps it (the catalogue
    /// entry of a module) and then counts with one atomic add instead of a map lookup.
    pub fn download_counter(&self, module: &Arc<str>, outcome: &'static str) -> Arc<AtomicU64> {
        self.downloads.get(&(module.clone(), outcome))
    }

    /// Every shard's histograms, summed per label set, sorted.
    fn http_histograms(&self) -> BTreeMap<HttpKey, HistogramTotals> {
        let mut totals: BTreeMap<HttpKey, HistogramTotals> = BTreeMap::new();
        for shard in self.http.all() {
            for (key, h) in shard.sorted() {
                let t = totals.entry(key).or_default();
                for (sum, n) in t.buckets.iter_mut().zip(&h.buckets) {
                    *sum += n.load(Relaxed);
                }
                t.count += h.count.load(Relaxed);
                t.sum_micros += h.sum_micros.load(Relaxed);
            }
        }
        totals
    }

    pub fn count_publish(&self, outcome: PublishOutcome) {
        self.publishes.get(&outcome.as_str()).fetch_add(1, Relaxed);
    }

    /// The metrics of the watched git source `name` (created, at zero, on first use).
    pub fn git_source(&self, name: &str) -> Arc<GitSourceMetrics> {
        self.git.get(&Arc::from(name))
    }

    /// The Prometheus text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str("# HELP http_server_request_duration_seconds Duration of HTTP requests.\n");
        out.push_str("# TYPE http_server_request_duration_seconds histogram\n");
        for ((route, method, status), h) in self.http_histograms() {
            let labels = format!(
                "route=\"{}\",method=\"{}\",status=\"{status}\"",
                escape(route),
                escape(method)
            );
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(&h.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "http_server_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let count = h.count;
            let _ = writeln!(
                out,
                "http_server_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}"
            );
            let sum = h.sum_micros as f64 / 1e6;
            let _ = writeln!(
                out,
                "http_server_request_duration_seconds_sum{{{labels}}} {sum}"
            );
            let _ = writeln!(
                out,
                "http_server_request_duration_seconds_count{{{labels}}} {count}"
            );
        }
        out.push_str("# HELP modreg_downloads_total Module download requests by outcome.\n");
        out.push_str("# TYPE modreg_downloads_total counter\n");
        for ((module, outcome), n) in self.downloads.sorted() {
            let _ = writeln!(
                out,
                "modreg_downloads_total{{module=\"{}\",outcome=\"{outcome}\"}} {}",
                escape(&module),
                n.load(Relaxed)
            );
        }
        out.push_str("# HELP modreg_publishes_total Publish attempts by outcome.\n");
        out.push_str("# TYPE modreg_publishes_total counter\n");
        for (outcome, n) in self.publishes.sorted() {
            let _ = writeln!(
                out,
                "modreg_publishes_total{{outcome=\"{outcome}\"}} {}",
                n.load(Relaxed)
            );
        }
        let git = self.git.sorted();
        type Field = fn(&GitSourceMetrics) -> &AtomicU64;
        let git_families: [(&str, &str, &str, Field); 3] = [
            (
                "modreg_git_source_up",
                "gauge",
                "1 when the watched git source's last fetch and scan succeeded.",
                |m| &m.up,
            ),
            (
                "modreg_git_fetch_failures_total",
                "counter",
                "Failed fetch-and-scan rounds of a watched git source.",
                |m| &m.failures,
            ),
            (
                "modreg_git_moved_tags_total",
                "counter",
                "Git tags found pointing at a different commit than their release.",
                |m| &m.moved,
            ),
        ];
        for (name, kind, help, field) in git_families {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for (source, m) in &git {
                let _ = writeln!(
                    out,
                    "{name}{{source=\"{}\"}} {}",
                    escape(source),
                    field(m).load(Relaxed)
                );
            }
        }
        let scalars: [(&str, &str, &str, u64); 7] = [
            (
                "modreg_storage_errors_total",
                "counter",
                "Blob store operations that failed.",
                self.storage_errors.load(Relaxed),
            ),
            (
                "modreg_sync_last_success_timestamp_seconds",
                "gauge",
                "Unix time of the last successful replica sync round.",
                self.sync_last_success.load(Relaxed),
            ),
            (
                "modreg_sync_failures_total",
                "counter",
                "Replica sync rounds that failed.",
                self.sync_failures.load(Relaxed),
            ),
            (
                "modreg_sync_changes_applied_total",
                "counter",
                "Changes from the store's change log applied to this replica's index.",
                self.sync_changes_applied.load(Relaxed),
            ),
            (
                "modreg_ready",
                "gauge",
                "1 when the registry is ready to serve.",
                u64::from(self.ready.load(Relaxed)),
            ),
            (
                "modreg_index_modules",
                "gauge",
                "Modules in the index.",
                self.modules.load(Relaxed),
            ),
            (
                "modreg_index_releases",
                "gauge",
                "Releases in the index.",
                self.releases.load(Relaxed),
            ),
        ];
        for (name, kind, help, value) in scalars {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        }
        out
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_counted() {
        let m = Metrics::default();
        m.observe_request(
            "/v1/x",
            &actix_http::Method::GET,
            200,
            Duration::from_micros(300),
        );
        m.observe_request(
            "/v1/x",
            &actix_http::Method::GET,
            200,
            Duration::from_millis(30),
        );
        let text = m.render();
        assert!(text.contains(
            "http_server_request_duration_seconds_bucket{route=\"/v1/x\",method=\"GET\",status=\"200\",le=\"0.0005\"} 1"
        ));
        assert!(text.contains(
            "http_server_request_duration_seconds_bucket{route=\"/v1/x\",method=\"GET\",status=\"200\",le=\"0.05\"} 2"
        ));
        assert!(text.contains(
            "http_server_request_duration_seconds_count{route=\"/v1/x\",method=\"GET\",status=\"200\"} 2"
        ));
    }

    #[test]
    fn requests_recorded_on_several_threads_render_as_one_histogram() {
        let m = Metrics::default();
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| {
                    m.observe_request(
                        "/v1/y",
                        &actix_http::Method::GET,
                        200,
                        Duration::from_micros(700),
                    )
                });
            }
        });
        let text = m.render();
        assert!(
            text.contains(
                "http_server_request_duration_seconds_bucket{route=\"/v1/y\",method=\"GET\",status=\"200\",le=\"0.001\"} 3"
            ),
            "{text}"
        );
        assert_eq!(
            text.matches("http_server_request_duration_seconds_count{route=\"/v1/y\"")
                .count(),
            1,
            "{text}"
        );
        assert!(text.contains("http_server_request_duration_seconds_sum{route=\"/v1/y\",method=\"GET\",status=\"200\"} 0.0021"), "{text}");
    }

    #[test]
    fn counters_render_with_their_labels() {
        let m = Metrics::default();
        let module = Arc::from("platform/vpc/aws");
        m.count_download(&module, "redirected");
        m.download_counter(&module, "redirected")
            .fetch_add(1, Relaxed);
        m.count_publish(PublishOutcome::Conflict);
        m.count_publish(PublishOutcome::Conflict);
        let text = m.render();
        assert!(text.contains(
            "modreg_downloads_total{module=\"platform/vpc/aws\",outcome=\"redirected\"} 2"
        ));
        assert!(text.contains("modreg_publishes_total{outcome=\"conflict\"} 2"));
        assert!(text.contains("modreg_ready 0"));
    }

    #[test]
    fn git_source_metrics_are_labelled_by_source() {
        let m = Metrics::default();
        m.git_source("infra").moved.fetch_add(2, Relaxed);
        m.git_source("infra").up.store(1, Relaxed);
        let text = m.render();
        assert!(
            text.contains("modreg_git_moved_tags_total{source=\"infra\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("modreg_git_source_up{source=\"infra\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("# TYPE modreg_git_fetch_failures_total counter"),
            "{text}"
        );
    }
}
