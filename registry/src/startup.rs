//! `Application::build`: the one assembly point, called by `modreg serve`, the demo and tests.

use std::net::TcpListener;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpResponse, HttpServer};
use anyhow::Context as _;

use crate::archive::Limits;
use crate::catalog::Catalog;
use crate::git_watch::{check_git_cli, GitWatch};
use crate::http::{self, error::ApiError, AppState};
use crate::index::Index;
use crate::metrics::Metrics;
use crate::publish::Publisher;
use crate::readiness::Readiness;
use crate::settings::Settings;
use crate::signing::UrlSigner;
use crate::storage::{self, BlobStore, StorageHealth, Watched};
use crate::supervisor::{Shutdown, Supervisor};
use crate::sync::Follower;
use crate::telemetry::blocking;

/// How often the index is asked whether another process changed it.
const REFRESH_INTERVAL: Duration = Duration::from_secs(1);
/// How often the blob store is probed, so a recovered store is noticed without a request.
const STORAGE_PROBE_INTERVAL: Duration = Duration::from_secs(5);
/// The longest pause between attempts to load the index from an unreachable store.
const MAX_LOAD_RETRY: Duration = Duration::from_secs(30);

/// How long background tasks get to finish (a last flush, a publish in progress) at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// A built, bound, not yet awaited registry server.
pub struct Application {
    port: u16,
    base_url: String,
    server: Server,
    /// The `ops_listen` listener's port and server, when configured.
    ops: Option<(u16, Server)>,
    state: web::Data<AppState>,
    supervisor: Supervisor,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        settings.check_listener()?;
        std::fs::create_dir_all(&settings.data_dir).with_context(|| {
            format!(
                "cannot create the data directory `{}`",
                settings.data_dir.display()
            )
        })?;
        let index_path = settings.index_path();
        let index = blocking(move || Index::open(&index_path))
            .await
            .with_context(|| {
                format!(
                    "cannot open the index `{}`",
                    settings.index_path().display()
                )
            })?;
        let health = Arc::new(StorageHealth::default());
        let store = storage::open(&settings).await?;
        let readiness = Arc::new(Readiness::new(health.clone(), store.describe()));
        let store: Arc<dyn BlobStore> = Arc::new(Watched::new(store, health));
        let signer =
            UrlSigner::load_or_create(&settings.signing_key_path(), settings.archive_url_ttl_secs)?;
        let listener = TcpListener::bind(settings.listen).with_context(|| {
            format!(
                "cannot listen on {}: is another process using it?",
                settings.listen
            )
        })?;
        let port = listener.local_addr()?.port();
        let scheme = if settings.plain_http { "http" } else { "https" };
        let base_url = settings
            .public_url
            .clone()
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("{scheme}://{}:{port}", settings.listen.ip()));

        let limits = Limits {
            max_compressed_bytes: settings.max_upload_bytes,
            max_uncompressed_bytes: settings.max_uncompressed_bytes,
            max_entries: settings.max_archive_entries,
            ..Limits::default()
        };
        let git = GitWatch::new(&settings.git.sources, &settings.git_mirrors_dir())
            .map_err(anyhow::Error::msg)?;
        if !git.is_empty() {
            check_git_cli().await.map_err(anyhow::Error::msg)?;
        }
        let git = Arc::new(git);
        let metrics = Arc::new(Metrics::default());
        let catalog = Arc::new(Catalog::new(index.clone()));
        let state = web::Data::new(AppState {
            catalog: catalog.clone(),
            publisher: Publisher::new(
                index.clone(),
                store.clone(),
                limits,
                catalog,
                metrics.clone(),
            ),
            store,
            signer,
            metrics: metrics.clone(),
            settings: settings.clone(),
            git: git.clone(),
            readiness,
        });

        let app_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(app_state.clone())
                .wrap(from_fn(http::panic::catch))
                .wrap(from_fn(http::telemetry))
                .configure(http::configure)
                .default_service(no_such_endpoint("the protocol lives under /v1/modules/"))
        })
        .shutdown_timeout(10)
        .workers(settings.http_workers());
        let server = match (&settings.tls_cert, &settings.tls_key) {
            (Some(cert), Some(key)) => {
                let tls = crate::tls::server_config(cert, key)?;
                server.listen_rustls_0_23(listener, tls)?
            }
            _ => server.listen(listener)?,
        }
        .run();
        let ops = match settings.ops_listen {
            Some(addr) => Some(ops_server(addr, state.clone())?),
            None => None,
        };

        refresh_gauges(&index, &metrics).await;
        let supervisor = Supervisor::default();
        let watched = state.clone();
        supervisor.spawn("index watcher and download flush", move |shutdown| {
            watch_index(watched, shutdown)
        });
        let probed = state.store.clone();
        supervisor.spawn("storage probe", move |shutdown| {
            until_shutdown(shutdown, storage::probe(probed, STORAGE_PROBE_INTERVAL))
        });
        let loading = state.clone();
        supervisor.spawn("index load, then replica sync", move |shutdown| {
            until_shutdown(shutdown, async move {
                // Before the catch-up lists the store, so no change falls between the two.
                let follower = Follower::resume(
                    loading.store.clone(),
                    loading.catalog.index().clone(),
                    loading.settings.sync_cursor_path(),
                );
                load_index(loading.store.clone(), loading.clone()).await;
                let every = Duration::from_secs(loading.settings.sync_secs);
                let (catalog, readiness) = (loading.catalog.clone(), loading.readiness.clone());
                crate::sync::follow(follower, every, catalog, readiness, loading.metrics.clone())
                    .await;
            })
        });
        git.spawn(&supervisor, state.publisher.clone(), metrics.clone());
        Ok(Self {
            port,
            base_url,
            server,
            ops,
            state,
            supervisor,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the `ops_listen` listener, when configured.
    pub fn ops_port(&self) -> Option<u16> {
        self.ops.as_ref().map(|(port, _)| *port)
    }

    /// `https://127.0.0.1:8443` (or `public_url`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until a shutdown signal, then stops the background tasks (the index watcher
    /// writes the download counts still in memory on its way out).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (served, ops) = match self.ops {
            Some((_, ops)) => tokio::join!(self.server, ops),
            None => (self.server.await, Ok(())),
        };
        self.supervisor.shutdown(SHUTDOWN_GRACE).await;
        served.and(ops)
    }
}

/// The plain-HTTP listener for the scraper and health checks (`http::configure_ops`): one
/// worker, the same state and request telemetry as the main listener.
fn ops_server(
    addr: std::net::SocketAddr,
    state: web::Data<AppState>,
) -> anyhow::Result<(u16, Server)> {
    let listener = TcpListener::bind(addr).with_context(|| {
        format!("cannot listen on {addr} (ops_listen): is another process using it?")
    })?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(from_fn(http::panic::catch))
            .wrap(from_fn(http::telemetry))
            .configure(http::configure_ops)
            .default_service(no_such_endpoint(
                "this ops_listen address serves /metrics, /healthz and /readyz",
            ))
    })
    .workers(1)
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok((port, server))
}

/// The answer to a path no route matches: 404 naming it, and where to look instead.
fn no_such_endpoint(hint: &'static str) -> actix_web::Route {
    web::to(move |req: actix_web::HttpRequest| async move {
        Err::<HttpResponse, _>(ApiError::not_found(format!(
            "no such endpoint: {} {} ({hint})",
            req.method(),
            req.path()
        )))
    })
}

async fn refresh_gauges(index: &Index, metrics: &Metrics) {
    let index = index.clone();
    if let Ok(stats) = blocking(move || index.stats()).await {
        metrics.modules.store(stats.modules, Relaxed);
        metrics.releases.store(stats.releases, Relaxed);
    }
}

/// Runs `task` until it ends or shutdown is requested, whichever comes first.
async fn until_shutdown(mut shutdown: Shutdown, task: impl std::future::Future<Output = ()>) {
    tokio::select! {
        () = task => {}
        () = shutdown.requested() => {}
    }
}

/// Adds to the index the releases and tokens the blob store holds and it lacks (all of them,
/// for a new replica), retrying while the store is unreachable; the process is ready once it
/// has.
async fn load_index(store: Arc<dyn BlobStore>, state: web::Data<AppState>) {
    let mut pause = Duration::from_secs(1);
    loop {
        match catch_up(store.as_ref(), &state).await {
            Ok(()) => {
                state.readiness.index_loaded();
                state.metrics.ready.store(true, Relaxed);
                return;
            }
            Err(reason) => {
                tracing::warn!(error = %reason, retry_in_secs = pause.as_secs(), "cannot load the index from the blob store");
                state.readiness.index_load_failed(reason);
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_LOAD_RETRY);
            }
        }
    }
}

/// One attempt of [`load_index`]; the error is the cause chain, for logs and `/readyz`.
async fn catch_up(store: &dyn BlobStore, state: &AppState) -> Result<(), String> {
    let index = state.catalog.index();
    let added = crate::reindex::catch_up(store, index)
        .await
        .map_err(|e| crate::telemetry::error_chain(&e))?;
    if added > 0 {
        tracing::info!(added, store = %store.describe(), "indexed releases found in the blob store");
    }
    let tokens = crate::auth_store::load(store, index)
        .await
        .map_err(|e| crate::telemetry::error_chain(&e))?;
    if tokens.migrated > 0 || tokens.imported > 0 {
        tracing::info!(
            migrated = tokens.migrated,
            imported = tokens.imported,
            "tokens brought in line with the blob store"
        );
    }
    if added > 0 || tokens.imported > 0 {
        state.catalog.invalidate();
        refresh_gauges(index, &state.metrics).await;
    }
    Ok(())
}

/// Drops cached answers whenever any process changes releases or tokens in the index, and
/// writes the batched download counts (a last time at shutdown).
async fn watch_index(state: web::Data<AppState>, mut shutdown: Shutdown) {
    let mut last = None;
    let mut tick = tokio::time::interval(REFRESH_INTERVAL);
    let flush_every = state.settings.download_flush_secs.max(1);
    for round in 0u64.. {
        tokio::select! {
            _ = tick.tick() => {}
            () = shutdown.requested() => break,
        }
        if round % flush_every == 0 {
            if let Err(e) = state.catalog.flush_downloads().await {
                tracing::warn!(error = %e, "cannot record download counts; will retry");
            }
        }
        let index = state.catalog.index().clone();
        match blocking(move || index.catalog_version()).await {
            Ok(version) => {
                if last.is_some_and(|l| l != version) {
                    state.catalog.invalidate();
                    refresh_gauges(state.catalog.index(), &state.metrics).await;
                }
                last = Some(version);
            }
            Err(e) => tracing::warn!(error = %e, "cannot check the index for changes"),
        }
    }
    if let Err(e) = state.catalog.flush_downloads().await {
        tracing::warn!(error = %e, "download counts of the last interval were not recorded");
    }
}
