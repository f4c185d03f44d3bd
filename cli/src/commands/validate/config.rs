//! One module directory of a consumer configuration, parsed with positions: its module calls
//! (source, version, arguments), the `module.<call>.<output>` references, the AWS provider's
//! `default_tags`, and what `var.x` / `local.x` are known to be (from `terraform.tfvars`,
//! `*.auto.tfvars` and variable defaults in a root module).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use hcl::edit::expr::{Expression, TraversalOperator};
use hcl::edit::structure::{Block, Body};
use hcl::edit::visit::{visit_traversal, Visit};
use hcl::edit::Span as _;

use super::files::{Files, Span};
use super::value::{Scope, Val};

/// Arguments of a `module` block that are not inputs of the module.
pub const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

pub struct ModuleCall {
    pub name: String,
    /// The `module "name"` header, where findings about the whole call point.
    pub span: Span,
    /// The source when it is a literal string.
    pub source: Option<(String, Span)>,
    pub version: Option<(String, Span)>,
    pub args: Vec<Argument>,
}

pub struct Argument {
    pub name: String,
    pub key_span: Span,
    pub value: Val,
}

/// `module.<call>.<output>` somewhere in the directory.
pub struct OutputRef {
    pub call: String,
    pub output: String,
    pub span: Span,
}

pub struct ModuleConfig {
    pub dir: PathBuf,
    pub calls: Vec<ModuleCall>,
    pub references: Vec<OutputRef>,
    /// `provider "aws" { default_tags { tags = … } }` of the default (unaliased) provider.
    pub default_tags: Option<Val>,
}

/// Reads and parses every `.tf` file of `dir` (hidden files skipped, as Terraform does).
/// `root` says whether tfvars files apply (they do only to the root module).
pub fn load(dir: &Path, root: bool, files: &mut Files) -> anyhow::Result<ModuleConfig> {
    let mut parsed = Vec::new();
    for path in files_named(dir, |n| n.ends_with(".tf"))? {
        let (file, body) = parse(&path, files)?;
        parsed.push((file, body));
    }
    if parsed.is_empty() {
        anyhow::bail!(
            "`{}` holds no .tf file: give the directory of a Terraform configuration",
            dir.display()
        );
    }
    let mut scope = Scope::default();
    // A child module's variables are set by its caller, so only a root's defaults are known.
    for (file, body) in parsed.iter().filter(|_| root) {
        for block in blocks(body, "variable") {
            if let (Some(name), Some(default)) =
                (label(block, 0), block.body.get_attribute("default"))
            {
                scope.vars.insert(name, scope.value(&default.value, *file));
            }
        }
    }
    if root {
        let mut tfvars = files_named(dir, |n| n == "terraform.tfvars")?;
        tfvars.extend(files_named(dir, |n| n.ends_with(".auto.tfvars"))?);
        for path in tfvars {
            let (file, body) = parse(&path, files)?;
            for attr in body.attributes() {
                let value = scope.value(&attr.value, file);
                scope.vars.insert(attr.key.as_str().to_owned(), value);
            }
        }
    }
    // Locals may refer to locals declared later: a few passes settle any realistic chain.
    for _ in 0..4 {
        for (file, body) in &parsed {
            for block in blocks(body, "locals") {
                for attr in block.body.attributes() {
                    let value = scope.value(&attr.value, *file);
                    scope.locals.insert(attr.key.as_str().to_owned(), value);
                }
            }
        }
    }
    let mut config = ModuleConfig {
        dir: dir.to_owned(),
        calls: Vec::new(),
        references: Vec::new(),
        default_tags: None,
    };
    for (file, body) in &parsed {
        let mut refs = References {
            file: *file,
            found: &mut config.references,
        };
        // `moved`, `import` and `removed` address resources inside modules
        // (`module.vpc.aws_vpc.this`): those are not output references.
        for block in body
            .blocks()
            .filter(|b| !matches!(b.ident.as_str(), "moved" | "import" | "removed"))
        {
            refs.visit_block(block);
        }
        for block in blocks(body, "module") {
            config.calls.push(module_call(block, *file, &scope));
        }
        for block in blocks(body, "provider") {
            let aliased = block.body.has_attribute("alias");
            if label(block, 0).as_deref() != Some("aws") || aliased {
                continue;
            }
            for tags_block in block.body.get_blocks("default_tags") {
                if let Some(tags) = tags_block.body.get_attribute("tags") {
                    config.default_tags = Some(scope.value(&tags.value, *file));
                }
            }
        }
    }
    Ok(config)
}

fn module_call(block: &Block, file: usize, scope: &Scope) -> ModuleCall {
    let span = |range: Option<std::ops::Range<usize>>| Span {
        file,
        range: range.unwrap_or(0..0),
    };
    let header = block.ident.span().map(|r| {
        let end = block
            .labels
            .last()
            .and_then(|l| l.span())
            .map_or(r.end, |l| l.end);
        r.start..end
    });
    let literal = |key: &str| {
        block.body.get_attribute(key).and_then(|a| match &a.value {
            Expression::String(s) => Some((s.value().clone(), span(a.value.span()))),
            _ => None,
        })
    };
    let args = block
        .body
        .attributes()
        .filter(|a| !META_ARGUMENTS.contains(&a.key.as_str()))
        .map(|a| Argument {
            name: a.key.as_str().to_owned(),
            key_span: span(a.key.span()),
            value: scope.value(&a.value, file),
        })
        .collect();
    ModuleCall {
        name: label(block, 0).unwrap_or_default(),
        span: span(header),
        source: literal("source"),
        version: literal("version"),
        args,
    }
}

fn blocks<'a>(body: &'a Body, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    body.blocks().filter(move |b| b.ident.as_str() == ident)
}

fn label(block: &Block, index: usize) -> Option<String> {
    block.labels.get(index).map(|l| l.as_str().to_owned())
}

fn parse(path: &Path, files: &mut Files) -> anyhow::Result<(usize, Body)> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read `{}` (Terraform reads only UTF-8 files)",
            path.display()
        )
    })?;
    let file = files.add(path, text);
    // The depth guard runs first: a hostile file must not overflow the parser's stack.
    let body = registry::interface::parse_file(&files.get(file).display, &files.get(file).text)
        .map_err(|e| {
            anyhow::anyhow!("{e}: fix the syntax (terraform validate shows the same error)")
        })?;
    Ok((file, body))
}

/// Regular, non-hidden files of `dir` whose name passes `wanted`, sorted.
fn files_named(dir: &Path, wanted: impl Fn(&str) -> bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the directory `{}`", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && wanted(&name) && entry.file_type()?.is_file() {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// Collects `module.<call>.<output>` traversals, skipping `[index]` for counted calls.
struct References<'a> {
    file: usize,
    found: &'a mut Vec<OutputRef>,
}

impl Visit for References<'_> {
    fn visit_traversal(&mut self, node: &hcl::edit::expr::Traversal) {
        if let Expression::Variable(root) = &node.expr {
            if root.as_str() == "module" {
                let mut ops = node.operators.iter().map(|op| op.value());
                if let Some(TraversalOperator::GetAttr(call)) = ops.next() {
                    let output = ops.find(|op| {
                        !matches!(
                            op,
                            TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)
                        )
                    });
                    if let Some(TraversalOperator::GetAttr(output)) = output {
                        self.found.push(OutputRef {
                            call: call.as_str().to_owned(),
                            output: output.as_str().to_owned(),
                            span: Span {
                                file: self.file,
                                range: output.span().unwrap_or(0..0),
                            },
                        });
                    }
                }
            }
        }
        visit_traversal(self, node);
    }
}
