//! The `module` block a page offers to copy: the registry host, the module address, a `~>`
//! constraint for the shown version, and the required inputs to fill in.

use semver::Version;

use crate::address::ModuleAddress;
use crate::interface::ModuleDoc;
use crate::settings::Settings;

/// The constraint that accepts `version` and the compatible releases after it: `~> X.Y` from
/// 1.0 on, `~> 0.Y.Z` before (where a minor bump may break), and an exact pin for a
/// pre-release (Terraform selects pre-releases only by exact pin).
pub fn constraint(version: &Version) -> String {
    if !version.pre.is_empty() {
        version.to_string()
    } else if version.major == 0 {
        format!("~> 0.{}.{}", version.minor, version.patch)
    } else {
        format!("~> {}.{}", version.major, version.minor)
    }
}

/// The host (and port) Terraform uses for this registry: from `public_url` when set, else as
/// the browser reached it.
pub fn registry_host(settings: &Settings, request_host: &str) -> String {
    match &settings.public_url {
        Some(url) => url
            .split_once("://")
            .map_or(url.as_str(), |(_, rest)| rest)
            .trim_end_matches('/')
            .to_owned(),
        None => request_host.to_owned(),
    }
}

/// The `module` block for `module` (the root, or a submodule by its path) of `addr`.
pub fn snippet(host: &str, addr: &ModuleAddress, version: &Version, module: &ModuleDoc) -> String {
    let label = if module.path.is_empty() {
        addr.name.as_str()
    } else {
        module.path.rsplit('/').next().unwrap_or(&module.path)
    };
    let subdir = if module.path.is_empty() {
        String::new()
    } else {
        format!("//{}", module.path)
    };
    let mut text = format!(
        "module \"{label}\" {{\n  source  = \"{host}/{addr}{subdir}\"\n  version = \"{}\"\n",
        constraint(version)
    );
    let required: Vec<_> = module.inputs.iter().filter(|i| i.required).collect();
    if !required.is_empty() {
        text.push_str("\n  # required inputs\n");
        let width = required.iter().map(|i| i.name.len()).max().unwrap_or(0);
        for input in required {
            let type_expr = input.type_expr.as_deref().unwrap_or("any");
            text.push_str(&format!("  {:width$} = null # {type_expr}\n", input.name));
        }
    }
    text.push_str("}\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interface::Input;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn constraints_allow_compatible_updates_and_pin_pre_releases() {
        assert_eq!(constraint(&v("1.4.2")), "~> 1.4");
        assert_eq!(constraint(&v("0.3.1")), "~> 0.3.1");
        assert_eq!(constraint(&v("2.0.0-rc.1")), "2.0.0-rc.1");
    }

    #[test]
    fn the_host_comes_from_public_url_without_scheme_or_slash() {
        let mut settings = Settings::load(None, Vec::new(), Default::default()).unwrap();
        assert_eq!(registry_host(&settings, "127.0.0.1:8443"), "127.0.0.1:8443");
        settings.public_url = Some("https://registry.internal/".into());
        assert_eq!(registry_host(&settings, "ignored"), "registry.internal");
    }

    #[test]
    fn the_snippet_names_the_submodule_path_and_lists_required_inputs() {
        let addr = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
        let input = |name: &str, required| Input {
            name: name.into(),
            type_expr: Some("string".into()),
            description: String::new(),
            default: None,
            required,
            sensitive: false,
            nullable: true,
            deprecated: None,
        };
        let module = ModuleDoc {
            path: "modules/endpoints".into(),
            inputs: vec![
                input("vpc_id", true),
                input("tags", false),
                input("cost_center", true),
            ],
            ..ModuleDoc::default()
        };
        insta::assert_snapshot!(snippet("registry.internal", &addr, &v("1.2.0"), &module), @r#"
        module "endpoints" {
          source  = "registry.internal/platform/vpc/aws//modules/endpoints"
          version = "~> 1.2"

          # required inputs
          vpc_id      = null # string
          cost_center = null # string
        }
        "#);
    }
}
