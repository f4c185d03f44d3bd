//! Fetching a private SSH remote: the test runs its own OpenSSH server (`/usr/sbin/sshd`, from
//! Debian `openssh-server`, installed by `tests/setup.sh`) on 127.0.0.1 as the current user,
//! with a generated host key and one authorized deploy key. With that key the watcher publishes
//! the repository's tags; with another key the source fails with an error that names it and
//! points at `ssh_key_file`, and no key material reaches the error or the log. The host key is
//! remembered in the registry's own `<data_dir>/git/known_hosts`, not in `~/.ssh/known_hosts`.
//!
//! Its own test binary with one test, because it installs the global log subscriber.

#[allow(
    dead_code,
    reason = "shared with the api tests; this binary uses a part"
)]
#[path = "api/git_repo.rs"]
mod git_repo;
#[allow(
    dead_code,
    reason = "shared with the api tests; this binary uses a part"
)]
#[path = "api/helpers.rs"]
mod helpers;

use std::io::Write;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use git_repo::{eventually, with_sources, GitRepo};
use registry::git_watch::GitSource;
use serde_json::Value;

const SSHD: &str = "/usr/sbin/sshd";

/// The running sshd; killed when the test ends, however it ends.
struct Sshd(Child);

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Everything the tracing subscriber writes, so the test can read the log.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A fresh ed25519 key pair at `path` (private, mode 0600) and `path.pub`.
fn keygen(path: &Path) -> PathBuf {
    run(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "modreg-test", "-f"])
        .arg(path));
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path.to_owned()
}

fn private_dir(path: &Path) -> PathBuf {
    std::fs::create_dir_all(path).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).unwrap();
    path.to_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts sshd on 127.0.0.1:`port` serving `authorized` keys, and waits until it listens.
fn start_sshd(dir: &Path, port: u16, authorized: &Path) -> Sshd {
    assert!(
        Path::new(SSHD).exists(),
        "{SSHD} is missing: install Debian openssh-server (tests/setup.sh does)"
    );
    // sshd started by root insists on its privilege-separation directory, which a container
    // without systemd has not created.
    if run(Command::new("id").arg("-u")).trim() == "0" {
        std::fs::create_dir_all("/run/sshd").unwrap();
    }
    let host_key = keygen(&dir.join("host_key"));
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "ListenAddress 127.0.0.1\nPort {port}\nHostKey {}\nAuthorizedKeysFile {}\n\
             PidFile {}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
             PermitRootLogin prohibit-password\nLogLevel VERBOSE\n",
            host_key.display(),
            authorized.display(),
            dir.join("sshd.pid").display(),
        ),
    )
    .unwrap();
    run(Command::new(SSHD).arg("-t").arg("-f").arg(&config));
    let log = std::fs::File::create(dir.join("sshd.log")).unwrap();
    let child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdin(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("sshd starts");
    let mut sshd = Sshd(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = sshd.0.try_wait().unwrap() {
            panic!(
                "sshd exited with {status}: {}",
                std::fs::read_to_string(dir.join("sshd.log")).unwrap()
            );
        }
        assert!(Instant::now() < deadline, "sshd did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    sshd
}

fn ssh_source(name: &str, url: &str, key: &Path) -> GitSource {
    toml::from_str(&format!(
        "name = \"{name}\"\nurl = \"{url}\"\nnamespace = \"platform\"\npoll_secs = 0\nssh_key_file = '{}'\n",
        key.display()
    ))
    .unwrap()
}

#[test]
fn an_ssh_remote_is_fetched_with_the_deploy_key_and_a_wrong_key_names_the_source() {
    let log = Log::default();
    let writer = log.clone();
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let work = tempfile::tempdir().unwrap();
    let keys = private_dir(&work.path().join("keys"));
    let deploy_key = keygen(&keys.join("deploy"));
    let wrong_key = keygen(&keys.join("wrong"));
    let authorized = keys.join("authorized_keys");
    std::fs::copy(deploy_key.with_extension("pub"), &authorized).unwrap();
    std::fs::set_permissions(&authorized, std::fs::Permissions::from_mode(0o600)).unwrap();
    let port = free_port();
    let sshd_dir = private_dir(&work.path().join("sshd"));
    let sshd = start_sshd(&sshd_dir, port, &authorized);

    let repo = GitRepo::new();
    repo.commit_module("a", &["name"], "a 1.0.0");
    repo.tag("a/v1.0.0");
    repo.commit_module("a", &["name"], "a 1.1.0");
    repo.tag("a/v1.1.0");
    let bare = work.path().join("srv/infra.git");
    run(Command::new("git")
        .args(["clone", "-q", "--bare"])
        .arg(repo.path())
        .arg(&bare));
    let user = run(Command::new("id").arg("-un")).trim().to_owned();
    let url = format!("ssh://{user}@127.0.0.1:{port}{}", bare.display());

    let sources = vec![
        ssh_source("deploy-key", &url, &deploy_key),
        ssh_source("wrong-key", &url, &wrong_key),
    ];
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let app = helpers::spawn_with(with_sources(sources)).await;
        let wait = Duration::from_secs(60);
        let versions: Value = eventually("a fetched over SSH", wait, || async {
            let r = app.versions("platform/a/aws").await;
            if r.status() != 200 {
                return None;
            }
            let body: Value = r.json().await.unwrap();
            (body["modules"][0]["versions"].as_array()?.len() == 2).then_some(body)
        })
        .await;
        let mut published: Vec<&str> = versions["modules"][0]["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version"].as_str().unwrap())
            .collect();
        published.sort_unstable();
        assert_eq!(published, ["1.0.0", "1.1.0"]);
        let details: Value = app
            .get("/v1/modules/platform/a/aws/1.1.0", Some(&app.read))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(details["source"], url);

        let wrong = eventually("source wrong-key to fail", wait, || async {
            let body: Value = app.get("/readyz", None).await.json().await.unwrap();
            body["git"]
                .as_array()?
                .iter()
                .find(|s| s["name"] == "wrong-key" && s["state"] == "failing")
                .map(|s| s["last_error"].as_str().unwrap().to_owned())
        })
        .await;
        assert!(
            wrong.starts_with(&format!(
                "git source `wrong-key`: {url} refused the credentials \
                 (check ssh_key_file and that its public key has access):"
            )),
            "{wrong}"
        );
        assert!(wrong.contains("Permission denied"), "{wrong}");

        // The host key went into the registry's own known_hosts, not the user's.
        // Entries may be hashed (Debian's ssh_config sets HashKnownHosts), so ask ssh-keygen.
        let host = format!("[127.0.0.1]:{port}");
        let lookup = |file: &Path| {
            Command::new("ssh-keygen")
                .args(["-F", &host, "-f"])
                .arg(file)
                .output()
                .unwrap()
        };
        let remembered = lookup(&app.dir.path().join("git/known_hosts"));
        assert!(
            remembered.status.success(),
            "the host key is not in <data_dir>/git/known_hosts"
        );
        let host_key = std::fs::read_to_string(sshd_dir.join("host_key.pub")).unwrap();
        let host_key_body = host_key.split_whitespace().nth(1).unwrap();
        assert!(String::from_utf8_lossy(&remembered.stdout).contains(host_key_body));
        if let Some(home) = std::env::var_os("HOME") {
            let user_known = Path::new(&home).join(".ssh/known_hosts");
            assert!(
                !user_known.exists() || !lookup(&user_known).status.success(),
                "the test server was written into ~/.ssh/known_hosts"
            );
        }

        // Neither private key (nor any line of it) is in the error or the log.
        let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert!(
            logged.contains("wrong-key"),
            "the failure is logged: {logged}"
        );
        for key in [&deploy_key, &wrong_key] {
            let private = std::fs::read_to_string(key).unwrap();
            for line in private.lines().filter(|l| !l.starts_with("-----")) {
                assert!(!wrong.contains(line), "key material in the error: {wrong}");
                assert!(!logged.contains(line), "key material in the log");
            }
        }
        assert!(!logged.contains("PRIVATE KEY") && !wrong.contains("PRIVATE KEY"));
    });
    drop(sshd);
}
