//! The built `modreg` binary on hostile local files: a clear error and exit 2, never an abort.

use std::process::Command;

/// A module whose `main.tf` nests a tuple 200,000 deep (line 2).
fn deeply_nested_module() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let n = 200_000;
    std::fs::write(
        dir.path().join("main.tf"),
        format!(
            "output \"x\" {{\n  value = {}{}\n}}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
    )
    .unwrap();
    dir
}

#[test]
fn validate_on_a_configuration_nested_200_000_deep_exits_2_with_the_file_and_line() {
    let dir = deeply_nested_module();
    let out = Command::new(env!("CARGO_BIN_EXE_modreg"))
        .arg("validate")
        .arg("--offline")
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("main.tf` line 2: nesting deeper than 64 levels"),
        "{stderr}"
    );
}

#[test]
fn docs_on_a_module_nested_200_000_deep_exits_2_with_the_file_and_line() {
    let dir = deeply_nested_module();
    std::fs::write(
        dir.path().join("README.md"),
        "# x\n<!-- BEGIN_MODREG_DOCS -->\n<!-- END_MODREG_DOCS -->\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_modreg"))
        .arg("docs")
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let expected = format!(
        "error: `{}`: `main.tf` line 2: nesting deeper than 64 levels",
        dir.path().display()
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(
        !stderr.contains("Caused by"),
        "the cause is said once: {stderr}"
    );
}
