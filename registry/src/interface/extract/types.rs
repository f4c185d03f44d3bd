//! Type constraints rendered as one canonical line, so they can be shown and compared.

use hcl::{Expression, ObjectKey};

/// A one-line, whitespace- and comment-free rendering of a type constraint, so that the diff
/// compares types rather than formatting: `object({ a = string, b = optional(number, 1) })`.
pub(crate) fn type_text(expr: &Expression) -> String {
    render_type(expr, false)
}

/// `type_text` with object attributes sorted: Terraform object types are unordered, so two
/// types with the same canonical form are the same type.
pub(crate) fn canonical_type(text: &str) -> String {
    match hcl::edit::parser::parse_expr(text) {
        Ok(expr) => render_type(&Expression::from(expr), true),
        Err(_) => text.to_owned(),
    }
}

fn render_type(expr: &Expression, sort: bool) -> String {
    let type_text = |e: &Expression| render_type(e, sort);
    let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(", ");
    match expr {
        Expression::Variable(v) => v.to_string(),
        Expression::FuncCall(call) => {
            format!(
                "{}({})",
                call.name,
                list(&mut call.args.iter().map(type_text))
            )
        }
        Expression::Object(object) if object.is_empty() => "{}".to_owned(),
        Expression::Object(object) => {
            let mut fields: Vec<String> = object
                .iter()
                .map(|(key, value)| {
                    let key = match key {
                        ObjectKey::Expression(expr) => type_text(expr),
                        ident => ident.to_string(),
                    };
                    format!("{key} = {}", type_text(value))
                })
                .collect();
            if sort {
                fields.sort();
            }
            format!("{{ {} }}", fields.join(", "))
        }
        Expression::Array(items) => format!("[{}]", list(&mut items.iter().map(type_text))),
        Expression::Parenthesis(inner) => format!("({})", type_text(inner)),
        Expression::String(s) => serde_json::to_string(s).unwrap_or_default(),
        other => hcl::format::to_string(other)
            .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        type_text(&Expression::from(
            hcl::edit::parser::parse_expr(text).unwrap(),
        ))
    }

    #[test]
    fn layout_and_comments_do_not_survive_rendering() {
        let written = "object({\n  # the name\n  name = string\n  ports = list( number )\n})";
        assert_eq!(
            render(written),
            "object({ name = string, ports = list(number) })"
        );
    }

    #[test]
    fn tuples_and_optional_defaults_are_rendered() {
        assert_eq!(
            render("tuple([string, optional(number, 3)])"),
            "tuple([string, optional(number, 3)])"
        );
        assert_eq!(
            render("object({ a = optional(string, \"x\") })"),
            "object({ a = optional(string, \"x\") })"
        );
    }

    #[test]
    fn canonical_form_sorts_object_attributes() {
        assert_eq!(
            canonical_type("object({ b = number, a = string })"),
            "object({ a = string, b = number })"
        );
        assert_eq!(canonical_type("not ( valid"), "not ( valid");
    }
}
