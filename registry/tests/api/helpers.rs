//! `spawn_app`: a real registry on 127.0.0.1:0 with a fresh data dir, plus one method per
//! endpoint and ready-made tokens.

use std::sync::Arc;

use registry::archive::pack_files;
use registry::auth_store::create_token;
use registry::http::AppState;
use registry::settings::{Layer, Settings};
use registry::startup::Application;
use reqwest::{Response, StatusCode};
use tempfile::TempDir;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub read: String,
    pub publisher: String,
    pub admin: String,
    pub state: actix_web::web::Data<AppState>,
    pub dir: Arc<TempDir>,
    /// The `ops_listen` port, when the test configured one.
    pub ops_port: Option<u16>,
}

pub async fn spawn_app() -> TestApp {
    spawn_with(Layer::default()).await
}

pub async fn spawn_with(extra: Layer) -> TestApp {
    let dir = TempDir::new().unwrap();
    let flags = Layer {
        data_dir: Some(dir.path().to_owned()),
        listen: Some("127.0.0.1:0".parse().unwrap()),
        plain_http: Some(true),
        access_log: Some(false),
        workers: Some(1),
        ..Layer::default()
    }
    .under(extra);
    let settings = Settings::load(None, Vec::new(), flags).unwrap();
    let app = Application::build(settings).await.unwrap();
    let state = app.state();
    let index = state.catalog.index();
    let store = state.store.as_ref();
    let mut tokens = Vec::new();
    for scope in ["read", "publish:platform", "admin"] {
        let created = create_token(store, Some(index), [scope], scope, "test").await;
        tokens.push(created.unwrap().1);
    }
    let [read, publisher, admin] = <[String; 3]>::try_from(tokens).unwrap();
    let base = app.base_url().to_owned();
    let ops_port = app.ops_port();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    wait_ready(&client, &base).await;
    TestApp {
        base,
        client,
        read,
        publisher,
        admin,
        state,
        dir: Arc::new(dir),
        ops_port,
    }
}

/// Waits, as a load balancer would, until `/readyz` says the index is loaded.
async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        let ready = client.get(format!("{base}/readyz")).send().await;
        if ready.is_ok_and(|r| r.status() == StatusCode::OK) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the registry did not become ready within 5 s");
}

/// A small valid module with one input and one output.
pub fn module_files(description: &str) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "main.tf".into(),
            format!(
                "variable \"name\" {{\n  type        = string\n  description = \"{description}\"\n}}\n\noutput \"greeting\" {{\n  description = \"Hello\"\n  value       = \"hello ${{var.name}}\"\n}}\n"
            )
            .into_bytes(),
        ),
        ("README.md".into(), b"# Greeter\n\nSays hello.\n".to_vec()),
    ]
}

pub fn tarball(description: &str) -> Vec<u8> {
    pack_files(module_files(description))
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    pub async fn head(&self, path: &str, token: Option<&str>) -> Response {
        let mut req = self.client.head(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    pub async fn versions(&self, module: &str) -> Response {
        self.get(&format!("/v1/modules/{module}/versions"), Some(&self.read))
            .await
    }

    pub async fn download(&self, module: &str, version: &str) -> Response {
        self.get(
            &format!("/v1/modules/{module}/{version}/download"),
            Some(&self.read),
        )
        .await
    }

    pub async fn publish_as(
        &self,
        module: &str,
        version: &str,
        body: Vec<u8>,
        token: Option<&str>,
    ) -> Response {
        let mut req = self
            .client
            .put(self.url(&format!("/v1/modules/{module}/{version}")))
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    pub async fn publish(&self, module: &str, version: &str, body: Vec<u8>) -> Response {
        self.publish_as(module, version, body, Some(&self.publisher))
            .await
    }

    /// Publishes the standard test module and insists it was created.
    pub async fn seed(&self, module: &str, version: &str) {
        let r = self.publish(module, version, tarball("Who to greet")).await;
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
    }
}

/// The `errors[0]` of an error body.
pub async fn error_of(r: Response) -> String {
    let body: serde_json::Value = r.json().await.unwrap();
    body["errors"][0].as_str().unwrap_or_default().to_owned()
}
