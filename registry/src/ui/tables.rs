//! The interface of one module directory as HTML: inputs, outputs, resources, providers.
//! Shared by the root module and each submodule and example on the module page.

use maud::{html, Markup};

use crate::interface::{Input, ModuleDoc};

/// Defaults longer than this are cut in the table (the full value is in the details API).
const MAX_DEFAULT_CHARS: usize = 120;

/// Text with `backtick` spans as `<code>`, as the diff and gate messages are written.
pub fn with_code(text: &str) -> Markup {
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

fn default_text(input: &Input) -> String {
    let text = match &input.default {
        Some(serde_json::Value::String(s)) => format!("\"{s}\""),
        Some(value) => value.to_string(),
        None => "null".to_owned(),
    };
    if text.chars().count() > MAX_DEFAULT_CHARS {
        let head: String = text.chars().take(MAX_DEFAULT_CHARS).collect();
        format!("{head}…")
    } else {
        text
    }
}

/// Terraform 1.15's `deprecated = "…"` on a variable or output: a badge and its message.
fn deprecated_note(message: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = message {
            " " span.badge.deprecated { "deprecated" }
            p.reason { (message) }
        }
    }
}

/// The inputs table, captioned `heading` (several modules share a page).
pub fn inputs(module: &ModuleDoc, heading: &str) -> Markup {
    html! {
        @if module.inputs.is_empty() {
            p.none { "No inputs." }
        } @else {
            div.table-wrap {
                table.inputs {
                    caption { (heading) " (" (module.inputs.len()) ")" }
                    thead { tr {
                        th scope="col" { "Name" } th scope="col" { "Type" }
                        th scope="col" { "Default" } th scope="col" { "Required" }
                        th scope="col" { "Description" }
                    } }
                    tbody {
                        @for input in &module.inputs {
                            tr {
                                th scope="row" {
                                    code { (input.name) }
                                    @if input.sensitive { " " span.badge.sensitive { "sensitive" } }
                                    (deprecated_note(input.deprecated.as_deref()))
                                }
                                td { code { (input.type_expr.as_deref().unwrap_or("any")) } }
                                td {
                                    @if input.required { span.muted { "—" } }
                                    @else { code { (default_text(input)) } }
                                }
                                td {
                                    @if input.required { strong.required { "yes" } } @else { "no" }
                                }
                                td { (input.description) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn outputs(module: &ModuleDoc, heading: &str) -> Markup {
    html! {
        @if module.outputs.is_empty() {
            p.none { "No outputs." }
        } @else {
            div.table-wrap {
                table.outputs {
                    caption { (heading) " (" (module.outputs.len()) ")" }
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Description" } } }
                    tbody {
                        @for output in &module.outputs {
                            tr {
                                th scope="row" {
                                    code { (output.name) }
                                    @if output.sensitive { " " span.badge.sensitive { "sensitive" } }
                                    (deprecated_note(output.deprecated.as_deref()))
                                }
                                td { (output.description) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn resources(module: &ModuleDoc) -> Markup {
    html! {
        @if module.resources.is_empty() {
            p.none { "No managed resources." }
        } @else {
            ul.resources {
                @for r in &module.resources {
                    li { code { (r.resource_type) "." (r.name) } }
                }
            }
        }
    }
}

pub fn providers(module: &ModuleDoc) -> Markup {
    html! {
        @if let Some(required) = &module.required_version {
            p { "Terraform " code { (required) } }
        }
        @if module.provider_dependencies.is_empty() {
            p.none { "No provider requirements." }
        } @else {
            div.table-wrap {
                table.providers {
                    caption { "Provider requirements" }
                    thead { tr {
                        th scope="col" { "Provider" } th scope="col" { "Source" }
                        th scope="col" { "Version" }
                    } }
                    tbody {
                        @for p in &module.provider_dependencies {
                            tr {
                                th scope="row" { code { (p.name) } }
                                td { code { (p.source) } }
                                td { code { (p.version) } }
                            }
                        }
                    }
                }
            }
        }
        @if !module.dependencies.is_empty() {
            h4 { "Module calls" }
            ul.calls {
                @for d in &module.dependencies {
                    li {
                        code { (d.name) } " from " code { (d.source) }
                        @if !d.version.is_empty() { " " code { (d.version) } }
                    }
                }
            }
        }
    }
}
