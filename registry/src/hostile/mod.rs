//! Generated hostile inputs for every parser that reads what a publisher, a git tag, a
//! consumer or an operator supplies: each input succeeds or returns a named error, never a
//! panic or an abort.
//!
//! `cargo test` runs a short pass (proptest's 256 cases per target, or `PROPTEST_CASES`);
//! `scripts/fuzz-long` runs the same targets in release mode for over a million cases.

mod address;
mod archive;
mod hcl;
mod settings;
mod tags;
mod webhook;

use proptest::test_runner::Config;

/// proptest's defaults (`PROPTEST_CASES` is honoured), without writing regression files into
/// the source tree: a failure prints its minimal input, which belongs in a named test.
fn config() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}
