//! The demo's content: this repository's `modules/*` published as `platform/<name>/aws`.

use std::path::Path;

use anyhow::Context as _;
use bytes::Bytes;

use crate::address::ModuleAddress;
use crate::publish::{NewRelease, Published, Publisher};
use crate::{archive, changelog};

/// The version a module directory declares: the first version heading of its CHANGELOG.md,
/// else 1.0.0.
pub fn declared_version(dir: &Path) -> semver::Version {
    std::fs::read_to_string(dir.join("CHANGELOG.md"))
        .ok()
        .and_then(|text| changelog::versions(&text).next())
        .unwrap_or_else(|| semver::Version::new(1, 0, 0))
}

/// Publishes every module directory under `modules_dir` into `namespace`; returns one line
/// per module (`platform/vpc/aws 1.0.0 created`).
pub async fn load_modules(
    publisher: &Publisher,
    modules_dir: &Path,
    namespace: &str,
) -> anyhow::Result<Vec<String>> {
    let mut dirs: Vec<_> = std::fs::read_dir(modules_dir)
        .with_context(|| format!("cannot read `{}`", modules_dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut lines = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let address = ModuleAddress::parse(namespace, &name, "aws")
            .with_context(|| format!("module directory `{}`", dir.display()))?;
        let version = declared_version(&dir);
        let tarball =
            archive::pack_dir(&dir).with_context(|| format!("cannot pack `{}`", dir.display()))?;
        let outcome = publisher
            .publish(NewRelease {
                address: address.clone(),
                version: version.clone(),
                tarball: Bytes::from(tarball),
                publisher: "demo".into(),
                source: None,
            })
            .await
            .with_context(|| format!("cannot publish `{}`", dir.display()))?;
        let word = match outcome {
            Published::Created(_) => "created",
            Published::Unchanged(_) => "unchanged",
        };
        lines.push(format!("{address} {version} {word}"));
    }
    Ok(lines)
}
