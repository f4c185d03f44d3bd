//! `modreg docs DIR…`: the README's generated inputs/outputs section, from the same interface
//! extraction the registry runs at publish time, so the README cannot drift from the code.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;
use registry::interface::{self, ModuleDoc};

use crate::args::DocsArgs;
use crate::Outcome;

pub const BEGIN: &str = "<!-- BEGIN_MODREG_DOCS -->";
pub const END: &str = "<!-- END_MODREG_DOCS -->";

pub fn run(args: DocsArgs) -> anyhow::Result<Outcome> {
    let mut stale = Vec::new();
    for dir in &args.dirs {
        let readme_path = dir.join("README.md");
        let readme = std::fs::read_to_string(&readme_path)
            .with_context(|| format!("cannot read `{}`", readme_path.display()))?;
        let updated = render_into(&readme, &interface_of(dir)?)
            .with_context(|| format!("`{}`", readme_path.display()))?;
        if updated != readme {
            if args.check {
                stale.push(readme_path.display().to_string());
            } else {
                std::fs::write(&readme_path, updated)?;
                eprintln!("updated {}", readme_path.display());
            }
        }
    }
    if stale.is_empty() {
        Ok(Outcome::Ok)
    } else {
        for path in &stale {
            eprintln!(
                "{path}: the generated section is out of date; run `modreg docs {}`",
                Path::new(path)
                    .parent()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            );
        }
        Ok(Outcome::Findings)
    }
}

fn interface_of(dir: &Path) -> anyhow::Result<ModuleDoc> {
    Ok(interface::extract_dir(dir)?.root)
}

/// Replaces the text between the markers with the rendered tables.
pub fn render_into(readme: &str, doc: &ModuleDoc) -> anyhow::Result<String> {
    let (Some(start), Some(end)) = (readme.find(BEGIN), readme.find(END)) else {
        anyhow::bail!("the README has no `{BEGIN}` … `{END}` section: add the two markers where the tables belong");
    };
    if end < start {
        anyhow::bail!("`{END}` comes before `{BEGIN}`");
    }
    Ok(format!(
        "{}{BEGIN}\n{}{}",
        &readme[..start],
        render(doc),
        &readme[end..]
    ))
}

/// One table cell: one line, with what Markdown would take as table or HTML syntax escaped
/// (`alias/<name>` must not vanish as an unknown tag).
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Markdown tables of inputs (required first) and outputs.
pub fn render(doc: &ModuleDoc) -> String {
    let mut out = String::new();
    let mut inputs: Vec<_> = doc.inputs.iter().collect();
    inputs.sort_by_key(|i| (!i.required, i.name.clone()));
    out.push_str("### Inputs\n\n");
    if inputs.is_empty() {
        out.push_str("No inputs.\n");
    } else {
        out.push_str("| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|\n");
        for i in inputs {
            let default = match (&i.default, i.required) {
                (_, true) | (None, _) => "n/a".to_owned(),
                (Some(v), false) => format!("`{}`", cell(&v.to_string())),
            };
            let _ = writeln!(
                out,
                "| `{}` | {}{} | `{}` | {} | {} |",
                i.name,
                cell(&i.description),
                if i.sensitive { " (sensitive)" } else { "" },
                cell(i.type_expr.as_deref().unwrap_or("any")),
                default,
                if i.required { "yes" } else { "no" }
            );
        }
    }
    out.push_str("\n### Outputs\n\n");
    if doc.outputs.is_empty() {
        out.push_str("No outputs.\n");
    } else {
        out.push_str("| Name | Description |\n|------|-------------|\n");
        for o in &doc.outputs {
            let _ = writeln!(
                out,
                "| `{}` | {}{} |",
                o.name,
                cell(&o.description),
                if o.sensitive { " (sensitive)" } else { "" }
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use registry::interface::{Input, ModuleDoc, Output};

    use super::*;

    fn doc() -> ModuleDoc {
        ModuleDoc {
            inputs: vec![
                Input {
                    name: "zone".into(),
                    type_expr: Some("string".into()),
                    description: "Where | to <put> it.".into(),
                    default: Some(serde_json::json!("a")),
                    required: false,
                    sensitive: false,
                    nullable: true,
                    deprecated: None,
                },
                Input {
                    name: "name".into(),
                    type_expr: Some("string".into()),
                    description: "Name.".into(),
                    default: None,
                    required: true,
                    sensitive: false,
                    nullable: false,
                    deprecated: None,
                },
            ],
            outputs: vec![Output {
                name: "secret".into(),
                description: "The secret.".into(),
                sensitive: true,
                deprecated: None,
            }],
            ..ModuleDoc::default()
        }
    }

    #[test]
    fn the_section_between_the_markers_is_replaced_and_the_rest_kept() {
        let readme = format!("# M\n\nintro\n\n{BEGIN}\nold\n{END}\n\nfooter\n");
        let out = render_into(&readme, &doc()).unwrap();
        assert!(out.starts_with("# M\n\nintro\n\n<!-- BEGIN_MODREG_DOCS -->\n### Inputs"));
        assert!(out.ends_with("<!-- END_MODREG_DOCS -->\n\nfooter\n"));
        assert!(!out.contains("old"));
        assert_eq!(
            render_into(&out, &doc()).unwrap(),
            out,
            "rendering is idempotent"
        );
    }

    #[test]
    fn required_inputs_come_first_and_markdown_is_escaped() {
        let text = render(&doc());
        let name = text.find("| `name` |").unwrap();
        let zone = text.find("| `zone` |").unwrap();
        assert!(name < zone);
        assert!(text.contains("Where \\| to &lt;put&gt; it."));
        assert!(text.contains("| `secret` | The secret. (sensitive) |"));
    }

    #[test]
    fn a_readme_without_markers_is_an_error_that_says_what_to_add() {
        let err = render_into("# M\n", &doc()).unwrap_err();
        assert!(err.to_string().contains(BEGIN));
    }
}
