//! Module listing, search, filters, pagination and statistics.

use super::*;
use crate::address::{Namespace, System};
use crate::index::ModuleSummary;

fn query() -> ModuleQuery {
    ModuleQuery {
        limit: 100,
        ..ModuleQuery::default()
    }
}

fn listed(index: &Index, q: &ModuleQuery) -> Vec<String> {
    let page = index.list_modules(q).unwrap();
    page.modules.iter().map(|m| m.address.to_string()).collect()
}

/// Modules in several namespaces and systems, published out of order.
fn catalogue() -> (tempfile::TempDir, Index) {
    let (dir, index) = open();
    for (address, version) in [
        ("platform/vpc/aws", "1.0.0"),
        ("platform/eks/aws", "2.0.0"),
        ("data/vpc/google", "0.1.0"),
        ("data/lake/aws", "1.0.0"),
        ("platform/vpc/aws", "1.1.0"),
        ("platform/vpc/aws", "2.0.0-rc.1"),
        ("security/kms/aws", "0.9.0-beta"),
    ] {
        publish(&index, address, version);
    }
    (dir, index)
}

#[test]
fn modules_are_listed_by_namespace_name_and_system_with_their_latest_release() {
    let (_dir, index) = catalogue();
    let vpc = addr("platform/vpc/aws");
    index.record_download(&vpc, &v("1.0.0")).unwrap();
    index.record_download(&vpc, &v("1.1.0")).unwrap();
    let page = index.list_modules(&query()).unwrap();
    assert_eq!(page.total, 5);
    let names: Vec<String> = page.modules.iter().map(|m| m.address.to_string()).collect();
    assert_eq!(
        names,
        [
            "data/lake/aws",
            "data/vpc/google",
            "platform/eks/aws",
            "platform/vpc/aws",
            "security/kms/aws"
        ]
    );
    assert_eq!(
        page.modules[3],
        ModuleSummary {
            address: vpc,
            latest_version: v("1.1.0"),
            description: "Module platform/vpc/aws 1.1.0.".to_owned(),
            published_at: "2026-01-01T00:00:00Z/1.1.0".to_owned(),
            downloads: 2,
            deprecation: None,
        }
    );
    assert_eq!(
        page.modules[4].latest_version,
        v("0.9.0-beta"),
        "only pre-releases"
    );
}

#[test]
fn filters_by_namespace_and_system_combine() {
    let (_dir, index) = catalogue();
    let platform = Namespace::parse("platform").unwrap();
    let aws = System::parse("aws").unwrap();
    let by_namespace = ModuleQuery {
        namespace: Some(platform.clone()),
        ..query()
    };
    assert_eq!(
        listed(&index, &by_namespace),
        ["platform/eks/aws", "platform/vpc/aws"]
    );
    let by_system = ModuleQuery {
        system: Some(System::parse("google").unwrap()),
        ..query()
    };
    assert_eq!(listed(&index, &by_system), ["data/vpc/google"]);
    let both = ModuleQuery {
        namespace: Some(Namespace::parse("data").unwrap()),
        system: Some(aws),
        ..query()
    };
    assert_eq!(listed(&index, &both), ["data/lake/aws"]);
}

#[test]
fn search_matches_namespace_name_or_description_case_insensitively_exact_names_first() {
    let (_dir, index) = open();
    let readme = |text: &str| format!("# X\n\n{text}");
    for (address, text) in [
        ("net/a-vpc-peering/aws", "Peers two networks."),
        ("net/transit/aws", "Connects many VPCs through a hub."),
        ("platform/vpc/aws", "The network."),
        ("vpcteam/dns/aws", "Private zones."),
        ("platform/kms/aws", "Keys."),
    ] {
        let m = manifest(address, "1.0.0", &readme(text));
        index.insert_release(&m, &json(&m)).unwrap();
    }
    let search = |text: &str| {
        listed(
            &index,
            &ModuleQuery {
                text: Some(text.to_owned()),
                ..query()
            },
        )
    };
    assert_eq!(
        search("VPC"),
        [
            "platform/vpc/aws",
            "net/a-vpc-peering/aws",
            "net/transit/aws",
            "vpcteam/dns/aws"
        ]
    );
    assert_eq!(search("  "), search(""));
    assert_eq!(search("").len(), 5);
    assert!(search("100%_").is_empty(), "no wildcard semantics");
}

#[test]
fn pages_report_the_total_and_respect_offset_and_limit() {
    let (_dir, index) = open();
    index.seed_synthetic(25, 2).unwrap();
    let page = |offset, limit| {
        index
            .list_modules(&ModuleQuery {
                offset,
                limit,
                ..ModuleQuery::default()
            })
            .unwrap()
    };
    let first = page(0, 10);
    assert_eq!((first.total, first.modules.len()), (25, 10));
    let last = page(20, 10);
    assert_eq!((last.total, last.modules.len()), (25, 5));
    let past_end = page(30, 10);
    assert_eq!((past_end.total, past_end.modules.len()), (25, 0));
    let all: Vec<_> = (0..3).flat_map(|n| page(n * 10, 10).modules).collect();
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| a.address.cmp(&b.address));
    assert_eq!(all, sorted);
    assert_eq!(all[0].latest_version, v("1.1.0"));
}

#[test]
fn stats_count_modules_and_releases() {
    let (_dir, index) = catalogue();
    assert_eq!(
        index.stats().unwrap(),
        IndexStats {
            modules: 5,
            releases: 7
        }
    );
}

#[test]
fn a_name_filter_lists_every_system_of_that_name_only() {
    let (_dir, index) = catalogue();
    let vpc = ModuleQuery {
        name: Some(crate::address::Name::parse("vpc").unwrap()),
        ..query()
    };
    assert_eq!(
        listed(&index, &vpc),
        ["data/vpc/google", "platform/vpc/aws"]
    );
}

#[test]
fn facets_list_each_namespace_and_system_once_sorted() {
    let (_dir, index) = open();
    assert_eq!(index.facets().unwrap(), crate::index::Facets::default());
    index.seed_synthetic(60, 1).unwrap();
    let facets = index.facets().unwrap();
    assert_eq!(facets.namespaces.len(), 50, "bench0..bench49, once each");
    assert_eq!(facets.namespaces[0].as_str(), "bench0");
    assert_eq!(facets.namespaces[1].as_str(), "bench1");
    let systems: Vec<_> = facets.systems.iter().map(|s| s.as_str()).collect();
    assert_eq!(systems, ["aws"]);
}
