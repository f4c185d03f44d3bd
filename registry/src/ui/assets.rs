//! The stylesheet, script and icon, compiled into the binary and served under names that
//! carry their content hash, so browsers may cache them for a year and a new build is
//! fetched at once.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};

use super::error::UiError;

struct Asset {
    /// `app.js`
    name: &'static str,
    /// `app.0123abcd.js`
    hashed: String,
    content_type: &'static str,
    body: &'static [u8],
}

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/app.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("assets/favicon.svg"),
    ),
];

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|&(name, content_type, body)| {
            let digest = hex::encode(&Sha256::digest(body)[..6]);
            let (stem, ext) = name
                .rsplit_once('.')
                .expect("asset names have an extension");
            Asset {
                name,
                hashed: format!("{stem}.{digest}.{ext}"),
                content_type,
                body,
            }
        })
        .collect()
});

/// The URL of an embedded asset by its plain name (`app.js`).
pub fn url(name: &str) -> String {
    let asset = ASSETS
        .iter()
        .find(|a| a.name == name)
        .expect("templates name only embedded assets");
    format!("/ui/assets/{}", asset.hashed)
}

pub async fn serve(file: web::Path<String>) -> Result<HttpResponse, UiError> {
    let asset = ASSETS
        .iter()
        .find(|a| a.hashed == *file)
        .ok_or_else(|| UiError::not_found(format!("no asset `{file}` in this build")))?;
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(asset.body))
}
