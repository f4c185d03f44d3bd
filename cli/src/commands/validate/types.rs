//! Input type constraints (`map(string)`, `object({ a = optional(number) })`, …) and whether a
//! known literal converts to one under Terraform's conversion rules: numbers and bools convert
//! to strings, numeric strings to numbers, `"true"`/`"false"` to bools, tuples to lists and
//! sets, objects to maps and objects. Unknown values always pass.

use hcl::edit::expr::{Expression, ObjectKey};

use super::files::Span;
use super::value::{Lit, Val};

#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    /// Attributes with whether each is optional.
    Object(Vec<(String, Type, bool)>),
}

impl Type {
    /// The type written in an interface; `None` when it is not one Terraform knows.
    pub fn parse(text: &str) -> Option<Type> {
        of_expr(&hcl::edit::parser::parse_expr(text).ok()?)
    }

    pub fn describe(&self) -> String {
        match self {
            Type::Any => "any".into(),
            Type::String => "string".into(),
            Type::Number => "number".into(),
            Type::Bool => "bool".into(),
            Type::List(t) => format!("list({})", t.describe()),
            Type::Map(t) => format!("map({})", t.describe()),
            Type::Tuple(_) => "tuple".into(),
            Type::Object(_) => "object".into(),
        }
    }
}

fn of_expr(expr: &Expression) -> Option<Type> {
    match expr {
        Expression::Variable(v) => match v.as_str() {
            "any" => Some(Type::Any),
            "string" => Some(Type::String),
            "number" => Some(Type::Number),
            "bool" => Some(Type::Bool),
            _ => None,
        },
        Expression::FuncCall(call) => {
            let args: Vec<&Expression> = call.args.iter().collect();
            let name = call.name.name.as_str();
            match (name, args.as_slice()) {
                ("list" | "set", [inner]) => Some(Type::List(Box::new(of_expr(inner)?))),
                ("map", [inner]) => Some(Type::Map(Box::new(of_expr(inner)?))),
                ("tuple", [Expression::Array(items)]) => Some(Type::Tuple(
                    items.iter().map(of_expr).collect::<Option<_>>()?,
                )),
                ("object", [Expression::Object(object)]) => {
                    let mut attrs = Vec::new();
                    for (key, value) in object.iter() {
                        let key = match key {
                            ObjectKey::Ident(i) => i.as_str().to_owned(),
                            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                            ObjectKey::Expression(_) => return None,
                        };
                        let (ty, optional) = match value.expr() {
                            Expression::FuncCall(f) if f.name.name.as_str() == "optional" => {
                                (of_expr(f.args.iter().next()?)?, true)
                            }
                            other => (of_expr(other)?, false),
                        };
                        attrs.push((key, ty, optional));
                    }
                    Some(Type::Object(attrs))
                }
                _ => None,
            }
        }
        Expression::Parenthesis(p) => of_expr(p.inner()),
        _ => None,
    }
}

/// Why a value does not fit, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// `tags["owner"]`-style path inside the value, empty at the top.
    pub path: String,
    pub message: String,
    pub span: Option<Span>,
}

fn describe(lit: &Lit) -> &'static str {
    match lit {
        Lit::Null => "null",
        Lit::Bool => "a bool",
        Lit::Number => "a number",
        Lit::Str(_) => "a string",
        Lit::List(_) => "a list",
        Lit::Object(_) => "an object",
        Lit::Unknown => "an unknown value",
    }
}

/// The first way `value` does not convert to `ty`, if any.
pub fn check(value: &Val, ty: &Type) -> Option<Mismatch> {
    check_at(value, ty, String::new())
}

fn check_at(value: &Val, ty: &Type, path: String) -> Option<Mismatch> {
    let fail = |message: String| {
        Some(Mismatch {
            path: path.clone(),
            message,
            span: value.span.clone(),
        })
    };
    let wrong = || {
        fail(format!(
            "expected {}, got {}",
            ty.describe(),
            describe(&value.lit)
        ))
    };
    match (&value.lit, ty) {
        (Lit::Unknown | Lit::Null, _) | (_, Type::Any) => None,
        (Lit::Str(_) | Lit::Number | Lit::Bool, Type::String) => None,
        (Lit::Number, Type::Number) | (Lit::Bool, Type::Bool) => None,
        (Lit::Str(None), Type::Number | Type::Bool) => None,
        (Lit::Str(Some(s)), Type::Number) if s.trim().parse::<f64>().is_ok() => None,
        (Lit::Str(Some(s)), Type::Bool) if s == "true" || s == "false" => None,
        (Lit::Str(Some(s)), Type::Number | Type::Bool) => {
            fail(format!("expected {}, got the string {s:?}", ty.describe()))
        }
        (Lit::List(items), Type::List(inner)) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| check_at(item, inner, format!("{path}[{i}]"))),
        (Lit::List(items), Type::Tuple(types)) => {
            if items.len() != types.len() {
                return fail(format!(
                    "expected a tuple of {} elements, got {}",
                    types.len(),
                    items.len()
                ));
            }
            items
                .iter()
                .zip(types)
                .enumerate()
                .find_map(|(i, (item, t))| check_at(item, t, format!("{path}[{i}]")))
        }
        (Lit::Object(items), Type::Map(inner)) => items
            .iter()
            .find_map(|(k, v)| check_at(v, inner, format!("{path}[{k:?}]"))),
        (Lit::Object(items), Type::Object(attrs)) => {
            for (name, attr_ty, optional) in attrs {
                match items.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => {
                        if let Some(m) = check_at(v, attr_ty, format!("{path}.{name}")) {
                            return Some(m);
                        }
                    }
                    None if !optional => {
                        return fail(format!("attribute `{name}` is required"));
                    }
                    None => {}
                }
            }
            None
        }
        _ => wrong(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::validate::value::Scope;

    fn fits(value: &str, ty: &str) -> Option<String> {
        let v = Scope::default().value(&hcl::edit::parser::parse_expr(value).unwrap(), 0);
        check(&v, &Type::parse(ty).unwrap()).map(|m| format!("{}: {}", m.path, m.message))
    }

    #[test]
    fn terraform_conversions_are_accepted() {
        for (value, ty) in [
            ("1", "string"),
            ("true", "string"),
            ("\"5\"", "number"),
            ("\"true\"", "bool"),
            ("[1, 2]", "set(number)"),
            ("{ a = \"x\" }", "map(string)"),
            (
                "{ a = 1, extra = 2 }",
                "object({ a = number, b = optional(string) })",
            ),
            ("[\"a\", 1]", "tuple([string, number])"),
            ("var.x", "list(string)"),
            ("null", "number"),
            ("{ a = [1] }", "any"),
        ] {
            assert_eq!(fits(value, ty), None, "{value} as {ty}");
        }
    }

    #[test]
    fn mismatches_say_where_and_what() {
        assert_eq!(
            fits("\"abc\"", "number").unwrap(),
            ": expected number, got the string \"abc\""
        );
        assert_eq!(
            fits("\"a\"", "list(string)").unwrap(),
            ": expected list(string), got a string"
        );
        assert_eq!(
            fits("[\"a\", {}]", "list(string)").unwrap(),
            "[1]: expected string, got an object"
        );
        assert_eq!(
            fits("{ a = [1] }", "map(number)").unwrap(),
            "[\"a\"]: expected number, got a list"
        );
        assert_eq!(
            fits("{ b = 1 }", "object({ a = string, b = number })").unwrap(),
            ": attribute `a` is required"
        );
        assert_eq!(fits("1", "bool").unwrap(), ": expected bool, got a number");
        assert_eq!(
            fits("\"x-${var.y}\"", "list(string)").unwrap(),
            ": expected list(string), got a string"
        );
    }
}
