//! One module per verb; `run` dispatches.

mod all_tags;
mod demo;
mod deprecate;
mod diff;
mod docs;
mod publish;
mod serve;
mod tags;
mod token;
pub mod validate;

use anyhow::Context as _;
use registry::settings::{Layer, Settings};

use crate::args::{Command, ServerSettingsArgs};
use crate::Outcome;

pub async fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Serve(args) => serve::run(args).await,
        Command::Demo(args) => demo::run(args).await,
        Command::Publish(args) => publish::run(args).await,
        Command::Token(cmd) => token::run(cmd).await,
        Command::Reindex(common) => serve::reindex(common).await,
        Command::Docs(args) => docs::run(args),
        Command::Tags(args) => tags::run(args).await,
        Command::Deprecate(args) => deprecate::run(args).await,
        Command::Diff(args) => diff::run(args).await,
        Command::Validate(args) => validate::run(args).await,
    }
}

/// Settings from defaults < file < `MODREG_*` < these flags.
pub fn load_settings(common: &ServerSettingsArgs, flags: Layer) -> anyhow::Result<Settings> {
    let storage = common.storage.clone();
    let flags = Layer {
        data_dir: common.data_dir.clone(),
        storage: storage.storage,
        s3_bucket: storage.s3_bucket.map(Some),
        s3_prefix: storage.s3_prefix,
        s3_region: storage.s3_region.map(Some),
        s3_endpoint: storage.s3_endpoint.map(Some),
        s3_path_style: storage.s3_path_style.then_some(true),
        s3_kms_key_id: storage.s3_kms_key_id.map(Some),
        ..Layer::default()
    }
    .under(flags);
    Settings::load(common.config.as_deref(), std::env::vars(), flags)
        .context("invalid configuration")
}
