//! Expressions reduced to what is known without running Terraform: literals (with their
//! spans), `var.x` from tfvars or the variable's default, `local.x` when the local is itself
//! known. Everything else is `Unknown`, never guessed.

use std::collections::HashMap;

use hcl::edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl::edit::Span as _;
use hcl::eval::{Context, Evaluate as _};

use super::files::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Null,
    Bool,
    Number,
    /// A string; the text when it is known (a template is a string of unknown text).
    Str(Option<String>),
    List(Vec<Val>),
    Object(Vec<(String, Val)>),
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Val {
    pub lit: Lit,
    pub span: Option<Span>,
}

impl Val {
    pub fn attr(&self, key: &str) -> Option<&Val> {
        match &self.lit {
            Lit::Object(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// What `var.x` and `local.x` stand for in one module directory.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    pub vars: HashMap<String, Val>,
    pub locals: HashMap<String, Val>,
}

impl Scope {
    /// The value of `expr`, in file `file`.
    pub fn value(&self, expr: &Expression, file: usize) -> Val {
        let span = expr.span().map(|range| Span { file, range });
        let lit = match expr {
            Expression::Null(_) => Lit::Null,
            Expression::Bool(_) => Lit::Bool,
            Expression::Number(_) => Lit::Number,
            Expression::String(s) => Lit::Str(Some(s.value().clone())),
            Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
                match constant(expr) {
                    Some(hcl::Value::String(s)) => Lit::Str(Some(s)),
                    _ => Lit::Str(None),
                }
            }
            Expression::Array(items) => {
                Lit::List(items.iter().map(|e| self.value(e, file)).collect())
            }
            Expression::Object(object) => {
                let mut items = Vec::new();
                for (key, value) in object.iter() {
                    let name = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                        ObjectKey::Expression(_) => {
                            return Val {
                                lit: Lit::Unknown,
                                span,
                            }
                        }
                    };
                    items.push((name, self.value(value.expr(), file)));
                }
                Lit::Object(items)
            }
            Expression::Parenthesis(inner) => return self.value(inner.inner(), file),
            Expression::Traversal(traversal) => {
                return self.reference(traversal).unwrap_or(Val {
                    lit: Lit::Unknown,
                    span,
                })
            }
            _ => match constant(expr) {
                Some(hcl::Value::Bool(_)) => Lit::Bool,
                Some(hcl::Value::Number(_)) => Lit::Number,
                Some(hcl::Value::String(s)) => Lit::Str(Some(s)),
                _ => Lit::Unknown,
            },
        };
        Val { lit, span }
    }

    /// `var.x` / `local.x` (no further traversal) when known.
    fn reference(&self, traversal: &hcl::edit::expr::Traversal) -> Option<Val> {
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        let [op] = traversal.operators.as_slice() else {
            return None;
        };
        let TraversalOperator::GetAttr(name) = op.value() else {
            return None;
        };
        let table = match root.as_str() {
            "var" => &self.vars,
            "local" => &self.locals,
            _ => return None,
        };
        table.get(name.as_str()).cloned()
    }
}

/// The value of an expression made only of constants (arithmetic, heredocs, templates
/// without interpolation).
fn constant(expr: &Expression) -> Option<hcl::Value> {
    hcl::Expression::from(expr.clone())
        .evaluate(&Context::new())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(scope: &Scope, text: &str) -> Lit {
        scope
            .value(&hcl::edit::parser::parse_expr(text).unwrap(), 0)
            .lit
    }

    #[test]
    fn literals_are_known_and_references_are_not_guessed() {
        let mut scope = Scope::default();
        scope.vars.insert(
            "env".into(),
            Val {
                lit: Lit::Str(Some("dev".into())),
                span: None,
            },
        );
        assert_eq!(val(&scope, "var.env"), Lit::Str(Some("dev".into())));
        assert_eq!(val(&scope, "var.other"), Lit::Unknown);
        assert_eq!(val(&scope, "\"a-${var.env}\""), Lit::Str(None));
        assert_eq!(val(&scope, "1 + 2"), Lit::Number);
        assert_eq!(val(&scope, "data.x.y"), Lit::Unknown);
        let Lit::Object(items) = val(&scope, "{ a = 1, \"b\" = [true] }") else {
            panic!("an object");
        };
        assert_eq!(items[0].0, "a");
        assert!(matches!(&items[1].1.lit, Lit::List(l) if l[0].lit == Lit::Bool));
    }
}
