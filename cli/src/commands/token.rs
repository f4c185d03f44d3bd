//! `modreg token create|list|revoke`: token administration in the blob store the settings
//! choose (the data dir's `blobs/`, or the S3 bucket), which every replica follows.
//!
//! With local storage the data dir's index is updated too, so a `modreg serve` on the same
//! data dir sees the change at once; on S3 the replicas pick it up within `sync_secs`.
//! The secret is printed once, alone on stdout, so `TOKEN=$(modreg token create …)` works.

use std::sync::Arc;

use registry::auth_store::{self, Revoked};
use registry::index::Index;
use registry::settings::{Layer, StorageKind};
use registry::storage::BlobStore;

use super::load_settings;
use crate::args::{ServerSettingsArgs, TokenCommand};
use crate::Outcome;

/// The store, and the index to update at once when it is the serving one (local storage).
struct Target {
    store: Arc<dyn BlobStore>,
    index: Option<Index>,
    /// How soon running registries see a change, for the message.
    takes_effect: String,
}

async fn open(common: &ServerSettingsArgs) -> anyhow::Result<Target> {
    let settings = load_settings(common, Layer::default())?;
    let store = registry::storage::open(&settings).await?;
    let (index, takes_effect) = match settings.storage {
        StorageKind::Local => {
            std::fs::create_dir_all(&settings.data_dir)?;
            let index = Index::open(&settings.index_path())?;
            // A data dir from before tokens lived in the store: move them there first.
            auth_store::load(store.as_ref(), &index).await?;
            (Some(index), "within a second".to_owned())
        }
        StorageKind::S3 => (None, format!("within sync_secs ({} s)", settings.sync_secs)),
    };
    Ok(Target {
        store,
        index,
        takes_effect,
    })
}

pub async fn run(cmd: TokenCommand) -> anyhow::Result<Outcome> {
    match cmd {
        TokenCommand::Create {
            common,
            scopes,
            description,
        } => {
            let target = open(&common).await?;
            let (id, secret) = auth_store::create_token(
                target.store.as_ref(),
                target.index.as_ref(),
                scopes.iter().map(String::as_str),
                &description,
                "cli",
            )
            .await?;
            eprintln!(
                "created token {id} ({}) in {}; it is shown only once:",
                scopes.join(", "),
                target.store.describe()
            );
            println!("{secret}");
        }
        TokenCommand::List { common } => {
            let target = open(&common).await?;
            println!(
                "{:<18} {:<8} {:<30} {:<21} DESCRIPTION",
                "ID", "STATE", "SCOPES", "CREATED"
            );
            for t in auth_store::list_tokens(target.store.as_ref()).await? {
                let state = if t.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{:<18} {:<8} {:<30} {:<21} {}",
                    t.id,
                    state,
                    t.scopes.join(","),
                    t.created_at,
                    t.description
                );
            }
        }
        TokenCommand::Revoke { common, id } => {
            let target = open(&common).await?;
            match auth_store::revoke_token(target.store.as_ref(), target.index.as_ref(), &id, "cli")
                .await?
            {
                Revoked::Now => eprintln!(
                    "revoked {id}; running registries stop accepting it {}",
                    target.takes_effect
                ),
                Revoked::Already(at) => eprintln!("{id} was already revoked at {at}"),
            }
        }
    }
    Ok(Outcome::Ok)
}
