//! Registry tokens found where Terraform finds them, in its order: `TF_TOKEN_<host>`
//! environment variables, then `credentials "<host>" { token = "…" }` blocks in the CLI config
//! file (`TF_CLI_CONFIG_FILE`, else `~/.terraformrc`) and in `~/.terraform.d/credentials.tfrc.json`
//! (written by `terraform login`). The same CLI config file's `host "<name>" { services = {
//! "modules.v1" = "…" } }` blocks override service discovery for a host, as in Terraform.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// Hosts compare as Terraform's `svchost.ForComparison` does: case-insensitive, `:443` dropped.
fn for_comparison(host: &str) -> String {
    let host = host.trim().to_lowercase();
    host.strip_suffix(":443").map(str::to_owned).unwrap_or(host)
}

/// The host named by a `TF_TOKEN_` variable: the first `__` of each pair is a `-`, the rest of
/// the `_` are dots (`TF_TOKEN_registry_my__corp_io` → `registry.my-corp.io`).
pub fn env_host(var_suffix: &str) -> String {
    var_suffix.replace("__", "-").replace('_', ".")
}

/// Where Terraform's credentials live, so tests can point elsewhere.
pub struct Sources {
    pub env: Vec<(String, String)>,
    /// The CLI config file, when one is configured or exists.
    pub config_file: Option<PathBuf>,
    /// `credentials.tfrc.json` in Terraform's config directory.
    pub credentials_json: Option<PathBuf>,
}

impl Sources {
    /// The process environment and the user's files.
    pub fn from_environment() -> Self {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let config_file = std::env::var_os("TF_CLI_CONFIG_FILE")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".terraformrc")));
        Sources {
            env: std::env::vars().collect(),
            config_file,
            credentials_json: home.map(|h| h.join(".terraform.d/credentials.tfrc.json")),
        }
    }

    /// The token for `host`, or `None` when Terraform would send none.
    pub fn token_for(&self, host: &str) -> anyhow::Result<Option<String>> {
        let wanted = for_comparison(host);
        for (name, value) in &self.env {
            if let Some(suffix) = name.strip_prefix("TF_TOKEN_") {
                if for_comparison(&env_host(suffix)) == wanted && !value.is_empty() {
                    return Ok(Some(value.clone()));
                }
            }
        }
        if let Some(file) = &self.config_file {
            if let Some(token) = hcl_credentials(file, &wanted)? {
                return Ok(Some(token));
            }
        }
        if let Some(file) = &self.credentials_json {
            if let Some(token) = json_credentials(file, &wanted)? {
                return Ok(Some(token));
            }
        }
        Ok(None)
    }
}

impl Sources {
    /// The `modules.v1` URL a `host` block of the CLI config forces for `host`.
    pub fn modules_service_for(&self, host: &str) -> anyhow::Result<Option<String>> {
        let Some(path) = &self.config_file else {
            return Ok(None);
        };
        let Some(body) = read_config(path)? else {
            return Ok(None);
        };
        let wanted = for_comparison(host);
        for block in body.blocks().filter(|b| b.identifier() == "host") {
            if block.labels().first().map(|l| for_comparison(l.as_str())) != Some(wanted.clone()) {
                continue;
            }
            for attr in block.body().attributes().filter(|a| a.key() == "services") {
                if let hcl::Expression::Object(services) = attr.expr() {
                    for (key, value) in services {
                        let key = match key {
                            hcl::ObjectKey::Identifier(i) => i.to_string(),
                            hcl::ObjectKey::Expression(hcl::Expression::String(s)) => s.clone(),
                            _ => continue,
                        };
                        if let (true, hcl::Expression::String(url)) = (key == "modules.v1", value) {
                            return Ok(Some(url.clone()));
                        }
                    }
                }
            }
        }
        Ok(None)
    }
}

fn read_config(path: &Path) -> anyhow::Result<Option<hcl::Body>> {
    let Some(text) = read_optional(path)? else {
        return Ok(None);
    };
    hcl::from_str(&text)
        .map(Some)
        .with_context(|| format!("`{}` is not a valid Terraform CLI config", path.display()))
}

/// A file that does not exist holds no credentials (Terraform ignores it too).
fn read_optional(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    }
}

fn hcl_credentials(path: &Path, host: &str) -> anyhow::Result<Option<String>> {
    let Some(body) = read_config(path)? else {
        return Ok(None);
    };
    for block in body.blocks().filter(|b| b.identifier() == "credentials") {
        let Some(label) = block.labels().first() else {
            continue;
        };
        if for_comparison(label.as_str()) != host {
            continue;
        }
        for attr in block.body().attributes().filter(|a| a.key() == "token") {
            if let hcl::Expression::String(token) = attr.expr() {
                return Ok(Some(token.clone()));
            }
        }
    }
    Ok(None)
}

fn json_credentials(path: &Path, host: &str) -> anyhow::Result<Option<String>> {
    let Some(text) = read_optional(path)? else {
        return Ok(None);
    };
    let doc: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("`{}` is not valid JSON", path.display()))?;
    let Some(hosts) = doc["credentials"].as_object() else {
        return Ok(None);
    };
    Ok(hosts
        .iter()
        .find(|(name, _)| for_comparison(name) == host)
        .and_then(|(_, entry)| entry["token"].as_str().map(str::to_owned)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(
        env: &[(&str, &str)],
        config: Option<&str>,
        json: Option<&str>,
    ) -> (Sources, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: Option<&str>| {
            text.map(|t| {
                let path = dir.path().join(name);
                std::fs::write(&path, t).unwrap();
                path
            })
        };
        let sources = Sources {
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            config_file: write("cli.tfrc", config).or(Some(dir.path().join("missing.tfrc"))),
            credentials_json: write("credentials.tfrc.json", json),
        };
        (sources, dir)
    }

    #[test]
    fn tf_token_names_map_double_underscores_to_hyphens_and_underscores_to_dots() {
        assert_eq!(env_host("registry_my__corp_io"), "registry.my-corp.io");
        let (s, _d) = sources(&[("TF_TOKEN_Registry_my__corp_io", "t1")], None, None);
        assert_eq!(
            s.token_for("registry.my-corp.io:443").unwrap().as_deref(),
            Some("t1")
        );
    }

    #[test]
    fn the_environment_wins_over_the_config_file_which_wins_over_terraform_login() {
        let config = "credentials \"r.example.com\" {\n  token = \"from-config\"\n}\n";
        let json = r#"{"credentials":{"r.example.com":{"token":"from-login"},"other.example.com":{"token":"o"}}}"#;
        let (s, _d) = sources(
            &[("TF_TOKEN_r_example_com", "from-env")],
            Some(config),
            Some(json),
        );
        assert_eq!(
            s.token_for("r.example.com").unwrap().as_deref(),
            Some("from-env")
        );
        let (s, _d) = sources(&[], Some(config), Some(json));
        assert_eq!(
            s.token_for("R.example.com").unwrap().as_deref(),
            Some("from-config")
        );
        let (s, _d) = sources(&[], None, Some(json));
        assert_eq!(
            s.token_for("other.example.com").unwrap().as_deref(),
            Some("o")
        );
        assert_eq!(s.token_for("nobody.example.com").unwrap(), None);
    }

    #[test]
    fn a_host_with_a_port_needs_the_port_in_the_credentials_label() {
        let config = "credentials \"127.0.0.1:8443\" {\n  token = \"t\"\n}\n";
        let (s, _d) = sources(&[], Some(config), None);
        assert_eq!(s.token_for("127.0.0.1:8443").unwrap().as_deref(), Some("t"));
        assert_eq!(s.token_for("127.0.0.1").unwrap(), None);
    }

    #[test]
    fn a_host_block_forces_the_modules_service() {
        let config = "host \"registry.example.com\" {\n  services = {\n    \"modules.v1\" = \"https://127.0.0.1:1/v1/modules/\"\n  }\n}\n";
        let (s, _d) = sources(&[], Some(config), None);
        assert_eq!(
            s.modules_service_for("Registry.Example.com")
                .unwrap()
                .as_deref(),
            Some("https://127.0.0.1:1/v1/modules/")
        );
        assert_eq!(s.modules_service_for("other.example.com").unwrap(), None);
    }

    #[test]
    fn a_broken_config_file_is_an_error_naming_it() {
        let (s, _d) = sources(&[], Some("credentials {{{"), None);
        let err = s.token_for("x.example.com").unwrap_err();
        assert!(err.to_string().contains("cli.tfrc"), "{err}");
    }
}
