//! The registry's HTTP API, tested through the real `Application::build` on port 0.

mod git_repo;
mod helpers;

mod auth;
mod deprecation;
mod extended;
mod git_watch;
mod protocol;
mod publish;
mod robustness;
mod ui;
