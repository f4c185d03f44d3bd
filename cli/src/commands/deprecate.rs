//! `modreg deprecate`: mark a release deprecated (it stays installable), or `--undo`.

use registry::address::parse_version;
use reqwest::Method;

use super::publish::parse_module;
use super::remote::Registry;
use crate::args::DeprecateArgs;
use crate::Outcome;

pub async fn run(args: DeprecateArgs) -> anyhow::Result<Outcome> {
    let address = parse_module(&args.module)?;
    let version = parse_version(&args.version)?;
    let registry = Registry::new(&args.registry.url, args.registry.token.clone());
    let path = format!("/v1/modules/{address}/{version}/deprecation");
    if args.undo {
        let body = registry
            .send(registry.request(Method::DELETE, &path))
            .await?;
        let was = body["was_deprecated"].as_bool().unwrap_or(false);
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
    let replacement = args.replacement.as_deref().map(parse_version).transpose()?;
    let body = serde_json::json!({
        "reason": args.reason.unwrap_or_default(),
        "replacement": replacement.map(|v| v.to_string()),
    });
    let answer = registry
        .send(registry.request(Method::PUT, &path).json(&body))
        .await?;
    println!("{}", serde_json::to_string_pretty(&answer["deprecation"])?);
    eprintln!(
        "{address} {version}: deprecated (still installable by any constraint that matches it)"
    );
    Ok(Outcome::Ok)
}
