//! modreg's registry service as a library.
//!
//! Layers, outside in: `http` (the API) and `ui` (HTML pages), the only actix code, call use
//! cases (`publish`), which check input (`address`, `archive`, `interface`), store blobs
//! (`storage`) and record them in the SQLite catalogue (`index`). Both read through `catalog`
//! and the same auth. `startup::Application::build` assembles it for `main` and tests.

pub mod address;
pub mod api_model;
pub mod archive;
pub mod auth;
pub mod auth_store;
pub mod catalog;
pub mod changelog;
pub mod demo;
pub mod deprecation_log;
pub mod git_tags;
pub mod git_watch;
#[cfg(test)]
mod hostile;
pub mod http;
pub mod index;
pub mod interface;
pub mod manifest;
pub mod metrics;
mod per_thread;
pub mod publish;
pub mod readiness;
pub mod reindex;
pub mod settings;
pub mod signing;
pub mod startup;
pub mod storage;
pub mod supervisor;
pub mod sync;
pub mod telemetry;
pub mod tls;
pub mod ui;
