//! `.tf` files: random bytes, random nesting of every recursive construct, and valid-ish HCL.
//! Each runs the whole extraction on a thread with half the stack of a blocking-pool thread,
//! so an input that the depth scan let through but that nests too deep would abort the run.

use proptest::prelude::*;

use crate::archive::{inspect, pack_files, Limits};
use crate::interface::extract;

/// Runs inspect and extraction; `Err` only for a panic or an error without a message.
fn extract_files(files: Vec<(String, Vec<u8>)>) -> Result<(), String> {
    let tarball = pack_files(files);
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let archive = inspect(&tarball, &Limits::default()).map_err(|e| e.to_string())?;
            extract(&archive).map(drop).map_err(|e| e.to_string())
        })
        .unwrap()
        .join()
        .map_err(|_| "extraction panicked".to_owned())?;
    match outcome {
        Err(message) if message.is_empty() => Err("an error without a message".into()),
        _ => Ok(()),
    }
}

fn main_tf(text: String) -> Vec<(String, Vec<u8>)> {
    vec![("main.tf".to_owned(), text.into_bytes())]
}

/// Tokens of every construct hcl-edit parses recursively, and of what the scan must skip.
fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "[",
        "]",
        "{",
        "}",
        "(",
        ")",
        "\"",
        "${",
        "%{ if a }",
        "%{ for x in y }",
        "%{ endif }",
        "%{ endfor }",
        "%{ else }",
        "<<EOT\n",
        "<<-EOT\n",
        "\nEOT\n",
        "\n  EOT\n",
        "+",
        "-",
        "!",
        "?",
        ":",
        "==",
        "&&",
        ",",
        "=",
        "=>",
        "\n",
        "#",
        "//",
        "/*",
        "*/",
        "\\",
        "\\\"",
        "$${",
        "%%{",
        "~}",
        "x",
        "1",
        "a.b",
        "f(",
        "for x in y :",
        " ",
    ])
}

fn tokens(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..max).prop_map(|t| t.concat())
}

/// Openers and closers that nest validly in expression context: a random mix of them parses,
/// so hcl-edit really recurses as deep as the scan lets it.
fn construct() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop::sample::select(vec![
        ("[", "]"),
        ("{ a = ", " }"),
        ("max(", ")"),
        ("(", ")"),
        ("\"${", "}\""),
        ("\"%{ if a }${", "}%{ endif }\""),
        ("\"%{ for v in a }${", "}%{ endfor }\""),
        ("<<EOT\n${", "}\nEOT\n"),
        ("1 + ", ""),
        ("true ? 1 : ", ""),
        ("!", ""),
        ("-", ""),
        ("[for x in y : ", "]"),
        ("a[", "]"),
        ("{ for k, v in m : k => ", " }"),
    ])
}

fn valid_nesting() -> impl Strategy<Value = String> {
    (0usize..40, prop::collection::vec(construct(), 0..90)).prop_map(|(blocks, nest)| {
        let mut text = "resource \"a\" \"b\" {\n".to_owned();
        text.push_str(&"b {\n".repeat(blocks));
        text.push_str("x = ");
        nest.iter().for_each(|(open, _)| text.push_str(open));
        text.push('1');
        nest.iter()
            .rev()
            .for_each(|(_, close)| text.push_str(close));
        text.push('\n');
        text.push_str(&"}\n".repeat(blocks + 1));
        text
    })
}

fn valid_ish_block() -> impl Strategy<Value = String> {
    let name = "[a-z_][a-z0-9_-]{0,8}";
    let ty = prop::sample::select(vec![
        "string",
        "number",
        "bool",
        "list(string)",
        "map(object({ a = string }))",
        "optional(string)",
        "any",
        "set(number)",
        "tuple([string, number])",
    ]);
    let value = prop::sample::select(vec![
        "\"x\"",
        "1",
        "true",
        "null",
        "[1, 2]",
        "{ a = 1 }",
        "var.x",
        "\"${var.x}-y\"",
        "<<EOT\nhello ${var.x}\nEOT",
        "1 + 2 * 3",
        "a ? b : c",
        "[for x in y : x]",
        "{ for k, v in m : k => v }",
        "f(1, 2)",
        "-1",
        "!true",
    ]);
    let kind = prop::sample::select(vec![
        "variable",
        "output",
        "resource",
        "module",
        "locals",
        "terraform",
        "data",
    ]);
    (kind, name, name, ty, value).prop_map(|(kind, a, b, ty, value)| match kind {
        "variable" => format!("variable \"{a}\" {{\n  type = {ty}\n  default = {value}\n}}\n"),
        "output" => format!("output \"{a}\" {{\n  value = {value}\n}}\n"),
        "resource" | "data" => format!(
            "{kind} \"{a}\" \"{b}\" {{\n  x = {value}\n  nested {{\n    y = {value}\n  }}\n}}\n"
        ),
        "module" => format!("module \"{a}\" {{\n  source = \"./{b}\"\n  version = {value}\n}}\n"),
        "terraform" => {
            format!("terraform {{\n  required_providers {{\n    {a} = {value}\n  }}\n}}\n")
        }
        _ => format!("locals {{\n  {a} = {value}\n}}\n"),
    })
}

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn random_bytes_as_a_tf_file_are_read_or_refused_by_name(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let result = extract_files(vec![("main.tf".to_owned(), bytes)]);
        prop_assert!(result.is_ok(), "{:?}", result);
    }

    #[test]
    fn random_nesting_of_every_construct_never_overflows(
        head in tokens(40),
        unit in tokens(12),
        repeat in 1usize..400,
        tail in tokens(40),
    ) {
        // A random prefix, a random unit repeated (so nesting grows past the limit), a tail.
        let text = format!("locals {{\n  x = {head}{}{tail}\n}}\n", unit.repeat(repeat));
        let result = extract_files(main_tf(text));
        prop_assert!(result.is_ok(), "{:?}", result);
    }

    #[test]
    fn valid_nesting_of_every_construct_parses_or_is_refused_as_too_deep(text in valid_nesting()) {
        let result = extract_files(main_tf(text));
        prop_assert!(result.is_ok(), "{:?}", result);
    }

    #[test]
    fn valid_ish_modules_are_read_or_refused_by_name(
        blocks in prop::collection::vec(valid_ish_block(), 0..12),
        override_blocks in prop::collection::vec(valid_ish_block(), 0..3),
    ) {
        let files = vec![
            ("main.tf".to_owned(), blocks.concat().into_bytes()),
            ("override.tf".to_owned(), override_blocks.concat().into_bytes()),
        ];
        let result = extract_files(files);
        prop_assert!(result.is_ok(), "{:?}", result);
    }
}
