//! `modreg token create|list|revoke`: token administration on the data directory.
//!
//! The secret is printed once, alone on stdout, so `TOKEN=$(modreg token create …)` works.

use registry::auth::create_token;
use registry::index::{AuditEvent, Index};
use registry::settings::Layer;

use super::load_settings;
use crate::args::{ServerSettingsArgs, TokenCommand};
use crate::Outcome;

fn open(common: &ServerSettingsArgs) -> anyhow::Result<Index> {
    let settings = load_settings(common, Layer::default())?;
    std::fs::create_dir_all(&settings.data_dir)?;
    Ok(Index::open(&settings.index_path())?)
}

pub async fn run(cmd: TokenCommand) -> anyhow::Result<Outcome> {
    match cmd {
        TokenCommand::Create {
            common,
            scopes,
            description,
        } => {
            let index = open(&common)?;
            let (id, secret) = create_token(
                &index,
                scopes.iter().map(String::as_str),
                &description,
                "cli",
            )?;
            eprintln!(
                "created token {id} ({}); it is shown only once:",
                scopes.join(", ")
            );
            println!("{secret}");
        }
        TokenCommand::List { common } => {
            let index = open(&common)?;
            println!(
                "{:<18} {:<8} {:<30} {:<21} DESCRIPTION",
                "ID", "STATE", "SCOPES", "CREATED"
            );
            for t in index.list_tokens()? {
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
            let index = open(&common)?;
            if !index.revoke_token(&id)? {
                anyhow::bail!("no active token `{id}`: see `modreg token list`");
            }
            index.append_audit(&AuditEvent {
                action: "token.revoke".into(),
                actor: "cli".into(),
                subject: id.clone(),
                detail: serde_json::json!({}),
            })?;
            eprintln!("revoked {id}; running registries stop accepting it within a second");
        }
    }
    Ok(Outcome::Ok)
}
