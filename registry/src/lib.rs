//! modreg's registry service as a library.
//!
//! Layers, outside in: `http` (the only actix code) calls use cases (`publish`), which check
//! input (`address`, `archive`, `interface`), store blobs (`storage`) and record them in the
//! SQLite catalogue (`index`). `startup::Application::build` assembles it for `main` and tests.

pub mod address;
pub mod archive;
pub mod index;
pub mod interface;
pub mod manifest;
pub mod storage;
