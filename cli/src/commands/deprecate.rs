//! `modreg deprecate`: mark a release deprecated (it stays installable), or `--undo`.

use registry::address::parse_version;

use super::publish::parse_module;
use crate::args::DeprecateArgs;
use crate::client::{self, RegistryClient};
use crate::Outcome;

pub async fn run(args: DeprecateArgs) -> anyhow::Result<Outcome> {
    let address = parse_module(&args.module)?;
    let version = parse_version(&args.version)?;
    let client = RegistryClient::discover(
        client::http_client()?,
        &args.registry.url,
        args.registry.token.clone(),
    )
    .await?;
    let (module, release) = (address.to_string(), version.to_string());
    if args.undo {
        let was = client.undeprecate(&module, &release).await?;
        eprintln!(
            "{address} {version}: {}",
            if was {
                "deprecation withdrawn"
            } else {
                "was not deprecated"
            }
        );
        return Ok(Outcome::Ok);
    }
    let replacement = args
        .replacement
        .as_deref()
        .map(parse_version)
        .transpose()?
        .map(|v| v.to_string());
    let deprecation = client
        .deprecate(
            &module,
            &release,
            &args.reason.unwrap_or_default(),
            replacement.as_deref(),
        )
        .await?;
    println!("{}", serde_json::to_string_pretty(&deprecation)?);
    eprintln!(
        "{address} {version}: deprecated (still installable by any constraint that matches it)"
    );
    Ok(Outcome::Ok)
}
