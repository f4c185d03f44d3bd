//! The registry the browser test (`tests/ui/`) drives: a real `Application` on 127.0.0.1:0
//! over plain HTTP, anonymous read off, holding this repository's `modules/*` as
//! `platform/<name>/aws`, a second vpc release with git provenance, and the first vpc release
//! deprecated. Prints `{"base": …, "token": …}` on one stdout line, then serves until killed.
//!
//!     cargo run -p modreg-registry --example ui_fixture -- <modules-dir> <data-dir>

use anyhow::Context as _;
use bytes::Bytes;
use registry::address::ModuleAddress;
use registry::auth_store::create_token;
use registry::demo::{declared_version, load_modules};
use registry::manifest::ReleaseSource;
use registry::publish::NewRelease;
use registry::settings::{Layer, Settings};
use registry::startup::Application;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(modules), Some(data)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: ui_fixture <modules-dir> <data-dir>");
    };
    let flags = Layer {
        data_dir: Some(data.into()),
        listen: Some("127.0.0.1:0".parse()?),
        plain_http: Some(true),
        access_log: Some(false),
        workers: Some(2),
        ..Layer::default()
    };
    let app = Application::build(Settings::load(None, Vec::new(), flags)?).await?;
    let state = app.state();
    let modules = std::path::Path::new(&modules);
    load_modules(&state.publisher, modules, "platform").await?;

    // A newer vpc release cut from a git tag, so the page has two versions, provenance, and
    // a deprecated release to badge.
    let vpc = ModuleAddress::parse("platform", "vpc", "aws")?;
    let first = declared_version(&modules.join("vpc"));
    let next = semver::Version::new(first.major, first.minor + 1, 0);
    let tarball = registry::archive::pack_dir(&modules.join("vpc")).context("packing vpc")?;
    state
        .publisher
        .publish(NewRelease {
            address: vpc.clone(),
            version: next.clone(),
            tarball: Bytes::from(tarball),
            publisher: "release workflow".into(),
            source: Some(ReleaseSource {
                repo: "https://git.internal/platform/modules.git".into(),
                tag: format!("vpc/v{next}"),
                commit: "4f2c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b".into(),
            }),
        })
        .await?;
    let reason = format!("flow logs were off by default: upgrade to {next}");
    state
        .publisher
        .deprecate(registry::publish::DeprecationRequest {
            address: vpc.clone(),
            version: first.clone(),
            reason,
            replacement: Some(next.clone()),
            by: "release workflow".into(),
        })
        .await?;

    let (_, token) = create_token(
        state.store.as_ref(),
        Some(state.catalog.index()),
        ["read"],
        "browser test",
        "ui_fixture",
    )
    .await?;
    println!(
        "{}",
        serde_json::json!({ "base": app.base_url(), "token": token, "deprecated": first.to_string(), "latest": next.to_string() })
    );
    app.run_until_stopped().await?;
    Ok(())
}
