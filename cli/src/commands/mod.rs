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
    let flags = Layer {
        data_dir: common.data_dir.clone(),
        ..Layer::default()
    }
    .under(flags);
    Settings::load(common.config.as_deref(), std::env::vars(), flags)
        .context("invalid configuration")
}
