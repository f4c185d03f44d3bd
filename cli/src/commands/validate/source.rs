//! Module `source` strings classified as Terraform classifies them: a local path, a registry
//! address (`[host[:port]/]namespace/name/system[//subdir]`), or any other remote source.

/// Terraform's default registry host for three-part addresses.
pub const PUBLIC_REGISTRY: &str = "registry.terraform.io";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `./…` or `../…`, relative to the calling module's directory.
    Local(String),
    Registry(RegistrySource),
    /// `git::`, `s3::`, `https://`, `github.com/…` and every other go-getter form.
    Remote(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegistrySource {
    pub host: String,
    pub namespace: String,
    pub name: String,
    pub system: String,
    /// After `//`, without leading or trailing slashes; empty for the root.
    pub subdir: String,
}

impl RegistrySource {
    /// `namespace/name/system`, lower-cased as the registry matches it.
    pub fn address(&self) -> String {
        format!("{}/{}/{}", self.namespace, self.name, self.system).to_lowercase()
    }

    /// `host/namespace/name/system`, the key of caches and of the per-run memo.
    pub fn key(&self) -> String {
        format!("{}/{}", self.host.to_lowercase(), self.address())
    }
}

fn valid_part(part: &str) -> bool {
    let bytes = part.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
}

fn valid_system(part: &str) -> bool {
    !part.is_empty()
        && part.len() <= 64
        && part
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

impl Source {
    pub fn parse(raw: &str) -> Source {
        if raw.starts_with("./") || raw.starts_with("../") || raw == "." || raw == ".." {
            return Source::Local(raw.to_owned());
        }
        match parse_registry(raw) {
            Some(registry) => Source::Registry(registry),
            None => Source::Remote(raw.to_owned()),
        }
    }
}

fn parse_registry(raw: &str) -> Option<RegistrySource> {
    if raw.contains("::") || raw.contains('?') || raw.contains("://") {
        return None;
    }
    let (package, subdir) = match raw.split_once("//") {
        Some((package, subdir)) => (package, subdir.trim_matches('/')),
        None => (raw, ""),
    };
    if subdir.starts_with("../") || subdir == ".." {
        return None;
    }
    let parts: Vec<&str> = package.split('/').collect();
    let (host, rest) = match parts.as_slice() {
        [ns, name, system] => (PUBLIC_REGISTRY.to_owned(), [*ns, *name, *system]),
        [host, ns, name, system] => {
            let bare = host.split(':').next().unwrap_or(host).to_lowercase();
            if !host.contains('.') || bare == "github.com" || bare == "bitbucket.org" {
                return None;
            }
            (host.to_string(), [*ns, *name, *system])
        }
        _ => return None,
    };
    let [namespace, name, system] = rest;
    (valid_part(namespace) && valid_part(name) && valid_system(system)).then(|| RegistrySource {
        host,
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        system: system.to_owned(),
        subdir: subdir.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(raw: &str) -> RegistrySource {
        match Source::parse(raw) {
            Source::Registry(r) => r,
            other => panic!("{raw} is {other:?}"),
        }
    }

    #[test]
    fn registry_addresses_with_and_without_host_port_and_subdir() {
        let r = registry("registry.example.com:8443/platform/vpc/aws//modules/endpoints");
        assert_eq!(r.host, "registry.example.com:8443");
        assert_eq!(r.address(), "platform/vpc/aws");
        assert_eq!(r.subdir, "modules/endpoints");
        assert_eq!(registry("platform/vpc/aws").host, PUBLIC_REGISTRY);
        assert_eq!(
            registry("127.0.0.1:9443/platform/vpc/aws").host,
            "127.0.0.1:9443"
        );
    }

    #[test]
    fn local_paths_and_other_remotes_are_not_registry_addresses() {
        for raw in ["./modules/x", "../shared"] {
            assert_eq!(Source::parse(raw), Source::Local(raw.to_owned()));
        }
        for raw in [
            "git::https://example.com/vpc.git?ref=v1.0.0",
            "github.com/acme/vpc/aws",
            "s3::https://s3.amazonaws.com/bucket/vpc.zip",
            "https://example.com/vpc.tar.gz",
            "localhost/platform/vpc/aws",
            "platform/vpc.x/aws",
            "platform/vpc/AWS",
            "platform/vpc/aws?ref=1",
        ] {
            assert!(matches!(Source::parse(raw), Source::Remote(_)), "{raw}");
        }
    }
}
