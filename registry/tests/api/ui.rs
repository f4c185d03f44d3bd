//! The web UI, rendered by a spawned registry: page content, HTML structure (snapshots with
//! timestamps and asset hashes redacted), inert hostile READMEs, login, and security headers.

use registry::archive::pack_files;
use registry::settings::Layer;
use reqwest::{header, StatusCode};

use crate::helpers::{spawn_app, spawn_with, TestApp};

/// A module with every part the page shows: typed inputs with defaults, a sensitive output,
/// resources, provider requirements, a submodule and an example.
fn rich_module(extra_input: &str, readme: &str) -> Vec<u8> {
    let main = format!(
        r#"terraform {{
  required_version = ">= 1.6"
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }}
  }}
}}

variable "cidr_block" {{
  type        = string
  description = "IPv4 range of the VPC"
}}

variable "tags" {{
  type        = map(string)
  default     = {{ team = "platform" }}
  description = "Extra tags"
  deprecated  = "set default_tags on the provider instead"
}}
{extra_input}
resource "aws_vpc" "this" {{
  cidr_block = var.cidr_block
}}

output "vpc_id" {{
  description = "ID of the VPC"
  value       = aws_vpc.this.id
}}

output "secret" {{
  description = "A sensitive value"
  value       = "x"
  sensitive   = true
}}
"#
    );
    pack_files(vec![
        ("main.tf".into(), main.into_bytes()),
        ("README.md".into(), readme.as_bytes().to_vec()),
        ("CHANGELOG.md".into(), CHANGELOG.as_bytes().to_vec()),
        (
            "modules/endpoints/main.tf".into(),
            b"variable \"vpc_id\" {\n  type        = string\n  description = \"VPC to attach to\"\n}\n".to_vec(),
        ),
        ("modules/endpoints/README.md".into(), b"# Endpoints\n\nInterface endpoints.\n".to_vec()),
        (
            "examples/complete/main.tf".into(),
            b"module \"vpc\" {\n  source     = \"../..\"\n  cidr_block = \"10.0.0.0/16\"\n}\n".to_vec(),
        ),
    ])
}

const CHANGELOG: &str = "# Changelog\n\n## [1.1.0] - 2026-11-30\n\n### Added\n\n- `flow_logs` input.\n\n## [1.0.0]\n\n- First release.\n";

const README: &str = "# VPC\n\nCreates a VPC with private subnets.\n\n## Usage\n\n| Name | Value |\n|---|---|\n| a | b |\n";

impl TestApp {
    async fn page(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path, Some(&self.read)).await;
        let status = r.status();
        (status, r.text().await.unwrap())
    }

    async fn publish_rich(&self, version: &str, extra_input: &str, readme: &str) {
        let r = self
            .client
            .put(self.url(&format!("/v1/modules/platform/vpc/aws/{version}")))
            .bearer_auth(&self.publisher)
            .header(
                "x-modreg-source-repo",
                "https://git.internal/platform/modules.git",
            )
            .header("x-modreg-source-tag", format!("vpc/v{version}"))
            .header(
                "x-modreg-source-commit",
                "0123456789abcdef0123456789abcdef01234567",
            )
            .body(rich_module(extra_input, readme))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
    }

    /// The page with what changes between runs replaced: publish times, tarball digests (the
    /// test packs with the real packer, so they are stable, but sizes and hashes say nothing
    /// about structure), asset hashes.
    async fn stable_page(&self, path: &str) -> String {
        let (status, html) = self.page(path).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        let mut bodies = Vec::new();
        for module in ["platform/vpc/aws", "platform/greeter/aws"] {
            for version in ["1.0.0", "1.1.0", "2.0.0"] {
                let r = self
                    .get(&format!("/v1/modules/{module}/{version}"), Some(&self.read))
                    .await;
                if r.status() == StatusCode::OK {
                    bodies.push(r.json::<serde_json::Value>().await.unwrap());
                }
            }
        }
        let mut text = structure(&html);
        // Whole timestamps first: two releases may share a date but not a second.
        for body in &bodies {
            let at = body["published_at"].as_str().unwrap();
            text = text.replace(at, "[published_at]");
            text = text.replace(body["sha256"].as_str().unwrap(), "[sha256]");
            text = text.replace(&format!("{} bytes", body["size"]), "[size] bytes");
        }
        for body in &bodies {
            text = text.replace(&body["published_at"].as_str().unwrap()[..10], "[date]");
        }
        text.replace(&self.base["http://".len()..], "[host]")
    }
}

/// The page as an indented outline of tags and text, one per line, asset hashes redacted:
/// what a snapshot should pin (structure and content), readable in a diff.
fn structure(html: &str) -> String {
    const VOID: &[&str] = &["meta", "link", "input", "br", "img", "hr", "!DOCTYPE"];
    let mut out = String::new();
    let mut depth = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        let (text, tag) = match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').map_or(rest.len(), |i| i + 1);
                let tag = &rest[..end];
                rest = &rest[end..];
                (None, Some(tag))
            }
            Some(i) => {
                let text = &rest[..i];
                rest = &rest[i..];
                (Some(text), None)
            }
            None => {
                let text = rest;
                rest = "";
                (Some(text), None)
            }
        };
        if let Some(text) = text {
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                out.push_str(&format!("{}{line}\n", "  ".repeat(depth)));
            }
        }
        if let Some(tag) = tag {
            if tag.starts_with("</") {
                depth = depth.saturating_sub(1);
                continue;
            }
            out.push_str(&format!("{}{}\n", "  ".repeat(depth), redact_assets(tag)));
            let name = tag[1..].split([' ', '>', '/']).next().unwrap_or("");
            if !VOID.contains(&name) && !tag.ends_with("/>") {
                depth += 1;
            }
        }
    }
    out
}

fn redact_assets(tag: &str) -> String {
    let Some(at) = tag.find("/ui/assets/") else {
        return tag.to_owned();
    };
    let (head, tail) = tag.split_at(at + "/ui/assets/".len());
    let mut parts = tail.splitn(3, '.');
    let (stem, _hash, ext) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    format!("{head}{stem}.[hash].{ext}")
}

#[tokio::test]
async fn the_home_page_lists_modules_with_description_latest_version_system_and_downloads() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    app.seed("platform/greeter/aws", "1.1.0").await;
    app.publish_rich("1.0.0", "", README).await;
    let r = app
        .get(
            "/v1/modules/platform/greeter/aws/1.1.0/download",
            Some(&app.read),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    app.state.catalog.flush_downloads().await.unwrap();
    insta::assert_snapshot!(app.stable_page("/ui/").await);
}

#[tokio::test]
async fn search_filters_and_pages_the_modules() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    app.seed("platform/other/google", "1.0.0").await;
    let (_, html) = app.page("/ui/?q=greet").await;
    assert!(
        html.contains("/ui/platform/greeter/aws") && !html.contains("/ui/platform/other/google")
    );
    assert!(html.contains("1 module<"), "{html}");
    let (_, html) = app.page("/ui/?system=google").await;
    assert!(
        !html.contains("/ui/platform/greeter/aws") && html.contains("/ui/platform/other/google")
    );
    assert!(
        html.contains(r#"<option value="google" selected>google</option>"#),
        "{html}"
    );
    let (_, html) = app.page("/ui/?q=nothing-like-this").await;
    assert!(html.contains("No module matches"));

    let index = app.state.catalog.index();
    index.seed_synthetic(45, 1).unwrap();
    let (_, first) = app.page("/ui/?namespace=bench1").await;
    assert!(first.contains(">bench1 / </span>module-000001<"), "{first}");
    let (_, first) = app.page("/ui/").await;
    assert!(
        first.contains("47 modules · page 1 of 3") && first.contains(r#"href="/ui/?page=2""#),
        "{first}"
    );
    let (_, last) = app.page("/ui/?page=3").await;
    assert_eq!(last.matches("class=\"module-card\"").count(), 7);
    assert!(last.contains(r#"rel="prev" href="/ui/?page=2""#) && !last.contains(r#"rel="next""#));
    let (status, html) = app.page("/ui/?namespace=a.b").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("namespace `a.b` is invalid"), "{html}");
}

#[tokio::test]
async fn the_module_page_shows_readme_usage_interface_versions_and_provenance() {
    let app = spawn_app().await;
    app.publish_rich("1.0.0", "", README).await;
    app.publish_rich("1.1.0", "\nvariable \"flow_logs\" {\n  type        = bool\n  default     = true\n  description = \"Turn on flow logs\"\n}\n", README).await;
    insta::assert_snapshot!(app.stable_page("/ui/platform/vpc/aws").await);
}

#[tokio::test]
async fn each_version_page_shows_its_own_release_notes_from_the_changelog() {
    let app = spawn_app().await;
    app.publish_rich("1.0.0", "", README).await;
    app.publish_rich("1.1.0", "", README).await;
    let (_, newer) = app.page("/ui/platform/vpc/aws/1.1.0").await;
    let notes = &newer[newer.find("id=\"release-notes\"").expect("a notes section")..];
    let notes = &notes[..notes.find("</section>").unwrap()];
    assert!(notes.contains("Release notes for 1.1.0"), "{notes}");
    assert!(
        notes.contains("<li><code>flow_logs</code> input.</li>"),
        "{notes}"
    );
    assert!(!notes.contains("First release"), "{notes}");
    let (_, older) = app.page("/ui/platform/vpc/aws/1.0.0").await;
    assert!(older.contains("<li>First release.</li>") && !older.contains("flow_logs</code> input"));
}

#[tokio::test]
async fn an_older_version_page_says_which_version_is_latest_and_keeps_its_own_usage() {
    let app = spawn_app().await;
    app.publish_rich("1.0.0", "", README).await;
    app.publish_rich("2.0.0", "", README).await;
    let (status, html) = app.page("/ui/platform/vpc/aws/1.0.0").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("You are viewing 1.0.0. The latest version is"),
        "{html}"
    );
    assert!(html.contains("version = &quot;~&gt; 1.0&quot;"), "{html}");
    assert!(
        html.contains(r#"href="/ui/platform/vpc/aws/1.0.0" aria-current="page""#),
        "{html}"
    );
    let (status, html) = app.page("/ui/platform/vpc/aws/3.0.0").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("has no version `3.0.0`") && html.starts_with("<!DOCTYPE html>"),
        "{html}"
    );
}

#[tokio::test]
async fn deprecated_releases_carry_a_badge_and_the_reason_on_the_page_and_the_version_list() {
    let app = spawn_app().await;
    app.publish_rich("1.0.0", "", README).await;
    app.publish_rich("1.1.0", "", README).await;
    let vpc = registry::address::ModuleAddress::parse("platform", "vpc", "aws").unwrap();
    let v1 = semver::Version::new(1, 0, 0);
    app.state
        .publisher
        .deprecate(registry::publish::DeprecationRequest {
            address: vpc,
            version: v1,
            reason: "CVE-2026-1234: use 1.1.0".into(),
            replacement: Some(semver::Version::new(1, 1, 0)),
            by: "test".into(),
        })
        .await
        .unwrap();
    let (_, html) = app.page("/ui/platform/vpc/aws/1.0.0").await;
    assert!(
        html.contains(r#"<span class="badge deprecated">deprecated</span>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"Version 1.0.0 is deprecated</strong>: CVE-2026-1234: use 1.1.0. Use <a href="/ui/platform/vpc/aws/1.1.0">1.1.0</a> instead. Pins"#),
        "{html}"
    );
    let (_, latest) = app.page("/ui/platform/vpc/aws").await;
    assert!(
        latest.contains(r#"<p class="reason">CVE-2026-1234: use 1.1.0</p>"#),
        "{latest}"
    );
    assert!(
        !latest.contains("is deprecated</strong>"),
        "the latest release is not deprecated"
    );
}

#[tokio::test]
async fn a_malicious_readme_renders_inert() {
    let app = spawn_app().await;
    let readme = "# Evil\n\n<script>alert('readme')</script>\n\n\
                  [click me](javascript:alert('link'))\n\n\
                  <a href=\"javascript:alert('raw')\" onclick=\"alert('click')\">raw</a>\n\n\
                  <img src=\"https://x.example/i.png\" onerror=\"alert('img')\">\n\n\
                  <div onmouseover=\"alert('hover')\" style=\"position:fixed\">hover</div>\n\n\
                  <iframe src=\"https://evil.example\"></iframe>\n\n<svg onload=\"alert('svg')\"></svg>\n\n\
                  <form action=\"https://evil.example\"><input name=token></form>\n\n\
                  <a href=\"data:text/html,<script>alert('data')</script>\">data</a>\n";
    app.publish_rich("1.0.0", "", readme).await;
    let (status, html) = app.page("/ui/platform/vpc/aws").await;
    assert_eq!(status, StatusCode::OK);
    let readme_html =
        &html[html.find("class=\"readme\"").unwrap()..html.find("id=\"inputs\"").unwrap()];
    for bad in [
        "<script",
        "alert(",
        "javascript:",
        "onclick",
        "onerror",
        "onmouseover",
        "onload",
        "style=",
        "<iframe",
        "<svg",
        "<form",
        "<input",
        "data:text",
    ] {
        assert!(
            !readme_html.contains(bad),
            "`{bad}` survived: {readme_html}"
        );
    }
    assert!(readme_html.contains(">click me</a>") && readme_html.contains(">hover</div>"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the UI's own script tag"
    );
    assert!(html.contains(r#"<script src="/ui/assets/app."#));
}

#[tokio::test]
async fn the_diff_page_lists_breaking_and_compatible_changes_with_the_semver_verdict() {
    let app = spawn_app().await;
    app.publish_rich("1.0.0", "", README).await;
    let extra =
        "\nvariable \"region\" {\n  type        = string\n  description = \"Required now\"\n}\n";
    app.publish_rich("2.0.0", extra, README).await;
    let (status, html) = app.page("/ui/platform/vpc/aws/diff").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let changes = &structure(&html);
    let from = changes.find("<section id=\"verdict\"").unwrap();
    let to = changes.find("Back to vpc 2.0.0").unwrap();
    insta::assert_snapshot!(&changes[from..to]);
    let (_, same) = app
        .page("/ui/platform/vpc/aws/diff?from=2.0.0&to=1.0.0")
        .await;
    assert!(same.contains("1.0.0 → 2.0.0"), "the older side comes first");
    let (status, _) = app.page("/ui/platform/vpc/aws/diff?from=nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_anonymous_read_the_ui_asks_for_a_token_and_keeps_it_in_a_strict_cookie() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = app.get("/ui/platform/greeter/aws?x=1", None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let login_url = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert_eq!(
        login_url,
        "/ui/login?next=%2Fui%2Fplatform%2Fgreeter%2Faws%3Fx%3D1"
    );
    let r = app.get(&login_url, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"<form class="login" method="post" action="/ui/login">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"name="next" value="/ui/platform/greeter/aws?x=1""#),
        "{html}"
    );

    let login = |token: String, site: &'static str| {
        app.client
            .post(app.url("/ui/login"))
            .header("sec-fetch-site", site)
            .form(&[
                ("token", token.as_str()),
                ("next", "/ui/platform/greeter/aws?x=1"),
            ])
            .send()
    };
    let r = login("modreg_not-a-real-token".into(), "same-origin")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("not recognised or was revoked"));
    let r = login(app.read.clone(), "cross-site").await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a login posted from another site"
    );

    let r = login(app.read.clone(), "same-origin").await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[header::LOCATION],
        "/ui/platform/greeter/aws?x=1"
    );
    let cookie = r.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert_eq!(
        cookie,
        format!(
            "modreg_session={}; Path=/ui; HttpOnly; Secure; SameSite=Strict",
            app.read
        )
    );
    let with_cookie = |path: &str| {
        app.client
            .get(app.url(path))
            .header(
                header::COOKIE,
                format!("other=1; modreg_session={}", app.read),
            )
            .send()
    };
    let r = with_cookie("/ui/platform/greeter/aws").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"<form class="logout" method="post" action="/ui/logout">"#));
    let r = app.get("/ui/", Some(&app.read)).await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the API's bearer token works too"
    );
    assert!(
        !r.text().await.unwrap().contains("Log out"),
        "no session, no logout button"
    );

    let r = app.client.post(app.url("/ui/logout")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .starts_with("modreg_session=; Path=/ui; HttpOnly; Secure; SameSite=Strict; Max-Age=0"));

    let id = app
        .state
        .catalog
        .index()
        .list_tokens()
        .unwrap()
        .into_iter()
        .find(|t| t.description == "read")
        .unwrap()
        .id;
    let store = app.state.store.as_ref();
    registry::auth_store::revoke_token(store, Some(app.state.catalog.index()), &id, "test")
        .await
        .unwrap();
    app.state.catalog.invalidate();
    let r = with_cookie("/ui/").await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[header::LOCATION],
        "/ui/login?next=%2Fui%2F&ended=1"
    );
    let (_, html) = app.page("/ui/login?next=%2Fui%2F&ended=1").await;
    assert!(
        html.contains("your session ended because its token was revoked"),
        "{html}"
    );
}

#[tokio::test]
async fn with_anonymous_read_pages_need_no_token_and_offer_no_login() {
    let app = spawn_with(Layer {
        anonymous_read: Some(true),
        ..Layer::default()
    })
    .await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = app.get("/ui/platform/greeter/aws", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .client
        .get(app.url("/ui/"))
        .header(header::COOKIE, "modreg_session=modreg_revoked-or-unknown")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "a stale cookie reads as anonymous here"
    );
    let r = app.get("/ui/login", None).await;
    assert_eq!(
        (r.status(), &r.headers()[header::LOCATION]),
        (StatusCode::SEE_OTHER, &"/ui/".parse().unwrap())
    );
}

#[tokio::test]
async fn every_ui_response_carries_the_security_headers_and_assets_are_cached_for_a_year() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let (_, home) = app.page("/ui/").await;
    let css = home
        .split('"')
        .find(|s| s.starts_with("/ui/assets/app.") && s.ends_with(".css"))
        .unwrap()
        .to_owned();
    let js = home
        .split('"')
        .find(|s| s.starts_with("/ui/assets/app.") && s.ends_with(".js"))
        .unwrap()
        .to_owned();
    for (path, status) in [
        ("/ui/", StatusCode::OK),
        ("/ui/platform/greeter/aws", StatusCode::OK),
        ("/ui/platform/greeter/aws/1.0.0", StatusCode::OK),
        ("/ui/platform/greeter/aws/diff", StatusCode::OK),
        ("/ui/no/such/page/at/all", StatusCode::NOT_FOUND),
        ("/ui/platform/greeter/aws/9.9.9", StatusCode::NOT_FOUND),
        ("/ui/login", StatusCode::OK),
        (css.as_str(), StatusCode::OK),
        (js.as_str(), StatusCode::OK),
    ] {
        let r = app.get(path, Some(&app.read)).await;
        assert_eq!(r.status(), status, "{path}");
        let h = r.headers();
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .starts_with("default-src 'none'; script-src 'self'"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(
            h.contains_key("permissions-policy") && h.contains_key("cross-origin-opener-policy"),
            "{path}"
        );
    }
    let r = app.get(&js, None).await;
    assert_eq!(
        r.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        r.headers()[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    let r = app.get("/ui/", Some(&app.read)).await;
    assert_eq!(r.headers()[header::CACHE_CONTROL], "private, no-cache");
    assert_eq!(
        app.get("/ui/assets/app.0000.js", None).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = app.get("/", None).await;
    assert_eq!(
        (r.status(), r.headers()[header::LOCATION].to_str().unwrap()),
        (StatusCode::FOUND, "/ui/")
    );
    let r = app.head("/ui/platform/greeter/aws", Some(&app.read)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.client.delete(app.url("/ui/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("pages answer GET and HEAD"));
}

#[tokio::test]
async fn unknown_modules_and_bad_addresses_answer_html_error_pages() {
    let app = spawn_app().await;
    let r = app.get("/ui/platform/nothing/aws", Some(&app.read)).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.headers()[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("module `platform/nothing/aws` does not exist"));
    let (status, html) = app.page("/ui/platform/a.b/aws").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("name `a.b` is invalid"), "{html}");
}
