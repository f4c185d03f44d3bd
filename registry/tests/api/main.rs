//! The registry's HTTP API, tested through the real `Application::build` on port 0.

mod helpers;

mod auth;
mod extended;
mod protocol;
mod publish;
mod robustness;
mod ui;
