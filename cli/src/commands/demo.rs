//! `modreg demo`: one command from a fresh clone to `terraform init` working.
//!
//! Generates a local CA and server certificate (kept in the data dir, so trust survives
//! restarts), publishes `modules/*` as `platform/<name>/aws`, keeps one read token, and prints
//! everything a user pastes into their Terraform setup.

use std::path::Path;

use registry::auth::hash_token;
use registry::auth_store::create_token;
use registry::index::Index;
use registry::settings::{Layer, Settings};
use registry::startup::Application;
use registry::storage::BlobStore;
use registry::tls::ensure_local_ca;

use crate::args::DemoArgs;
use crate::Outcome;

const TOKEN_FILE: &str = "demo-read-token";

pub async fn run(args: DemoArgs) -> anyhow::Result<Outcome> {
    let data_dir = std::path::absolute(&args.data_dir)?;
    std::fs::create_dir_all(&data_dir)?;
    let ca = ensure_local_ca(&data_dir.join("tls"), &[args.listen.ip()])?;
    let flags = Layer {
        data_dir: Some(data_dir.clone()),
        listen: Some(args.listen),
        tls_cert: Some(Some(ca.server_cert.clone())),
        tls_key: Some(Some(ca.server_key.clone())),
        ..Layer::default()
    };
    let settings = Settings::load(None, std::env::vars(), flags)?;
    let _logs = registry::telemetry::init(settings.log_format);
    let app = Application::build(settings).await?;
    let state = app.state();
    let index = state.catalog.index().clone();
    let read_token = demo_token(state.store.as_ref(), &index, &data_dir).await?;
    let loaded = registry::demo::load_modules(&state.publisher, &args.modules, "platform").await?;
    state.catalog.invalidate();

    let host = app.base_url().trim_start_matches("https://").to_owned();
    let names: Vec<&str> = loaded
        .iter()
        .filter_map(|l| l.split_whitespace().next()?.split('/').nth(1))
        .collect();
    let example = if names.contains(&"vpc") {
        "vpc"
    } else {
        names.first().copied().unwrap_or("vpc")
    };
    let required = required_inputs(&index, example);
    eprintln!("published {} modules:", loaded.len());
    for line in &loaded {
        eprintln!("  {line}");
    }
    println!(
        r#"
modreg demo registry: {url}

Read token (kept in {token_file}):
  {read_token}

1. Trust the demo CA (Terraform reads this before every command):
  export SSL_CERT_FILE={ca}

2. Give Terraform the token, in the file named by TF_CLI_CONFIG_FILE:
  credentials "{host}" {{
    token = "{read_token}"
  }}

3. Use a module:
  module "{example}" {{
    source  = "{host}/platform/{example}/aws"
    version = "~> 1.0"
    # required inputs: {required}
  }}
"#,
        url = app.base_url(),
        token_file = data_dir.join(TOKEN_FILE).display(),
        ca = ca.ca_cert.display(),
    );
    app.run_until_stopped().await?;
    Ok(Outcome::Ok)
}

/// `name (type), …` of the example module's required inputs, for the printed module block.
fn required_inputs(index: &Index, name: &str) -> String {
    let Ok(addr) = registry::address::ModuleAddress::parse("platform", name, "aws") else {
        return String::new();
    };
    let latest = index.latest(&addr, false).ok().flatten();
    let manifest = latest
        .and_then(|r| index.manifest_json(&addr, &r.version).ok().flatten())
        .and_then(|json| serde_json::from_str::<registry::manifest::Manifest>(&json).ok());
    manifest
        .map(|m| {
            m.interface
                .root
                .inputs
                .iter()
                .filter(|i| i.required)
                .map(|i| format!("{} ({})", i.name, i.type_expr.as_deref().unwrap_or("any")))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The demo's read token: reused while it is still valid, otherwise created again.
async fn demo_token(
    store: &dyn BlobStore,
    index: &Index,
    data_dir: &Path,
) -> anyhow::Result<String> {
    let path = data_dir.join(TOKEN_FILE);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if let Some(row) = index.token_by_hash(&hash_token(&existing))? {
            if row.revoked_at.is_none() {
                return Ok(existing);
            }
        }
    }
    let (_, secret) = create_token(store, Some(index), ["read"], "demo read token", "demo").await?;
    std::fs::write(&path, &secret)?;
    Ok(secret)
}
