//! The settings file: operator-supplied, but it must fail with a message, never an abort.

use proptest::prelude::*;

use crate::settings::{Layer, Settings, SettingsError};

fn load(text: &str) -> Result<Settings, SettingsError> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("modreg.toml");
    std::fs::write(&file, text).unwrap();
    Settings::load(Some(&file), Vec::new(), Layer::default())
}

/// Lines that look like settings: known and unknown keys, any value syntax.
fn toml_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "listen",
        "data_dir",
        "plain_http",
        "workers",
        "max_upload_bytes",
        "public_url",
        "archive_url_ttl_secs",
        "anonymous_read",
        "log_format",
        "unknown_key",
        "[table]",
    ]);
    let value = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        "\"[ -~]{0,20}\"",
        "(true|false)",
        "\\[[0-9, \"a]{0,10}\\]",
        "\\{ ?[a-z]{1,3} ?= ?[0-9]{1,3} ?\\}",
        "[ -~]{0,20}",
    ];
    (key, value).prop_map(|(k, v)| format!("{k} = {v}"))
}

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn any_settings_file_loads_or_says_what_is_wrong(
        lines in prop::collection::vec(toml_line(), 0..8),
        noise in "[ -~\n]{0,40}",
    ) {
        for text in [lines.join("\n"), format!("{}\n{noise}", lines.join("\n"))] {
            if let Err(e) = load(&text) {
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn nesting_the_settings_file_deeply_is_an_error_not_an_abort(
        depth in 100usize..5_000,
        kind in 0..3usize,
    ) {
        let text = match kind {
            0 => format!("workers = {}1{}", "[".repeat(depth), "]".repeat(depth)),
            1 => format!("workers = {}1{}", "{a=".repeat(depth), "}".repeat(depth)),
            _ => format!("{} = 1", vec!["a"; depth].join(".")),
        };
        let err = load(&text).unwrap_err();
        prop_assert!(matches!(err, SettingsError::BadFile { .. }), "{}", err);
    }
}
