//! Benchmark baseline: the same actix-web stack answering a constant JSON body, to show the
//! ceiling this machine allows. `cargo run --release --example bench_bare -- 127.0.0.1:PORT WORKERS`

use actix_web::{web, App, HttpResponse, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let addr = args
        .get(1)
        .map_or("127.0.0.1:9999", String::as_str)
        .to_owned();
    let workers: usize = args.get(2).and_then(|w| w.parse().ok()).unwrap_or(2);
    HttpServer::new(|| {
        App::new().default_service(web::to(|| async {
            HttpResponse::Ok()
                .content_type("application/json")
                .body(r#"{"modules":[{"versions":[{"version":"1.0.0"},{"version":"1.1.0"}]}]}"#)
        }))
    })
    .workers(workers)
    .bind(addr)?
    .run()
    .await
}
