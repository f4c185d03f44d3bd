//! `modreg serve` and `modreg reindex`.

use registry::index::Index;
use registry::settings::Layer;
use registry::startup::Application;

use super::load_settings;
use crate::args::{ServeArgs, ServerSettingsArgs};
use crate::Outcome;

pub async fn run(args: ServeArgs) -> anyhow::Result<Outcome> {
    let flags = Layer {
        listen: args.listen,
        ops_listen: args.ops_listen.map(Some),
        public_url: args.public_url.map(Some),
        tls_cert: args.tls_cert.map(Some),
        tls_key: args.tls_key.map(Some),
        plain_http: args.plain_http.then_some(true),
        anonymous_read: args.anonymous_read.then_some(true),
        archive_url_ttl_secs: args.archive_url_ttl_secs,
        s3_presigned_downloads: args.s3_presigned_downloads.then_some(true),
        workers: args.workers,
        access_log: args.access_log,
        ..Layer::default()
    };
    let settings = load_settings(&args.common, flags)?;
    let _logs = registry::telemetry::init(settings.log_format);
    let (http_workers, access_log) = (settings.http_workers(), settings.access_log);
    let app = Application::build(settings).await?;
    // What the process runs with, in its first lines: benchmarks and operators quote it.
    tracing::info!(
        url = app.base_url(),
        log = %registry::telemetry::log_filter(),
        access_log,
        http_workers,
        runtime = "one current-thread runtime per HTTP worker; background tasks on the shared tokio pool",
        background_threads = tokio::runtime::Handle::current().metrics().num_workers(),
        "modreg is serving"
    );
    app.run_until_stopped().await?;
    Ok(Outcome::Ok)
}

pub async fn reindex(common: ServerSettingsArgs) -> anyhow::Result<Outcome> {
    let settings = load_settings(&common, Layer::default())?;
    std::fs::create_dir_all(&settings.data_dir)?;
    let index = Index::open(&settings.index_path())?;
    let store = registry::storage::open(&settings).await?;
    let n = registry::reindex::rebuild(store.as_ref(), &index).await?;
    eprintln!("reindexed {n} releases from {}", store.describe());
    Ok(Outcome::Ok)
}
