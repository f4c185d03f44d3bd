//! The pre-scan: what it counts, what it skips, and that what it accepts parses safely.

use super::*;
use crate::archive::{inspect, pack_files, Limits};
use crate::interface::{extract, InterfaceError};

/// Each construct hcl-edit parses recursively, `n` levels deep, as a whole `main.tf`.
fn constructs() -> Vec<(&'static str, fn(usize) -> String)> {
    vec![
        ("tuples", |n| {
            format!(
                "output \"x\" {{\n  value = {}1{}\n}}\n",
                "[".repeat(n),
                "]".repeat(n)
            )
        }),
        ("objects", |n| {
            format!(
                "locals {{\n  x = {}1{}\n}}\n",
                "{ a = ".repeat(n),
                " }".repeat(n)
            )
        }),
        ("function calls", |n| {
            format!(
                "locals {{\n  x = {}1{}\n}}\n",
                "tolist(".repeat(n),
                ")".repeat(n)
            )
        }),
        ("parentheses", |n| {
            format!("locals {{\n  x = {}1{}\n}}\n", "(".repeat(n), ")".repeat(n))
        }),
        ("nested blocks", |n| {
            format!(
                "resource \"a\" \"b\" {{\n{}{}}}\n",
                "c {\n".repeat(n),
                "}\n".repeat(n)
            )
        }),
        ("template interpolations", |n| {
            format!(
                "locals {{\n  x = {}x{}\n}}\n",
                "\"${".repeat(n),
                "}\"".repeat(n)
            )
        }),
        ("template directives", |n| {
            format!(
                "locals {{\n  x = \"{}x{}\"\n}}\n",
                "%{ if true }".repeat(n),
                "%{ endif }".repeat(n)
            )
        }),
        ("heredoc interpolations", |n| {
            format!(
                "locals {{\n  x = {}x{}\n}}\n",
                "<<EOT\n${".repeat(n),
                "}\nEOT\n".repeat(n)
            )
        }),
        ("binary operators", |n| {
            format!("locals {{\n  x = 1{}\n}}\n", " + 1".repeat(n))
        }),
        ("conditionals", |n| {
            format!("locals {{\n  x = {}1\n}}\n", "true ? 1 : ".repeat(n))
        }),
        ("unary operators", |n| {
            format!("locals {{\n  x = {}true\n}}\n", "!".repeat(n))
        }),
    ]
}

fn extract_main_tf(src: &str) -> Result<(), InterfaceError> {
    let tarball = pack_files([("main.tf".to_owned(), src.as_bytes().to_vec())]);
    extract(&inspect(&tarball, &Limits::default()).unwrap()).map(|_| ())
}

#[test]
fn the_issue_s_200_000_deep_tuple_is_refused_at_its_line() {
    let src = format!(
        "\noutput \"x\" {{\n  value = {}{}\n}}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    assert_eq!(scan(&src), Err(Refusal::TooDeep { line: 3 }));
}

#[test]
fn every_recursive_construct_is_refused_past_the_limit() {
    for (what, build) in constructs() {
        let refused = scan(&build(200_000));
        assert!(
            matches!(refused, Err(Refusal::TooDeep { .. })),
            "{what}: {refused:?}"
        );
        assert!(
            scan(&build(MAX_DEPTH / 4)).is_ok(),
            "{what} at a quarter of the limit"
        );
    }
}

#[test]
fn the_deepest_accepted_file_of_each_construct_parses_on_a_small_stack() {
    for (what, build) in constructs() {
        let deepest = (1..=MAX_DEPTH + 1)
            .take_while(|&n| scan(&build(n)).is_ok())
            .last()
            .unwrap_or_else(|| panic!("{what}: even one level was refused"));
        assert!(deepest <= MAX_DEPTH, "{what} accepted past the limit");
        let src = build(deepest);
        // The publish path parses on the blocking pool, whose threads have 2 MiB of stack; a
        // debug build needs the most per level, and half of that keeps a margin.
        let parsed = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || extract_main_tf(&src).map_err(|e| e.to_string()))
            .unwrap()
            .join()
            .expect("parsing the deepest accepted file must not overflow");
        assert!(parsed.is_ok(), "{what} at depth {deepest}: {parsed:?}");
    }
}

#[test]
fn brackets_in_strings_comments_and_heredoc_text_do_not_count() {
    let noise = "[[[[{{{{((((".repeat(20);
    let src = format!(
        "# {noise}\n// {noise}\n/* {noise}\n */\nlocals {{\n  a = \"{noise} \\\" {noise} $${{ {noise}\"\n  b = <<-EOT\n    {noise}\n    %%{{ {noise}\n    EOT\n}}\n"
    );
    assert_eq!(scan(&src).map(|s| s.blocks), Ok(1));
}

#[test]
fn interpolations_inside_heredocs_and_strings_do_count() {
    let deep = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    for src in [
        format!("x = <<EOT\ntext ${{{deep}}}\nEOT\n"),
        format!("x = \"text ${{{deep}}}\"\n"),
        // In a directive body hcl-edit reads plain template text: `\` does not escape there.
        format!("x = \"%{{if a}}\\${{{deep}}}%{{endif}}\"\n"),
    ] {
        assert!(matches!(scan(&src), Err(Refusal::TooDeep { .. })), "{src}");
    }
}

#[test]
fn operators_count_per_expression_not_per_file() {
    let attribute = format!("  a = 1{}\n", " + 1".repeat(MAX_DEPTH / 2));
    let src = format!("locals {{\n{}}}\n", attribute.repeat(100));
    assert!(scan(&src).is_ok());
    let list = format!("x = [{}]\n", "1 + 1, ".repeat(1000));
    assert!(scan(&list).is_ok());
}

#[test]
fn top_level_blocks_are_counted_but_objects_are_not() {
    let src = "variable \"a\" {}\nvariable \"b\" {\n  default = { x = {} }\n}\nx = {}\nmodule \"m\" { source = \"./m\" }\n";
    assert_eq!(scan(src).map(|s| s.blocks), Ok(3));
}

#[test]
fn an_empty_heredoc_is_refused_because_hcl_edit_would_read_past_it() {
    let src = "locals {\n  x = <<EOT\n  EOT\n}\n";
    assert_eq!(
        scan(src),
        Err(Refusal::EmptyHeredoc {
            line: 3,
            marker: "EOT".into()
        })
    );
}

#[test]
fn extraction_reports_the_file_line_and_limit() {
    let src = format!("\n\nlocals {{\n  x = {}1\n}}\n", "(".repeat(100));
    let err = extract_main_tf(&src).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "`main.tf` line 4: nesting deeper than {MAX_DEPTH} levels (brackets, braces, \
             parentheses, strings, template interpolations and directives, plus the operators \
             of one expression): no real module needs this; split the expression into locals"
        )
    );
}

#[test]
fn the_repository_s_modules_stay_far_below_the_limit() {
    let modules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../modules");
    let mut deepest = (0, String::new());
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&modules) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "tf") {
            let src = std::fs::read_to_string(path).unwrap();
            let shape = scan(&src).unwrap_or_else(|r| panic!("{}: {r:?}", path.display()));
            files += 1;
            if shape.deepest > deepest.0 {
                deepest = (shape.deepest, path.display().to_string());
            }
        }
    }
    assert!(
        files > 20,
        "only {files} .tf files under {}",
        modules.display()
    );
    assert!(
        deepest.0 <= MAX_DEPTH / 4,
        "{} nests {} deep, too close to the limit of {MAX_DEPTH}",
        deepest.1,
        deepest.0
    );
}
