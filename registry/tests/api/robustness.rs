//! Hostile modules over HTTP: each one is refused with its message, and the server that
//! refused it keeps answering.

use registry::archive::{pack_dir, pack_files};
use registry::interface::{MAX_BLOCKS, MAX_DEPTH};
use reqwest::StatusCode;

use crate::helpers::{error_of, spawn_app, TestApp};

fn main_tf(src: String) -> Vec<u8> {
    pack_files([("main.tf".to_owned(), src.into_bytes())])
}

/// Publishes `body`, insists on a 422 whose message contains `needle`, then checks that the
/// same server still answers a read.
async fn refused(app: &TestApp, body: Vec<u8>, needle: &str) {
    let r = app.publish("platform/hostile/aws", "1.0.0", body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{needle}");
    let message = error_of(r).await;
    assert!(message.contains(needle), "wanted `{needle}` in: {message}");
    let alive = app.versions("platform/greeter/aws").await;
    assert_eq!(alive.status(), StatusCode::OK, "after: {needle}");
}

#[tokio::test]
async fn a_tuple_nested_200_000_deep_is_refused_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let src = format!(
        "output \"x\" {{\n  value = {}{}\n}}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    refused(
        &app,
        main_tf(src),
        &format!("`main.tf` line 2: nesting deeper than {MAX_DEPTH} levels"),
    )
    .await;
}

#[tokio::test]
async fn each_deeply_nested_construct_is_refused_with_its_file_and_line() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let n = 100_000;
    let cases = [
        (
            "blocks",
            format!(
                "resource \"a\" \"b\" {{\n{}{}}}\n",
                "c {\n".repeat(n),
                "}\n".repeat(n)
            ),
            MAX_DEPTH + 1,
        ),
        (
            "objects",
            format!(
                "locals {{\n  x = {}1{}\n}}\n",
                "{ a = ".repeat(n),
                " }".repeat(n)
            ),
            2,
        ),
        (
            "function calls",
            format!(
                "locals {{\n  x = {}1{}\n}}\n",
                "max(".repeat(n),
                ")".repeat(n)
            ),
            2,
        ),
        (
            "templates",
            format!(
                "locals {{\n  x = {}x{}\n}}\n",
                "\"${".repeat(n),
                "}\"".repeat(n)
            ),
            2,
        ),
        (
            "heredoc interpolations",
            format!(
                "locals {{\n  x = {}x{}\n}}\n",
                "<<EOT\n${".repeat(n),
                "}\nEOT\n".repeat(n)
            ),
            // Line 2 opens the first heredoc (level 2); each later line adds an interpolation
            // and a heredoc, so line 34's interpolation is level 65.
            MAX_DEPTH / 2 + 2,
        ),
    ];
    for (what, src, line) in cases {
        let needle = format!("`main.tf` line {line}: nesting deeper than {MAX_DEPTH} levels");
        refused(&app, main_tf(src), &needle).await;
        eprintln!("{what}: refused");
    }
}

#[tokio::test]
async fn a_module_over_the_block_limit_is_refused() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let src: String = (0..=MAX_BLOCKS)
        .map(|i| format!("variable \"v{i}\" {{}}\n"))
        .collect();
    refused(
        &app,
        main_tf(src),
        &format!("`.` declares more than {MAX_BLOCKS} top-level blocks"),
    )
    .await;
}

#[tokio::test]
async fn every_module_of_this_repository_is_accepted() {
    let app = spawn_app().await;
    let modules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../modules");
    let mut published = 0;
    for entry in std::fs::read_dir(&modules).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let r = app
            .publish(
                &format!("platform/{name}/aws"),
                "1.0.0",
                pack_dir(&dir).unwrap(),
            )
            .await;
        let status = r.status();
        assert_eq!(
            status,
            StatusCode::CREATED,
            "{name}: {}",
            r.text().await.unwrap()
        );
        published += 1;
    }
    assert!(
        published >= 10,
        "only {published} modules under {}",
        modules.display()
    );
}

#[tokio::test]
async fn a_panic_in_a_handler_or_a_blocking_job_answers_an_opaque_500_and_the_worker_survives() {
    // One worker, and more panicking blocking jobs than the blocking pool has slots: if the
    // worker died or a slot leaked, the reads below would hang or fail.
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    for _ in 0..6 {
        for path in ["/test/panic/handler", "/test/panic/blocking"] {
            let r = app.get(path, None).await;
            assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
            assert_eq!(
                error_of(r).await,
                "internal error: the registry's operators can find the cause in its log",
                "{path}"
            );
        }
        let alive = app.versions("platform/greeter/aws").await;
        assert_eq!(alive.status(), StatusCode::OK);
    }
    app.seed("platform/greeter/aws", "1.1.0").await;
}
