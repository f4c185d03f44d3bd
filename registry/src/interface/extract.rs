//! HCL → `ModuleInterface`: what each module directory of a release offers its callers.
//!
//! Files are parsed with hcl-edit (re-exported by hcl-rs) because it keeps source spans: parse
//! errors carry a line and column, and expressions that are not literals are reported exactly
//! as written. Nothing is evaluated beyond constant literals; no variable or function is known.

use std::collections::BTreeMap;

use hcl::edit::expr::Expression as EditExpr;
use hcl::edit::structure::{Block, Body};
use hcl::edit::Span;
use hcl::eval::{Context, Evaluate};
use hcl::{Expression, Value};

use super::depth::{self, Refusal, MAX_DEPTH};
use super::{Dependency, Input, ModuleDoc, ModuleInterface, Output, ProviderDependency, Resource};
use crate::archive::Archive;

#[cfg(test)]
mod tests;
mod types;

pub(crate) use types::canonical_type;
use types::type_text;

/// Why a release's HCL could not be read; each message points at the file and line.
#[derive(Debug, thiserror::Error)]
pub enum InterfaceError {
    #[error("`{file}` line {line}, column {column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("`{file}` is not valid UTF-8: Terraform reads only UTF-8 files, re-save it as UTF-8")]
    NotUtf8 { file: String },

    #[error("`{file}` line {line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },

    #[error(
        "`{file}` line {line}: nesting deeper than {limit} levels (brackets, braces, \
         parentheses, strings, template interpolations and directives, plus the operators of \
         one expression): no real module needs this; split the expression into locals"
    )]
    TooDeep {
        file: String,
        line: usize,
        limit: usize,
    },

    #[error(
        "`{dir}` declares more than {limit} top-level blocks: split the module into smaller ones"
    )]
    TooManyBlocks { dir: String, limit: usize },
}

/// Most top-level blocks (`variable`, `resource`, …) one module directory may declare, across
/// its files; far above real modules (a few hundred), low enough to bound a publish's work.
pub const MAX_BLOCKS: usize = 100_000;

/// Reads the root module, each `modules/<name>/` and each `examples/<name>/` directory.
pub fn extract(archive: &Archive) -> Result<ModuleInterface, InterfaceError> {
    Ok(ModuleInterface {
        root: module_doc(archive, "")?,
        submodules: nested(archive, "modules")?,
        examples: nested(archive, "examples")?,
    })
}

fn nested(archive: &Archive, parent: &str) -> Result<Vec<ModuleDoc>, InterfaceError> {
    archive
        .subdirs(parent)
        .into_iter()
        .map(|name| module_doc(archive, &format!("{parent}/{name}")))
        .collect()
}

fn module_doc(archive: &Archive, dir: &str) -> Result<ModuleDoc, InterfaceError> {
    let join = |name: &str| {
        if dir.is_empty() {
            name.to_owned()
        } else {
            format!("{dir}/{name}")
        }
    };
    let mut doc = ModuleDoc {
        path: dir.to_owned(),
        readme: archive
            .get(&join("README.md"))
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default(),
        empty: true,
        ..ModuleDoc::default()
    };
    let mut found = Declarations::default();
    // Terraform ignores hidden files, and reads override files after all the others, merging
    // them into what those declared.
    let mut tf_files: Vec<(&str, &[u8])> = archive
        .dir_files(dir)
        .filter(|(name, _)| name.ends_with(".tf") && !name.starts_with('.'))
        .collect();
    tf_files.sort_by_key(|(name, _)| is_override(name));
    let mut blocks = 0;
    for (name, bytes) in tf_files {
        doc.empty = false;
        let file = join(name);
        let Ok(src) = std::str::from_utf8(bytes) else {
            return Err(InterfaceError::NotUtf8 { file });
        };
        // Before the recursive parser: past the limit it would overflow the stack.
        blocks += depth::scan(src)
            .map_err(|refusal| refused(&file, refusal))?
            .blocks;
        if blocks > MAX_BLOCKS {
            return Err(InterfaceError::TooManyBlocks {
                dir: if dir.is_empty() { "." } else { dir }.to_owned(),
                limit: MAX_BLOCKS,
            });
        }
        let body = parse_scanned(&file, src)?;
        let mut reader = FileReader {
            file: &file,
            src,
            lines: LineIndex::new(src),
            found: &mut found,
            is_override: is_override(name),
        };
        reader.read(&body)?;
    }
    // The maps are keyed by name, so the lists come out sorted by name.
    doc.inputs = found.inputs.into_values().collect();
    doc.outputs = found.outputs.into_values().collect();
    doc.dependencies = found.dependencies.into_values().collect();
    doc.provider_dependencies = found.providers.into_values().collect();
    doc.resources = found.resources;
    doc.required_version = found.required_version;
    doc.resources
        .sort_by(|a, b| (&a.resource_type, &a.name).cmp(&(&b.resource_type, &b.name)));
    Ok(doc)
}

/// Parses one `.tf` file from outside (a consumer's configuration, a module directory) with
/// hcl-edit, after the depth guard: past the limit the recursive parser would overflow the
/// stack and abort the process. Every caller that parses such HCL goes through here.
pub fn parse_file(file: &str, src: &str) -> Result<Body, InterfaceError> {
    depth::scan(src).map_err(|refusal| refused(file, refusal))?;
    parse_scanned(file, src)
}

/// hcl-edit's parse of a file `depth::scan` has accepted.
fn parse_scanned(file: &str, src: &str) -> Result<Body, InterfaceError> {
    hcl::edit::parser::parse_body(src).map_err(|err| InterfaceError::Parse {
        file: file.to_owned(),
        line: err.location().line(),
        column: err.location().column(),
        message: err.message().to_owned(),
    })
}

fn refused(file: &str, refusal: Refusal) -> InterfaceError {
    let file = file.to_owned();
    match refusal {
        Refusal::TooDeep { line } => InterfaceError::TooDeep {
            file,
            line,
            limit: MAX_DEPTH,
        },
        Refusal::EmptyHeredoc { line, marker } => InterfaceError::Invalid {
            file,
            line,
            message: format!(
                "the heredoc's first line is its closing marker `{marker}`: write an empty \
                 string `\"\"` instead"
            ),
        },
    }
}

/// What one module directory declares, keyed by name, so that each declaration and each
/// override costs a map lookup rather than a walk of everything declared before it.
#[derive(Default)]
struct Declarations {
    /// `(kind, name)` → file, so a declaration repeated across files names both places.
    files: BTreeMap<(&'static str, String), String>,
    inputs: BTreeMap<String, Input>,
    outputs: BTreeMap<String, Output>,
    dependencies: BTreeMap<String, Dependency>,
    providers: BTreeMap<String, ProviderDependency>,
    resources: Vec<Resource>,
    required_version: Option<String>,
}

/// Byte offset → line number by binary search over the line starts, computed once per file.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(src: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The 1-based line holding `offset`.
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// Collects one file's declarations into the directory's `ModuleDoc`.
struct FileReader<'a> {
    file: &'a str,
    src: &'a str,
    lines: LineIndex,
    found: &'a mut Declarations,
    /// `override.tf` / `*_override.tf`: blocks amend earlier declarations instead of adding.
    is_override: bool,
}

fn is_override(name: &str) -> bool {
    name == "override.tf" || name.ends_with("_override.tf")
}

impl FileReader<'_> {
    fn read(&mut self, body: &Body) -> Result<(), InterfaceError> {
        for block in body.blocks() {
            match block.ident.as_str() {
                "variable" => {
                    let name = self.declare(block, "variable", 1)?;
                    let input = self.input(name, &block.body);
                    match self.found.inputs.get_mut(&input.name) {
                        Some(old) => merge_input(old, input, &block.body),
                        None => {
                            self.found.inputs.insert(input.name.clone(), input);
                        }
                    }
                }
                "output" => {
                    let name = self.declare(block, "output", 1)?;
                    let output = Output {
                        name,
                        description: self.string_attr(&block.body, "description"),
                        sensitive: bool_attr(&block.body, "sensitive", false),
                        deprecated: self.optional_string_attr(&block.body, "deprecated"),
                    };
                    let has = |key| block.body.has_attribute(key);
                    match self.found.outputs.get_mut(&output.name) {
                        Some(old) => {
                            if has("description") {
                                old.description = output.description;
                            }
                            if has("sensitive") {
                                old.sensitive = output.sensitive;
                            }
                            if has("deprecated") {
                                old.deprecated = output.deprecated;
                            }
                        }
                        None => {
                            self.found.outputs.insert(output.name.clone(), output);
                        }
                    }
                }
                "resource" => {
                    let name = self.declare(block, "resource", 2)?;
                    if !self.is_override {
                        self.found.resources.push(Resource {
                            name,
                            resource_type: block.labels[0].as_str().to_owned(),
                        });
                    }
                }
                "module" => {
                    let name = self.declare(block, "module", 1)?;
                    let source = self.string_attr(&block.body, "source");
                    let version = self.string_attr(&block.body, "version");
                    let has = |key| block.body.has_attribute(key);
                    match self.found.dependencies.get_mut(&name) {
                        Some(old) => {
                            if has("source") {
                                old.source = source;
                            }
                            if has("version") {
                                old.version = version;
                            }
                        }
                        None => {
                            let dep = Dependency {
                                name: name.clone(),
                                source,
                                version,
                            };
                            self.found.dependencies.insert(name, dep);
                        }
                    }
                }
                "terraform" => self.terraform(&block.body),
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks the label count, and that a name is declared once, or (in an override file)
    /// was declared before; returns the last label (the block's name).
    fn declare(
        &mut self,
        block: &Block,
        kind: &'static str,
        labels: usize,
    ) -> Result<String, InterfaceError> {
        let line = self.lines.line(block.span().map_or(0, |r| r.start));
        if block.labels.len() != labels {
            return Err(InterfaceError::Invalid {
                file: self.file.to_owned(),
                line,
                message: format!(
                    "a `{kind}` block needs {labels} label(s), found {}",
                    block.labels.len()
                ),
            });
        }
        let key: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let shown = key.join(".");
        let key_owned = (kind, shown.clone());
        if self.is_override {
            if !self.found.files.contains_key(&key_owned) {
                return Err(InterfaceError::Invalid {
                    file: self.file.to_owned(),
                    line,
                    message: format!(
                        "override file declares {kind} `{shown}`, which no other file declares: \
                         an override can only amend an existing block"
                    ),
                });
            }
            return Ok(key[labels - 1].to_owned());
        }
        let first = self.found.files.insert(key_owned, self.file.to_owned());
        if let Some(first) = first {
            return Err(InterfaceError::Invalid {
                file: self.file.to_owned(),
                line,
                message: format!(
                    "{kind} `{shown}` is already declared in `{first}`: remove or rename one"
                ),
            });
        }
        Ok(key[labels - 1].to_owned())
    }

    fn input(&self, name: String, body: &Body) -> Input {
        let default = body
            .get_attribute("default")
            .map(|a| self.json_value(&a.value));
        Input {
            name,
            type_expr: body
                .get_attribute("type")
                .map(|a| type_text(&Expression::from(a.value.clone()))),
            description: self.string_attr(body, "description"),
            required: default.is_none(),
            default,
            sensitive: bool_attr(body, "sensitive", false),
            nullable: bool_attr(body, "nullable", true),
            deprecated: self.optional_string_attr(body, "deprecated"),
        }
    }

    fn terraform(&mut self, body: &Body) {
        if let Some(attr) = body.get_attribute("required_version") {
            self.found.required_version = Some(self.text_value(&attr.value));
        }
        for block in body.get_blocks("required_providers") {
            for attr in block.body.attributes() {
                let mut dep = ProviderDependency {
                    name: attr.key.as_str().to_owned(),
                    namespace: String::new(),
                    source: String::new(),
                    version: String::new(),
                };
                match evaluate(&attr.value) {
                    // Terraform 0.12's form: `aws = "~> 5.0"`.
                    Some(Value::String(version)) => dep.version = version,
                    Some(Value::Object(map)) => {
                        let text = |key: &str| match map.get(key) {
                            Some(Value::String(s)) => s.clone(),
                            _ => String::new(),
                        };
                        dep.source = text("source");
                        dep.version = text("version");
                    }
                    _ => dep.version = self.source_text(&attr.value),
                }
                dep.namespace = provider_namespace(&dep.source);
                // Later entries (override files) replace earlier ones of the same name.
                self.found.providers.insert(dep.name.clone(), dep);
            }
        }
    }

    /// A string attribute's value, or its source text when it is not a constant string.
    fn string_attr(&self, body: &Body, key: &str) -> String {
        body.get_attribute(key)
            .map(|a| self.text_value(&a.value))
            .unwrap_or_default()
    }

    fn optional_string_attr(&self, body: &Body, key: &str) -> Option<String> {
        body.get_attribute(key).map(|a| self.text_value(&a.value))
    }

    fn text_value(&self, expr: &EditExpr) -> String {
        match evaluate(expr) {
            Some(Value::String(s)) => s,
            _ => self.source_text(expr),
        }
    }

    fn json_value(&self, expr: &EditExpr) -> serde_json::Value {
        evaluate(expr)
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or_else(|| serde_json::Value::String(self.source_text(expr)))
    }

    fn source_text(&self, expr: &EditExpr) -> String {
        expr.span()
            .and_then(|range| self.src.get(range))
            .map(|text| text.trim().to_owned())
            .unwrap_or_else(|| type_text(&Expression::from(expr.clone())))
    }
}

/// Applies an override file's `variable` block: only the attributes it sets change.
fn merge_input(old: &mut Input, new: Input, body: &Body) {
    let has = |key| body.has_attribute(key);
    if has("type") {
        old.type_expr = new.type_expr;
    }
    if has("description") {
        old.description = new.description;
    }
    if has("default") {
        old.default = new.default;
        old.required = false;
    }
    if has("sensitive") {
        old.sensitive = new.sensitive;
    }
    if has("nullable") {
        old.nullable = new.nullable;
    }
    if has("deprecated") {
        old.deprecated = new.deprecated;
    }
}

/// The value of a constant expression (literals, heredocs without interpolation, arithmetic on
/// literals); `None` as soon as it refers to anything, since there is no context to resolve it.
fn evaluate(expr: &EditExpr) -> Option<Value> {
    Expression::from(expr.clone())
        .evaluate(&Context::new())
        .ok()
}

fn bool_attr(body: &Body, key: &str, default: bool) -> bool {
    match body.get_attribute(key).and_then(|a| evaluate(&a.value)) {
        Some(Value::Bool(b)) => b,
        _ => default,
    }
}

/// `hashicorp/aws` → `hashicorp`; `registry.example.com/acme/x` → `acme`. Without a source,
/// Terraform implies `hashicorp/<name>`, so the namespace is `hashicorp`.
fn provider_namespace(source: &str) -> String {
    let parts: Vec<&str> = source.split('/').collect();
    match parts.as_slice() {
        [""] => "hashicorp".to_owned(),
        [namespace, _] | [_, namespace, _] => (*namespace).to_owned(),
        _ => String::new(),
    }
}
