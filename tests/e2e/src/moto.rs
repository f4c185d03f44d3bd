//! A real S3 API for the end-to-end tests: `moto_server` (from `tests/setup.sh`) on 127.0.0.1
//! on its own free port, path-style, with one bucket. It can be stopped and started again on
//! the same port to test outages; since moto keeps objects only in memory, the harness carries
//! them across the restart, as a real S3 keeps them through an outage.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_s3::config::Credentials;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;
use registry::storage::{sdk_config, S3Endpoint};

pub const BUCKET: &str = "modreg-e2e";

/// The environment a `modreg` process needs to reach moto through the standard AWS chain.
pub const AWS_ENV: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

pub struct Moto {
    port: u16,
    child: Option<Child>,
    runtime: tokio::runtime::Runtime,
    client: Client,
    saved: Vec<(String, Vec<u8>)>,
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Moto {
    /// Starts moto with an empty bucket.
    pub fn start() -> Moto {
        let port = crate::free_port();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let endpoint = S3Endpoint {
            region: Some("us-east-1".into()),
            endpoint: Some(format!("http://127.0.0.1:{port}")),
            path_style: true,
        };
        let config = runtime.block_on(sdk_config(&endpoint)).unwrap();
        let credentials = Credentials::new("testing", "testing", None, None, "moto");
        let client = Client::from_conf(config.credentials_provider(credentials).build());
        let mut moto = Moto {
            port,
            child: None,
            runtime,
            client,
            saved: Vec::new(),
        };
        moto.spawn();
        moto
    }

    /// `modreg serve|reindex` flags selecting this bucket.
    pub fn flags(&self) -> Vec<String> {
        self.flags_via(self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// [`Moto::flags`] reaching moto through `port` (a [`crate::relay::Relay`]).
    pub fn flags_via(&self, port: u16) -> Vec<String> {
        [
            "--storage",
            "s3",
            "--s3-bucket",
            BUCKET,
            "--s3-region",
            "us-east-1",
            "--s3-path-style",
            "--s3-endpoint",
            &format!("http://127.0.0.1:{port}"),
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// Stops the server, keeping the bucket's objects for [`Moto::start_again`].
    pub fn stop(&mut self) {
        self.saved = self.runtime.block_on(objects(&self.client));
        self.kill();
    }

    /// Starts the server again on the same port, with the objects it had when stopped.
    pub fn start_again(&mut self) {
        self.spawn();
        for (key, bytes) in std::mem::take(&mut self.saved) {
            let put = self
                .client
                .put_object()
                .bucket(BUCKET)
                .key(key)
                .body(ByteStream::from(bytes))
                .send();
            self.runtime.block_on(put).expect("restore an object");
        }
    }

    /// `http://127.0.0.1:PORT`, where presigned URLs point.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every object under `prefix`, by key.
    pub fn objects(&self, prefix: &str) -> Vec<(String, Vec<u8>)> {
        let mut all = self.runtime.block_on(objects(&self.client));
        all.retain(|(k, _)| k.starts_with(prefix));
        all
    }

    /// How many objects the bucket holds under `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        let all = self.runtime.block_on(objects(&self.client));
        all.iter().filter(|(k, _)| k.starts_with(prefix)).count()
    }

    fn spawn(&mut self) {
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server: run `eval \"$(bash tests/setup.sh)\"` to put it on PATH");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let create = self.client.create_bucket().bucket(BUCKET).send();
        self.runtime.block_on(create).expect("create the bucket");
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

async fn objects(client: &Client) -> Vec<(String, Vec<u8>)> {
    let mut pages = client
        .list_objects_v2()
        .bucket(BUCKET)
        .into_paginator()
        .send();
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        for object in page.expect("list the bucket").contents() {
            let key = object.key().unwrap_or_default().to_owned();
            let got = client.get_object().bucket(BUCKET).key(&key).send().await;
            let body = got.expect("read an object").body.collect().await.unwrap();
            all.push((key, body.to_vec()));
        }
    }
    all
}
