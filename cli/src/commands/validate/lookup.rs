//! Versions and interfaces of the registry modules a configuration calls: fetched once per
//! module and release per run, concurrently, through the interface cache; `--offline` reads
//! only the cache.

use std::collections::HashMap;

use anyhow::Context as _;
use futures_util::future::join_all;
use registry::api_model::{ModuleDetailsBody, VersionsBody};

use super::cache::Cache;
use super::source::RegistrySource;
use crate::client::{self, ClientError, RegistryClient};
use crate::credentials::Sources;

/// What the registry said about a module's versions.
#[derive(Debug, Clone)]
pub enum Versions {
    Listed(VersionsBody),
    /// 404: the registry has no such module (its message).
    NotFound(String),
    /// Offline, and never fetched before.
    NotCached,
}

pub struct Lookup {
    cache: Cache,
    offline: bool,
    token: Option<String>,
    credentials: Sources,
    clients: HashMap<String, RegistryClient>,
}

impl Lookup {
    pub fn new(cache: Cache, offline: bool, token: Option<String>) -> Lookup {
        Lookup {
            cache,
            offline,
            token,
            credentials: Sources::from_environment(),
            clients: HashMap::new(),
        }
    }

    /// Discovers each host once (not offline).
    async fn connect(&mut self, hosts: &[String]) -> anyhow::Result<()> {
        let http = client::http_client()?;
        let mut pending = Vec::new();
        for host in hosts {
            if self.clients.contains_key(host) {
                continue;
            }
            let token = match &self.token {
                Some(t) => Some(t.clone()),
                None => self.credentials.token_for(host)?,
            };
            let http = http.clone();
            let forced = self.credentials.modules_service_for(host)?;
            pending.push(async move {
                let client = match forced {
                    Some(url) => RegistryClient::with_service(http, &url, token),
                    None => RegistryClient::discover(http, &format!("https://{host}"), token).await,
                };
                (host.clone(), client)
            });
        }
        for (host, result) in join_all(pending).await {
            let client = result.map_err(|e| explain(e, &host))?;
            self.clients.insert(host, client);
        }
        Ok(())
    }

    /// The versions of every source, by `RegistrySource::key`.
    pub async fn versions(
        &mut self,
        sources: &[RegistrySource],
    ) -> anyhow::Result<HashMap<String, Versions>> {
        let mut out = HashMap::new();
        if self.offline {
            for s in sources {
                let found = self
                    .cache
                    .versions(&s.key())
                    .map_or(Versions::NotCached, Versions::Listed);
                out.insert(s.key(), found);
            }
            return Ok(out);
        }
        let mut hosts: Vec<String> = sources.iter().map(|s| s.host.clone()).collect();
        hosts.sort();
        hosts.dedup();
        self.connect(&hosts).await?;
        let calls = sources.iter().map(|s| {
            let client = &self.clients[&s.host];
            async move { (s, client.versions(&s.address()).await) }
        });
        for (s, result) in join_all(calls).await {
            let found = match result {
                Ok(body) => {
                    self.cache.store_versions(&s.key(), &body);
                    Versions::Listed(body)
                }
                Err(ClientError::Status {
                    status, message, ..
                }) if status == 404 => Versions::NotFound(message),
                Err(e) => return Err(explain(e, &s.host)),
            };
            out.insert(s.key(), found);
        }
        Ok(out)
    }

    /// Interfaces of `(source, version, listed sha256)`, from the cache when it holds that
    /// archive's, else from the registry (and then cached). Missing offline: `None`.
    pub async fn details(
        &mut self,
        wanted: &[(RegistrySource, String, Option<String>)],
    ) -> anyhow::Result<HashMap<(String, String), ModuleDetailsBody>> {
        let mut out = HashMap::new();
        let mut missing = Vec::new();
        for (s, version, sha) in wanted {
            match self.cache.details(&s.key(), version, sha.as_deref()) {
                Some(body) => {
                    out.insert((s.key(), version.clone()), body);
                }
                None if !self.offline => missing.push((s, version)),
                None => {}
            }
        }
        let calls = missing.into_iter().map(|(s, version)| {
            let client = &self.clients[&s.host];
            async move { (s, version, client.details(&s.address(), version).await) }
        });
        for (s, version, result) in join_all(calls).await {
            let body = result.map_err(|e| explain(e, &s.host)).with_context(|| {
                format!("cannot read the interface of {} {version}", s.address())
            })?;
            self.cache.store_details(&s.key(), &body);
            out.insert((s.key(), version.clone()), body);
        }
        Ok(out)
    }
}

/// Registry errors that stop the run, with what to do about them.
fn explain(e: ClientError, host: &str) -> anyhow::Error {
    let hint = match e.status().map(|s| s.as_u16()) {
        Some(401 | 403) => format!(
            "give a token for `{host}`: --token, TF_TOKEN_{} or a `credentials \"{host}\"` block in the Terraform CLI config",
            host.replace('-', "__").replace('.', "_")
        ),
        _ => format!("check that `{host}` is reachable, or run with --offline to use the cache"),
    };
    anyhow::Error::new(e).context(hint)
}
