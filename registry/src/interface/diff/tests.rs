//! One test per diff rule, and the semver verdicts.

use super::*;

fn input(name: &str, type_expr: Option<&str>, required: bool) -> Input {
    Input {
        name: name.to_owned(),
        type_expr: type_expr.map(str::to_owned),
        description: String::new(),
        default: (!required).then(|| serde_json::json!("x")),
        required,
        sensitive: false,
        nullable: true,
        deprecated: None,
    }
}

fn output(name: &str, sensitive: bool) -> Output {
    Output {
        name: name.to_owned(),
        description: String::new(),
        sensitive,
        deprecated: None,
    }
}

fn module(inputs: Vec<Input>, outputs: Vec<Output>) -> ModuleInterface {
    ModuleInterface {
        root: ModuleDoc {
            inputs,
            outputs,
            ..ModuleDoc::default()
        },
        ..ModuleInterface::default()
    }
}

fn base() -> ModuleInterface {
    module(
        vec![
            input("name", Some("string"), true),
            input("tags", Some("map(string)"), false),
        ],
        vec![output("id", false)],
    )
}

fn changes(old: &ModuleInterface, new: &ModuleInterface) -> Vec<(Severity, String)> {
    diff(old, new)
        .changes
        .into_iter()
        .map(|c| (c.severity, c.message))
        .collect()
}

fn v(text: &str) -> Version {
    Version::parse(text).unwrap()
}

#[test]
fn identical_interfaces_need_only_a_patch() {
    let d = diff(&base(), &base());
    assert!(d.is_empty());
    assert_eq!(d.required_bump(), Bump::Patch);
}

#[test]
fn a_removed_input_is_breaking() {
    let mut new = base();
    new.root.inputs.retain(|i| i.name != "tags");
    assert_eq!(
        changes(&base(), &new),
        [(
            Severity::Breaking,
            "input `tags` was removed (callers that set it will fail)".to_owned()
        )]
    );
    assert_eq!(diff(&base(), &new).required_bump(), Bump::Major);
}

#[test]
fn a_removed_output_is_breaking() {
    let mut new = base();
    new.root.outputs.clear();
    assert_eq!(changes(&base(), &new)[0].0, Severity::Breaking);
}

#[test]
fn a_new_required_input_is_breaking_and_a_new_optional_one_is_not() {
    let mut new = base();
    new.root.inputs.push(input("owner", Some("string"), true));
    new.root.inputs.push(input("extra", Some("string"), false));
    assert_eq!(
        changes(&base(), &new),
        [
            (
                Severity::Breaking,
                "new input `owner` is required (existing callers do not set it)".to_owned()
            ),
            (
                Severity::Compatible,
                "new optional input `extra`".to_owned()
            ),
        ]
    );
}

#[test]
fn an_input_that_loses_its_default_is_breaking() {
    let mut new = base();
    new.root.inputs[1] = input("tags", Some("map(string)"), true);
    assert_eq!(changes(&base(), &new)[0].0, Severity::Breaking);
    assert!(changes(&base(), &new)[0].1.contains("became required"));
}

#[test]
fn a_changed_type_is_breaking_unless_there_was_none() {
    let mut new = base();
    new.root.inputs[0].type_expr = Some("number".to_owned());
    assert_eq!(
        changes(&base(), &new),
        [(
            Severity::Breaking,
            "input `name` changed type from `string` to `number`".to_owned()
        )]
    );
    let mut old = base();
    old.root.inputs[0].type_expr = None;
    assert_eq!(
        changes(&old, &base()),
        [(
            Severity::Compatible,
            "input `name` now declares type `string`".to_owned()
        )]
    );
}

#[test]
fn reordering_object_attributes_is_not_a_type_change() {
    let mut old = base();
    old.root.inputs[0].type_expr = Some("object({ a = string, b = optional(number, 1) })".into());
    let mut new = base();
    new.root.inputs[0].type_expr = Some("object({ b = optional(number, 1), a = string })".into());
    assert!(diff(&old, &new).is_empty());
    new.root.inputs[0].type_expr = Some("object({ b = optional(number, 2), a = string })".into());
    assert_eq!(diff(&old, &new).required_bump(), Bump::Major);
}

#[test]
fn an_output_that_becomes_sensitive_is_breaking() {
    let mut new = base();
    new.root.outputs[0].sensitive = true;
    assert_eq!(
        changes(&base(), &new),
        [(
            Severity::Breaking,
            "output `id` became sensitive".to_owned()
        )]
    );
}

#[test]
fn a_new_output_is_a_minor_change() {
    let mut new = base();
    new.root.outputs.push(output("arn", false));
    let d = diff(&base(), &new);
    assert_eq!(d.changes[0].message, "new output `arn`");
    assert_eq!(d.required_bump(), Bump::Minor);
}

#[test]
fn an_input_that_stops_accepting_null_is_breaking() {
    let mut new = base();
    new.root.inputs[1].nullable = false;
    assert_eq!(changes(&base(), &new)[0].0, Severity::Breaking);
}

#[test]
fn submodule_changes_are_scoped_by_path() {
    let mut old = base();
    old.submodules.push(ModuleDoc {
        path: "modules/a".to_owned(),
        inputs: vec![input("x", None, false)],
        ..ModuleDoc::default()
    });
    old.submodules.push(ModuleDoc {
        path: "modules/gone".to_owned(),
        ..ModuleDoc::default()
    });
    let mut new = old.clone();
    new.submodules[0].inputs.clear();
    new.submodules.pop();
    assert_eq!(
        changes(&old, &new),
        [
            (
                Severity::Breaking,
                "`modules/a`: input `x` was removed (callers that set it will fail)".to_owned()
            ),
            (
                Severity::Breaking,
                "submodule `modules/gone` was removed".to_owned()
            ),
        ]
    );
}

fn breaking_diff() -> InterfaceDiff {
    let mut new = base();
    new.root.outputs.clear();
    new.root.inputs.push(input("owner", Some("string"), true));
    diff(&base(), &new)
}

#[test]
fn breaking_changes_need_a_major_bump() {
    let d = breaking_diff();
    assert!(check_semver(&v("1.2.3"), &v("2.0.0"), &d).is_ok());
    let err = check_semver(&v("1.2.3"), &v("1.3.0"), &d).unwrap_err();
    assert_eq!(
        err.to_string(),
        "version 1.3.0 has breaking changes compared with 1.2.3 but is not a major version \
         bump; release it as 2.0.0 or restore compatibility:\n  \
         - new input `owner` is required (existing callers do not set it)\n  \
         - output `id` was removed (callers that read it will fail)"
    );
}

#[test]
fn for_zero_versions_a_minor_bump_counts_as_major() {
    let d = breaking_diff();
    assert!(check_semver(&v("0.3.1"), &v("0.4.0"), &d).is_ok());
    assert!(check_semver(&v("0.3.1"), &v("0.3.2"), &d).is_err());
    assert!(check_semver(&v("0.0.1"), &v("0.0.2"), &d).is_ok());
}

#[test]
fn compatible_changes_pass_with_any_bump() {
    let mut new = base();
    new.root.outputs.push(output("arn", false));
    assert!(check_semver(&v("1.2.3"), &v("1.2.4"), &diff(&base(), &new)).is_ok());
}

#[test]
fn a_release_after_a_pre_release_of_the_same_version_may_break() {
    assert!(check_semver(&v("2.0.0-rc.1"), &v("2.0.0"), &breaking_diff()).is_ok());
}

#[test]
fn the_next_version_must_be_greater() {
    let err = check_semver(&v("1.2.3"), &v("1.2.3"), &InterfaceDiff::default()).unwrap_err();
    assert!(matches!(err, SemverViolation::NotNewer { .. }));
}

#[test]
fn a_null_default_equals_a_default_lost_in_a_json_round_trip() {
    let mut old = base();
    old.root.inputs[1].default = Some(serde_json::Value::Null);
    let stored: ModuleInterface =
        serde_json::from_str(&serde_json::to_string(&old).unwrap()).unwrap();
    assert!(diff(&stored, &old).is_empty());
}

#[test]
fn a_changed_default_is_a_compatible_change() {
    let mut new = base();
    new.root.inputs[1].default = Some(serde_json::json!({ "team": "platform" }));
    assert_eq!(
        changes(&base(), &new),
        [(
            Severity::Compatible,
            "default of input `tags` changed".to_owned()
        )]
    );
}
