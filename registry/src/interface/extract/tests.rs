//! `extract` on realistic module text and on broken HCL.

use serde_json::json;

use super::*;
use crate::archive::{inspect, pack_files, Limits};

const VARIABLES: &str = r#"
variable "name" {
  type        = string
  description = "Name prefix for every resource."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 lowercase letters, digits or dashes."
  }
}

variable "subnets" {
  description = <<-EOT
    Subnets to create, keyed by name.
    Each needs a CIDR block.
  EOT
  type = map(object({
    cidr_block = string # the IPv4 range
    public     = optional(bool, false)
    tags       = optional(map(string), {})
  }))
  default = {}
}

variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b"]
}

variable "db_password" {
  type      = string
  sensitive = true
  nullable  = false
  default   = null
}

variable "retention_days" {
  type    = number
  default = 7 * 5
}

variable "kms_key_arn" {
  default = local.default_key
}

variable "untyped" {}
"#;

const MAIN: &str = r#"
terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }
    random = "~> 3.5"
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  tags = merge(var.tags, { module = "vpc" })
}

data "aws_region" "current" {}

resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
  tags       = local.tags
}

resource "aws_subnet" "this" {
  for_each   = var.subnets
  vpc_id     = aws_vpc.this.id
  cidr_block = each.value.cidr_block

  dynamic "timeouts" {
    for_each = each.value.public ? [1] : []
    content {
      create = "10m"
    }
  }
}

module "flow_logs" {
  source  = "registry.internal/platform/flow-logs/aws"
  version = "~> 1.2"
  vpc_id  = aws_vpc.this.id
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "db_password" {
  value     = var.db_password
  sensitive = true
}
"#;

fn archive_of(files: &[(&str, &str)]) -> Archive {
    let packed = pack_files(
        files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec())),
    );
    inspect(&packed, &Limits::default()).unwrap()
}

fn input<'a>(doc: &'a ModuleDoc, name: &str) -> &'a Input {
    doc.inputs.iter().find(|i| i.name == name).unwrap()
}

#[test]
fn inputs_are_read_with_types_defaults_and_flags() {
    let interface = extract(&archive_of(&[
        ("variables.tf", VARIABLES),
        ("main.tf", MAIN),
    ]))
    .unwrap();
    let root = &interface.root;
    let names: Vec<_> = root.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "azs",
            "db_password",
            "kms_key_arn",
            "name",
            "retention_days",
            "subnets",
            "untyped"
        ]
    );

    let name = input(root, "name");
    assert_eq!(name.type_expr.as_deref(), Some("string"));
    assert_eq!(name.description, "Name prefix for every resource.");
    assert!(name.required && name.nullable && !name.sensitive);
    assert_eq!(name.default, None);

    let subnets = input(root, "subnets");
    assert_eq!(
        subnets.type_expr.as_deref(),
        Some(
            "map(object({ cidr_block = string, public = optional(bool, false), \
             tags = optional(map(string), {}) }))"
        )
    );
    assert_eq!(
        subnets.description,
        "Subnets to create, keyed by name.\nEach needs a CIDR block.\n"
    );
    assert_eq!(subnets.default, Some(json!({})));
    assert!(!subnets.required);

    assert_eq!(
        input(root, "azs").default,
        Some(json!(["eu-west-1a", "eu-west-1b"]))
    );
    let password = input(root, "db_password");
    assert!(password.sensitive && !password.nullable && !password.required);
    assert_eq!(password.default, Some(json!(null)));
    assert_eq!(input(root, "retention_days").default, Some(json!(35)));
    assert_eq!(
        input(root, "kms_key_arn").default,
        Some(json!("local.default_key"))
    );
    assert_eq!(input(root, "untyped").type_expr, None);
}

#[test]
fn outputs_resources_calls_and_requirements_are_read() {
    let interface = extract(&archive_of(&[("main.tf", MAIN)])).unwrap();
    let root = &interface.root;
    assert_eq!(
        root.outputs,
        [
            Output {
                name: "db_password".into(),
                description: String::new(),
                sensitive: true,
                deprecated: None,
            },
            Output {
                name: "vpc_id".into(),
                description: "ID of the VPC.".into(),
                sensitive: false,
                deprecated: None,
            },
        ]
    );
    let resources: Vec<_> = root
        .resources
        .iter()
        .map(|r| format!("{}.{}", r.resource_type, r.name))
        .collect();
    assert_eq!(resources, ["aws_subnet.this", "aws_vpc.this"]);
    assert_eq!(
        root.dependencies,
        [Dependency {
            name: "flow_logs".into(),
            source: "registry.internal/platform/flow-logs/aws".into(),
            version: "~> 1.2".into(),
        }]
    );
    assert_eq!(root.required_version.as_deref(), Some(">= 1.5.0"));
    assert_eq!(
        root.provider_dependencies,
        [
            ProviderDependency {
                name: "aws".into(),
                namespace: "hashicorp".into(),
                source: "hashicorp/aws".into(),
                version: ">= 5.0, < 6.0".into(),
            },
            ProviderDependency {
                name: "random".into(),
                namespace: "hashicorp".into(),
                source: String::new(),
                version: "~> 3.5".into(),
            },
        ]
    );
}

#[test]
fn submodules_examples_and_readmes_are_found() {
    let interface = extract(&archive_of(&[
        ("main.tf", MAIN),
        ("README.md", "# VPC\n"),
        (
            "modules/endpoints/main.tf",
            "variable \"vpc_id\" { type = string }\n",
        ),
        ("modules/endpoints/README.md", "# Endpoints\n"),
        ("modules/docs-only/README.md", "nothing here"),
        (
            "examples/complete/main.tf",
            "module \"vpc\" { source = \"../..\" }\n",
        ),
        ("examples/complete/deeper/x.tf", "this is { not HCL"),
        ("scripts/x.tf", "neither { is this"),
    ]))
    .unwrap();
    assert_eq!(interface.root.readme, "# VPC\n");
    let paths: Vec<_> = interface
        .submodules
        .iter()
        .map(|m| m.path.as_str())
        .collect();
    assert_eq!(paths, ["modules/docs-only", "modules/endpoints"]);
    assert!(interface.submodules[0].empty);
    let endpoints = &interface.submodules[1];
    assert_eq!(endpoints.readme, "# Endpoints\n");
    assert_eq!(endpoints.inputs[0].name, "vpc_id");
    assert!(endpoints.inputs[0].required);
    assert_eq!(interface.examples.len(), 1);
    assert_eq!(interface.examples[0].dependencies[0].source, "../..");
}

#[test]
fn broken_hcl_reports_file_line_and_column() {
    let broken = "variable \"a\" {\n  type = string\n  default = \n}\n";
    let err = extract(&archive_of(&[
        ("main.tf", MAIN),
        ("modules/x/main.tf", broken),
    ]))
    .unwrap_err();
    let InterfaceError::Parse {
        file, line, column, ..
    } = &err
    else {
        panic!("expected a parse error, got {err}");
    };
    assert_eq!((file.as_str(), *line), ("modules/x/main.tf", 3));
    assert!(*column > 0);
    assert!(
        err.to_string()
            .starts_with(&format!("`modules/x/main.tf` line 3, column {column}: ")),
        "{err}"
    );
}

#[test]
fn a_variable_declared_twice_is_refused() {
    let err = extract(&archive_of(&[
        ("main.tf", "variable \"a\" {}\n"),
        ("variables.tf", "\n\nvariable \"a\" {}\n"),
    ]))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`variables.tf` line 3: variable `a` is already declared in `main.tf`: remove or rename one"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused() {
    let packed = pack_files([("main.tf".to_owned(), vec![0xff, 0xfe])]);
    let err = extract(&inspect(&packed, &Limits::default()).unwrap()).unwrap_err();
    assert!(matches!(err, InterfaceError::NotUtf8 { .. }));
}

#[test]
fn override_files_amend_earlier_declarations() {
    let interface = extract(&archive_of(&[
        (
            "main.tf",
            "variable \"a\" {\n  type = string\n}\noutput \"o\" { value = 1 }\n",
        ),
        (
            "main_override.tf",
            "variable \"a\" {\n  default = \"x\"\n}\noutput \"o\" { sensitive = true }\n",
        ),
        (".hidden.tf", "this is ignored {"),
    ]))
    .unwrap();
    let a = &interface.root.inputs[0];
    assert_eq!(a.type_expr.as_deref(), Some("string"));
    assert_eq!(a.default, Some(json!("x")));
    assert!(!a.required);
    assert!(interface.root.outputs[0].sensitive);
}

#[test]
fn an_override_of_an_undeclared_block_is_refused() {
    let err = extract(&archive_of(&[
        ("main.tf", "variable \"a\" {}\n"),
        ("override.tf", "variable \"b\" {}\n"),
    ]))
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("`override.tf` line 1: override file declares variable `b`"),
        "{err}"
    );
}

/// What the module-details API and manifests will carry for a realistic module.
#[test]
fn the_interface_of_a_realistic_module_serializes_as_expected() {
    let interface = extract(&archive_of(&[
        ("variables.tf", VARIABLES),
        ("main.tf", MAIN),
        ("README.md", "# VPC\n"),
    ]))
    .unwrap();
    insta::assert_json_snapshot!(interface.root);
}
