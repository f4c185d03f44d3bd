//! `modreg publish DIR`: pack a module reproducibly and upload it to the publish API.

use anyhow::Context as _;
use registry::address::{parse_version, ModuleAddress};
use registry::archive;

use crate::args::PublishArgs;
use crate::Outcome;

fn parse_module(raw: &str) -> anyhow::Result<ModuleAddress> {
    let parts: Vec<&str> = raw.split('/').collect();
    let [ns, name, system] = parts.as_slice() else {
        anyhow::bail!("--module `{raw}` must be `namespace/name/system`, e.g. `platform/vpc/aws`");
    };
    Ok(ModuleAddress::parse(ns, name, system)?)
}

pub async fn run(args: PublishArgs) -> anyhow::Result<Outcome> {
    let address = parse_module(&args.module)?;
    let version = parse_version(&args.version)?;
    let tarball = archive::pack_dir(&args.dir)
        .with_context(|| format!("cannot pack `{}`", args.dir.display()))?;
    let sha256 = archive::sha256_hex(&tarball);
    // Run the registry's own gates locally first: the same errors, before any upload.
    let contents = archive::inspect(&tarball, &archive::Limits::default())?;
    registry::interface::extract(&contents)?;
    if args.dry_run {
        for path in contents.files().keys() {
            println!("{path}");
        }
        eprintln!(
            "would publish {address} {version}: {} bytes, sha256 {sha256}",
            tarball.len()
        );
        return Ok(Outcome::Ok);
    }
    let url = format!(
        "{}/v1/modules/{address}/{version}",
        args.url.trim_end_matches('/')
    );
    let mut request = reqwest::Client::new()
        .put(&url)
        .bearer_auth(&args.token)
        .header("content-type", "application/gzip");
    if let (Some(repo), Some(tag), Some(commit)) =
        (&args.source_repo, &args.source_tag, &args.source_commit)
    {
        request = request
            .header("x-modreg-source-repo", repo)
            .header("x-modreg-source-tag", tag)
            .header("x-modreg-source-commit", commit);
    }
    let response = request
        .body(tarball)
        .send()
        .await
        .with_context(|| format!("cannot reach the registry at {}", args.url))?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    if !status.is_success() {
        let message = body["errors"]
            .as_array()
            .map(|e| {
                e.iter()
                    .filter_map(|m| m.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        anyhow::bail!("the registry refused {address} {version} ({status}): {message}");
    }
    println!("{}", serde_json::to_string_pretty(&body)?);
    eprintln!(
        "{address} {version}: {} (sha256 {sha256})",
        body["outcome"].as_str().unwrap_or("ok")
    );
    Ok(Outcome::Ok)
}
