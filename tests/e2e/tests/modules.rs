//! This repository's modules pass the registry's publish gates, and their published interface
//! keeps the module conventions (typed, described inputs; the FinOps `tags` input required).

use std::path::Path;
use std::sync::Arc;

use registry::archive::Limits;
use registry::catalog::Catalog;
use registry::index::Index;
use registry::metrics::Metrics;
use registry::publish::Publisher;
use registry::storage::LocalStore;

fn modules_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../modules")
}

#[tokio::test]
async fn every_module_publishes_through_the_gates_with_a_strict_interface() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&dir.path().join("index.sqlite3")).unwrap();
    let publisher = Publisher::new(
        index.clone(),
        Arc::new(LocalStore::new(dir.path().join("blobs"))),
        Limits::default(),
        Arc::new(Catalog::new(index.clone())),
        Arc::new(Metrics::default()),
    );
    let lines = registry::demo::load_modules(&publisher, &modules_dir(), "platform")
        .await
        .expect("every module passes the publish gates");
    let expected = std::fs::read_dir(modules_dir()).unwrap().count();
    assert_eq!(lines.len(), expected);
    assert!(
        expected >= 7,
        "the seven core modules are published: {lines:?}"
    );

    for line in &lines {
        let mut words = line.split_whitespace();
        let (address, version) = (words.next().unwrap(), words.next().unwrap());
        let [ns, name, system]: [&str; 3] =
            address.split('/').collect::<Vec<_>>().try_into().unwrap();
        let addr = registry::address::ModuleAddress::parse(ns, name, system).unwrap();
        let json = index
            .manifest_json(&addr, &version.parse().unwrap())
            .unwrap()
            .unwrap();
        let manifest: registry::manifest::Manifest = serde_json::from_str(&json).unwrap();
        let root = &manifest.interface.root;
        assert!(!root.resources.is_empty(), "{address} declares resources");
        for input in &root.inputs {
            assert!(
                input.type_expr.is_some(),
                "{address}: input `{}` has no type",
                input.name
            );
            assert_ne!(
                input.type_expr.as_deref(),
                Some("any"),
                "{address}: `{}` is `any`",
                input.name
            );
            assert!(
                !input.description.trim().is_empty(),
                "{address}: input `{}` has no description",
                input.name
            );
        }
        for output in &root.outputs {
            assert!(
                !output.description.trim().is_empty(),
                "{address}: output `{}` has no description",
                output.name
            );
        }
        let tags = root.inputs.iter().find(|i| i.name == "tags");
        assert!(
            tags.is_some_and(|t| t.required),
            "{address}: the FinOps `tags` input is required"
        );
        let names: Vec<&str> = manifest
            .interface
            .examples
            .iter()
            .map(|e| e.path.as_str())
            .collect();
        assert!(
            names.iter().any(|p| p.ends_with("basic"))
                && names.iter().any(|p| p.ends_with("complete")),
            "{address}: examples basic and complete exist, found {names:?}"
        );
    }
}
