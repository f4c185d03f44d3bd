//! A module call checked against the interface of the module it calls: arguments the module
//! does not have (MR001), required inputs not set (MR002), literals of the wrong type (MR003),
//! outputs that do not exist (MR004), deprecated inputs and outputs (MR005).

use registry::interface::ModuleDoc;

use super::config::{ModuleCall, OutputRef};
use super::diagnostic::{did_you_mean, Diagnostic};
use super::types::{check, Type};

pub fn check_call(call: &ModuleCall, doc: &ModuleDoc, what: &str, out: &mut Vec<Diagnostic>) {
    let names = || doc.inputs.iter().map(|i| i.name.as_str());
    for arg in &call.args {
        let Some(input) = doc.inputs.iter().find(|i| i.name == arg.name) else {
            let mut d = Diagnostic::new(
                "MR001",
                format!("{what} has no input `{}`", arg.name),
                Some(arg.key_span.clone()),
            );
            d = match did_you_mean(&arg.name, names()) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help(format!("the inputs are: {}", list(names()))),
            };
            out.push(d);
            continue;
        };
        if let Some(message) = &input.deprecated {
            out.push(
                Diagnostic::new(
                    "MR005",
                    format!("input `{}` of {what} is deprecated", arg.name),
                    Some(arg.key_span.clone()),
                )
                .help(message.clone()),
            );
        }
        let Some(ty) = input.type_expr.as_deref().and_then(Type::parse) else {
            continue;
        };
        if let Some(m) = check(&arg.value, &ty) {
            out.push(
                Diagnostic::new(
                    "MR003",
                    format!("`{}{}`: {}", arg.name, m.path, m.message),
                    m.span.or_else(|| Some(arg.key_span.clone())),
                )
                .help(format!(
                    "input `{}` of {what} has type `{}`",
                    arg.name,
                    input.type_expr.as_deref().unwrap_or("any")
                )),
            );
        }
    }
    let missing: Vec<&str> = doc
        .inputs
        .iter()
        .filter(|i| i.required && !call.args.iter().any(|a| a.name == i.name))
        .map(|i| i.name.as_str())
        .collect();
    for name in missing {
        let input = doc.inputs.iter().find(|i| i.name == name);
        let ty = input.and_then(|i| i.type_expr.as_deref()).unwrap_or("any");
        out.push(
            Diagnostic::new(
                "MR002",
                format!(
                    "module `{}` does not set `{name}`, which {what} requires",
                    call.name
                ),
                Some(call.span.clone()),
            )
            .help(format!("add `{name} = …` (type `{ty}`)")),
        );
    }
}

/// References to `module.<call>.<output>` for the outputs `doc` declares.
pub fn check_references(
    refs: &[&OutputRef],
    doc: &ModuleDoc,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let names = || doc.outputs.iter().map(|o| o.name.as_str());
    for r in refs {
        match doc.outputs.iter().find(|o| o.name == r.output) {
            None => {
                let d = Diagnostic::new(
                    "MR004",
                    format!("{what} has no output `{}`", r.output),
                    Some(r.span.clone()),
                );
                out.push(match did_you_mean(&r.output, names()) {
                    Some(near) => d.help(format!("did you mean `{near}`?")),
                    None => d.help(format!("the outputs are: {}", list(names()))),
                });
            }
            Some(output) => {
                if let Some(message) = &output.deprecated {
                    out.push(
                        Diagnostic::new(
                            "MR005",
                            format!("output `{}` of {what} is deprecated", r.output),
                            Some(r.span.clone()),
                        )
                        .help(message.clone()),
                    );
                }
            }
        }
    }
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}
