//! `modreg validate DIR…`: every module call of a consumer configuration checked against the
//! interface its registry publishes, before `terraform init`: versions resolved as Terraform
//! resolves them, arguments, types, outputs, deprecations, and the organisation's policy.
//!
//! Flow: `config` parses each root and its local child modules; `lookup` fetches versions and
//! interfaces (through `cache`); `constraint` picks the release; `checks` and `policy` find
//! problems; `suppress` drops the silenced ones; `output` writes them.

mod cache;
mod checks;
mod config;
mod constraint;
pub mod diagnostic;
mod files;
mod lookup;
pub mod output;
mod policy;
mod source;
mod suppress;
mod types;
mod value;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use registry::interface::ModuleDoc;

use self::config::{ModuleCall, ModuleConfig};
use self::constraint::{Constraints, Resolution};
use self::diagnostic::Diagnostic;
use self::files::{normalize, Files};
use self::lookup::{Lookup, Versions};
use self::output::{Format, ResolvedCall};
use self::policy::Policy;
use self::source::{RegistrySource, Source};
use self::value::Val;
use crate::args::ValidateArgs;
use crate::Outcome;

/// One module directory to check, with what it inherits from its root.
struct Unit {
    config: ModuleConfig,
    policy: Arc<Policy>,
    /// The AWS provider's `default_tags`, passed down to child modules as Terraform does.
    default_tags: Option<Val>,
    /// The repository holding the root (nearest `.git` above it), for local-path policy.
    repo: PathBuf,
}

pub async fn run(args: ValidateArgs) -> anyhow::Result<Outcome> {
    let dirs = if args.dirs.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.dirs.clone()
    };
    let mut files = Files::default();
    let mut units = Vec::new();
    let mut seen = HashSet::new();
    for dir in &dirs {
        let policy = match &args.policy {
            Some(path) => Policy::load(path)?,
            None => Policy::find(dir)?.0,
        };
        let repo = repo_root(dir);
        load_tree(
            dir,
            true,
            None,
            &Arc::new(policy),
            &repo,
            &mut files,
            &mut units,
            &mut seen,
        )?;
    }

    let mut lookup = Lookup::new(
        cache::Cache::new(args.cache_dir.clone()),
        args.offline,
        args.token.clone(),
    );
    let mut sources: BTreeMap<String, RegistrySource> = BTreeMap::new();
    for (_, call) in calls(&units) {
        if let Some(Source::Registry(s)) = parse_source(call) {
            sources.entry(s.key()).or_insert(RegistrySource {
                subdir: String::new(),
                ..s
            });
        }
    }
    let sources: Vec<RegistrySource> = sources.into_values().collect();
    let versions = lookup.versions(&sources).await?;

    let mut diagnostics = Vec::new();
    let mut selected: HashMap<(usize, usize), (RegistrySource, String)> = HashMap::new();
    let mut wanted = Vec::new();
    let mut resolved_calls = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        for (c, call) in unit.config.calls.iter().enumerate() {
            let Some(Source::Registry(s)) = parse_source(call) else {
                continue;
            };
            let constraints = match &call.version {
                Some((text, span)) => match Constraints::parse(text) {
                    Ok(c) => Some(c),
                    Err(why) => {
                        diagnostics.push(
                            Diagnostic::new("MR010", format!("module `{}`: {why}", call.name), Some(span.clone()))
                                .help("write constraints as Terraform does: `1.2.0`, `~> 1.2`, `>= 1.2, < 2.0`"),
                        );
                        continue;
                    }
                },
                None => None,
            };
            unit.policy
                .check_version(call, constraints.as_ref(), &mut diagnostics);
            let source_span = call.source.as_ref().map(|(_, span)| span.clone());
            let pick = match &versions[&s.key()] {
                Versions::NotFound(message) => {
                    diagnostics.push(
                        Diagnostic::new("MR009", format!("`{}` has no module `{}`: {message}", s.host, s.address()), source_span)
                            .help("check the namespace, name and system, and that the module was published"),
                    );
                    None
                }
                Versions::NotCached => {
                    diagnostics.push(not_checked(call, &s, source_span));
                    None
                }
                Versions::Listed(body) => {
                    let listed: Vec<String> = body.versions().map(|v| v.version.clone()).collect();
                    match constraint::resolve(constraints.as_ref(), &listed) {
                        Resolution::Selected(v) => body
                            .versions()
                            .find(|e| constraint::Version::parse(&e.version).as_ref() == Some(&v))
                            .map(|e| (e.version.clone(), e.sha256.clone())),
                        Resolution::Unresolvable { newest } => {
                            diagnostics.push(unresolvable(call, &s, constraints.as_ref(), newest));
                            None
                        }
                    }
                }
            };
            let loc = files.get(call.span.file).position(call.span.range.start);
            resolved_calls.push(ResolvedCall {
                file: files.get(call.span.file).display.clone(),
                line: loc.line,
                module: call.name.clone(),
                source: call
                    .source
                    .as_ref()
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default(),
                constraint: call.version.as_ref().map(|(v, _)| v.clone()),
                selected: pick.as_ref().map(|(v, _)| v.clone()),
            });
            if let Some((version, sha)) = pick {
                wanted.push((s.clone(), version.clone(), sha));
                selected.insert((u, c), (s, version));
            }
        }
    }
    let details = lookup.details(&wanted).await?;

    for (u, unit) in units.iter().enumerate() {
        for (c, call) in unit.config.calls.iter().enumerate() {
            let Some(source) = parse_source(call) else {
                continue;
            };
            let local_doc;
            let (doc, what) = match &source {
                Source::Registry(_) => {
                    let Some((s, version)) = selected.get(&(u, c)) else {
                        continue;
                    };
                    let Some(body) = details.get(&(s.key(), version.clone())) else {
                        diagnostics.push(not_checked(
                            call,
                            s,
                            call.source.as_ref().map(|(_, sp)| sp.clone()),
                        ));
                        continue;
                    };
                    if let Some(dep) = body.deprecation() {
                        let span = call
                            .version
                            .as_ref()
                            .or(call.source.as_ref())
                            .map(|(_, sp)| sp.clone());
                        let mut d = Diagnostic::new(
                            "MR006",
                            format!(
                                "{} {version} is deprecated{}",
                                s.address(),
                                dep.reason.map(|r| format!(": {r}")).unwrap_or_default()
                            ),
                            span,
                        );
                        d = d.help(match dep.replacement {
                            Some(r) => format!("move to {r}"),
                            None => "move to a release that is not deprecated (see `modreg diff` for what changed)".into(),
                        });
                        diagnostics.push(d);
                    }
                    let Some(doc) = body.module_at(&s.subdir) else {
                        let paths: Vec<String> = body
                            .submodules
                            .iter()
                            .map(|m| format!("`{}`", m.path))
                            .collect();
                        diagnostics.push(
                            Diagnostic::new(
                                "MR007",
                                format!(
                                    "{} {version} has no module directory `{}`",
                                    s.address(),
                                    s.subdir
                                ),
                                call.source.as_ref().map(|(_, sp)| sp.clone()),
                            )
                            .help(if paths.is_empty() {
                                "the release has no submodules: drop the `//…` part".to_owned()
                            } else {
                                format!("its submodules are {}", paths.join(", "))
                            }),
                        );
                        continue;
                    };
                    (doc, format!("`{}` {version}", s.address()))
                }
                Source::Local(path) => {
                    let dir = normalize(&unit.config.dir.join(path));
                    if !dir.starts_with(&unit.repo) {
                        unit.policy.check_source(call, path, true, &mut diagnostics);
                    }
                    local_doc = registry::interface::extract_dir(&dir)?.root;
                    (&local_doc, format!("`{path}`"))
                }
                Source::Remote(raw) => {
                    unit.policy.check_source(call, raw, false, &mut diagnostics);
                    continue;
                }
            };
            check_against(unit, call, doc, &what, &mut diagnostics);
        }
    }

    let mut diagnostics = suppress::apply(diagnostics, &files);
    sort(&mut diagnostics, &files);
    let text = match args.format {
        Format::Human => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            output::human(&diagnostics, &files, colour)
        }
        Format::Json => output::json(&diagnostics, &files, &resolved_calls),
        Format::Sarif => output::sarif(&diagnostics, &files),
    };
    print!("{text}");
    let unchecked = diagnostics.iter().filter(|d| d.code == "MR011").count();
    if unchecked > 0 {
        eprintln!("{unchecked} module call(s) not checked: their interfaces are not in the cache (run once online)");
    }
    Ok(if diagnostics.iter().any(|d| d.severity >= args.deny) {
        Outcome::Findings
    } else {
        Outcome::Ok
    })
}

fn check_against(
    unit: &Unit,
    call: &ModuleCall,
    doc: &ModuleDoc,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    checks::check_call(call, doc, what, out);
    let refs: Vec<_> = unit
        .config
        .references
        .iter()
        .filter(|r| r.call == call.name)
        .collect();
    checks::check_references(&refs, doc, what, out);
    if doc.inputs.iter().any(|i| i.name == "tags") {
        unit.policy
            .check_tags(call, unit.default_tags.as_ref(), out);
    }
}

fn parse_source(call: &ModuleCall) -> Option<Source> {
    call.source.as_ref().map(|(raw, _)| Source::parse(raw))
}

fn calls(units: &[Unit]) -> impl Iterator<Item = (&Unit, &ModuleCall)> {
    units
        .iter()
        .flat_map(|u| u.config.calls.iter().map(move |c| (u, c)))
}

fn not_checked(call: &ModuleCall, s: &RegistrySource, span: Option<files::Span>) -> Diagnostic {
    Diagnostic::new(
        "MR011",
        format!(
            "module `{}` ({}) was not checked: its interface is not cached",
            call.name,
            s.address()
        ),
        span,
    )
    .help("run `modreg validate` once without --offline to fill the cache")
}

fn unresolvable(
    call: &ModuleCall,
    s: &RegistrySource,
    constraints: Option<&Constraints>,
    newest: Option<constraint::Version>,
) -> Diagnostic {
    let text = call.version.as_ref().map(|(t, _)| t.as_str()).unwrap_or("");
    let span = call
        .version
        .as_ref()
        .or(call.source.as_ref())
        .map(|(_, sp)| sp.clone());
    let newest = match newest {
        Some(v) => format!("the newest available version is {v}"),
        None => "no version is available".to_owned(),
    };
    let d = Diagnostic::new(
        "MR008",
        format!(
            "no available release of {} matches `{text}`: {newest}",
            s.address()
        ),
        span,
    );
    if constraints.is_some_and(Constraints::names_prerelease_with_operator) {
        d.help("Terraform selects a pre-release only by a bare exact version (`version = \"1.2.0-rc1\"`, not `= 1.2.0-rc1` or a range; hashicorp/terraform#32356); modreg does the same")
    } else {
        d.help("widen the constraint, or publish a matching release")
    }
}

/// Findings in file and position order, the unlocated ones last.
fn sort(diagnostics: &mut [Diagnostic], files: &Files) {
    diagnostics.sort_by_cached_key(|d| match &d.span {
        Some(s) => (0, files.get(s.file).display.clone(), s.range.start, d.code),
        None => (1, String::new(), 0, d.code),
    });
}

/// The nearest directory at or above `dir` holding `.git`; `dir` itself when there is none.
fn repo_root(dir: &Path) -> PathBuf {
    let dir = normalize(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned()));
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_owned)
        .unwrap_or(dir)
}

/// Loads `dir` and, recursively, the local modules it calls.
#[expect(
    clippy::too_many_arguments,
    reason = "one recursive walk over the run's shared state"
)]
fn load_tree(
    dir: &Path,
    root: bool,
    inherited_tags: Option<Val>,
    policy: &Arc<Policy>,
    repo: &Path,
    files: &mut Files,
    units: &mut Vec<Unit>,
    seen: &mut HashSet<PathBuf>,
) -> anyhow::Result<()> {
    let key = normalize(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned()));
    if !seen.insert(key.clone()) {
        return Ok(());
    }
    let config = config::load(dir, root, files)
        .with_context(|| format!("cannot check `{}`", dir.display()))?;
    let default_tags = config.default_tags.clone().or(inherited_tags);
    let children: Vec<PathBuf> = config
        .calls
        .iter()
        .filter_map(|c| match parse_source(c) {
            Some(Source::Local(path)) => Some(normalize(&key.join(path))),
            _ => None,
        })
        .collect();
    units.push(Unit {
        config: ModuleConfig { dir: key, ..config },
        policy: policy.clone(),
        default_tags: default_tags.clone(),
        repo: repo.to_owned(),
    });
    for child in children {
        load_tree(
            &child,
            false,
            default_tags.clone(),
            policy,
            repo,
            files,
            units,
            seen,
        )?;
    }
    Ok(())
}
