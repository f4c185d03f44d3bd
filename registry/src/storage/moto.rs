//! A real S3 API for the storage tests: `moto_server` (installed by `tests/setup.sh`) started
//! on 127.0.0.1 on a free port, path-style. moto does not check signatures, so any static
//! credentials do. A missing `moto_server` fails the test with what to run.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_s3::config::Credentials;
use aws_sdk_s3::Client;

use super::s3::{sdk_config, S3Endpoint};

pub const BUCKET: &str = "modreg-test";

/// A running moto server with one empty bucket; stopped when dropped.
pub struct Moto {
    child: Child,
    pub endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    pub async fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server: run `eval \"$(bash tests/setup.sh)\"` to put it on PATH");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        moto.client(sdk_config(&moto.s3_endpoint()).await.unwrap())
            .create_bucket()
            .bucket(BUCKET)
            .send()
            .await
            .expect("create the test bucket");
        moto
    }

    pub fn s3_endpoint(&self) -> S3Endpoint {
        S3Endpoint {
            region: Some("us-east-1".into()),
            endpoint: Some(self.endpoint.clone()),
            path_style: true,
        }
    }

    /// A client on `config` (from [`sdk_config`], perhaps with interceptors added) with
    /// moto's static credentials.
    pub fn client(&self, config: aws_sdk_s3::config::Builder) -> Client {
        let credentials = Credentials::new("testing", "testing", None, None, "moto");
        Client::from_conf(config.credentials_provider(credentials).build())
    }
}
