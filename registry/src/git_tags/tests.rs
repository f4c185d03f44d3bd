//! Specification of tag scanning and packing, against real repositories built with git2.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{Oid, Repository, Signature, Time};
use proptest::prelude::*;
use tempfile::TempDir;

use super::*;
use crate::archive;

struct TestRepo {
    dir: TempDir,
    git: Repository,
}

impl TestRepo {
    fn new() -> Self {
        let dir = TempDir::new().unwrap();
        let git = Repository::init(dir.path()).unwrap();
        Self { dir, git }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, path: &str, contents: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, contents).unwrap();
    }

    fn signature() -> Signature<'static> {
        Signature::new("Test", "test@example.com", &Time::new(1_700_000_000, 0)).unwrap()
    }

    /// Writes `files` into the working tree and commits the whole working tree.
    fn commit(&self, files: &[(&str, &str)]) -> Oid {
        for (path, contents) in files {
            self.write(path, contents);
        }
        let mut index = self.git.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = index.write_tree().unwrap();
        self.commit_tree(tree)
    }

    /// Commits `tree` on top of HEAD (if any).
    fn commit_tree(&self, tree: Oid) -> Oid {
        let tree = self.git.find_tree(tree).unwrap();
        let parent = self.git.head().ok().map(|h| h.peel_to_commit().unwrap());
        let parents: Vec<_> = parent.iter().collect();
        let sig = Self::signature();
        self.git
            .commit(Some("HEAD"), &sig, &sig, "commit", &tree, &parents)
            .unwrap()
    }

    /// A tree built directly from `(path, mode, object)` entries, for modes a working tree
    /// cannot easily produce (gitlinks).
    fn tree(&self, entries: &[(&str, i32, Oid)]) -> Oid {
        let mut here = self.git.treebuilder(None).unwrap();
        let mut children: BTreeMap<&str, Vec<(&str, i32, Oid)>> = BTreeMap::new();
        for &(path, mode, oid) in entries {
            match path.split_once('/') {
                Some((dir, rest)) => children.entry(dir).or_default().push((rest, mode, oid)),
                None => {
                    here.insert(path, oid, mode).unwrap();
                }
            }
        }
        for (dir, entries) in children {
            let sub = self.tree(&entries);
            here.insert(dir, sub, 0o040_000).unwrap();
        }
        here.write().unwrap()
    }

    fn blob(&self, contents: &str) -> Oid {
        self.git.blob(contents.as_bytes()).unwrap()
    }

    fn tag(&self, name: &str, commit: Oid) {
        let object = self.git.find_object(commit, None).unwrap();
        self.git.tag_lightweight(name, &object, true).unwrap();
    }

    fn annotated_tag(&self, name: &str, commit: Oid) {
        let object = self.git.find_object(commit, None).unwrap();
        self.git
            .tag(name, &object, &Self::signature(), "release", true)
            .unwrap();
    }

    fn scan(&self, pattern: &str) -> TagScan {
        list_release_tags(self.path(), &TagPattern::parse(pattern).unwrap()).unwrap()
    }

    fn release(&self, tag: &str) -> ReleaseTag {
        self.scan(DEFAULT_TAG_PATTERN)
            .releases
            .into_iter()
            .find(|r| r.tag == tag)
            .unwrap_or_else(|| panic!("no release tag `{tag}`"))
    }
}

fn files_of(tarball: &[u8]) -> BTreeMap<String, String> {
    archive::inspect(tarball, &archive::Limits::default())
        .unwrap()
        .into_files()
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

const VPC: (&str, &str) = ("modules/vpc/main.tf", "variable \"cidr\" {}\n");

#[test]
fn lightweight_and_annotated_tags_are_both_releases_peeled_to_their_commit() {
    let repo = TestRepo::new();
    let first = repo.commit(&[VPC]);
    let second = repo.commit(&[("modules/s3/main.tf", "")]);
    repo.tag("vpc/v1.0.0", first);
    repo.annotated_tag("s3/v0.1.0", second);

    let scan = repo.scan(DEFAULT_TAG_PATTERN);

    assert_eq!(scan.skipped, vec![]);
    assert_eq!(
        scan.releases,
        vec![
            ReleaseTag {
                tag: "s3/v0.1.0".into(),
                module: Some("s3".into()),
                version: "0.1.0".parse().unwrap(),
                commit: second.to_string(),
                subdir: "modules/s3".into(),
            },
            ReleaseTag {
                tag: "vpc/v1.0.0".into(),
                module: Some("vpc".into()),
                version: "1.0.0".parse().unwrap(),
                commit: first.to_string(),
                subdir: "modules/vpc".into(),
            },
        ]
    );
}

#[test]
fn releases_are_sorted_by_module_then_semver_precedence() {
    let repo = TestRepo::new();
    let c = repo.commit(&[VPC]);
    for tag in [
        "vpc/v1.10.0",
        "vpc/v1.9.0",
        "s3/v2.0.0",
        "vpc/v1.0.0",
        "vpc/v1.0.0-rc.1",
    ] {
        repo.tag(tag, c);
    }
    let tags: Vec<_> = repo
        .scan(DEFAULT_TAG_PATTERN)
        .releases
        .into_iter()
        .map(|r| r.tag)
        .collect();
    assert_eq!(
        tags,
        [
            "s3/v2.0.0",
            "vpc/v1.0.0-rc.1",
            "vpc/v1.0.0",
            "vpc/v1.9.0",
            "vpc/v1.10.0"
        ]
    );
}

#[test]
fn tags_with_invalid_semver_or_module_names_are_skipped_with_a_reason() {
    let repo = TestRepo::new();
    let c = repo.commit(&[VPC]);
    for tag in [
        "vpc/v1.2",
        "vpc/v01.2.0",
        "vpc/v1.2.0.0",
        "my.vpc/v1.0.0",
        "vpc/v1.2.0+build.7",
    ] {
        repo.tag(tag, c);
    }
    let scan = repo.scan(DEFAULT_TAG_PATTERN);

    let released: Vec<_> = scan.releases.iter().map(|r| r.tag.as_str()).collect();
    assert_eq!(released, ["vpc/v1.2.0+build.7"]);
    let skipped: Vec<_> = scan.skipped.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        skipped,
        ["my.vpc/v1.0.0", "vpc/v01.2.0", "vpc/v1.2", "vpc/v1.2.0.0"]
    );
    assert!(
        scan.skipped[0].1.contains("not a valid module name"),
        "{:?}",
        scan.skipped
    );
    assert!(scan.skipped[2]
        .1
        .contains("`1.2` is not a canonical semantic version"));
}

#[test]
fn tags_that_do_not_look_like_releases_are_ignored() {
    let repo = TestRepo::new();
    let c = repo.commit(&[VPC]);
    for tag in ["latest", "docs/vnext", "vpc-1.0.0", "v1.0.0"] {
        repo.tag(tag, c);
    }
    assert_eq!(repo.scan(DEFAULT_TAG_PATTERN), TagScan::default());
}

#[test]
fn a_tag_that_points_at_a_tree_is_skipped_not_published() {
    let repo = TestRepo::new();
    let c = repo.commit(&[VPC]);
    let tree = repo.git.find_commit(c).unwrap().tree_id();
    repo.tag("vpc/v1.0.0", tree);
    let scan = repo.scan(DEFAULT_TAG_PATTERN);
    assert_eq!(scan.releases, vec![]);
    assert_eq!(scan.skipped[0].0, "vpc/v1.0.0");
    assert!(scan.skipped[0].1.contains("does not point at a commit"));
}

#[test]
fn the_single_module_pattern_publishes_the_repository_root() {
    let repo = TestRepo::new();
    let c = repo.commit(&[("main.tf", "")]);
    repo.annotated_tag("v2.1.0", c);
    repo.tag("vpc/v1.0.0", c);

    let scan = repo.scan("v{version}");

    assert_eq!(scan.releases.len(), 1);
    let release = &scan.releases[0];
    assert_eq!(
        (release.module.as_deref(), release.subdir.as_str()),
        (None, "")
    );
    assert_eq!(files_of(&pack_tag(repo.path(), release).unwrap()), {
        BTreeMap::from([("main.tf".to_owned(), String::new())])
    });
}

#[test]
fn the_subdirectory_template_is_configurable() {
    let repo = TestRepo::new();
    let c = repo.commit(&[("terraform/vpc/main.tf", "")]);
    repo.tag("release-vpc-v1.0.0", c);
    let pattern = TagPattern::parse("release-{module}-v{version}")
        .unwrap()
        .with_subdir("terraform/{module}")
        .unwrap();
    let scan = list_release_tags(repo.path(), &pattern).unwrap();
    assert_eq!(scan.releases[0].subdir, "terraform/vpc");
    assert!(pack_tag(repo.path(), &scan.releases[0]).is_ok());
}

#[test]
fn a_moved_tag_is_detected_by_comparing_the_recorded_commit() {
    let repo = TestRepo::new();
    let published = repo.commit(&[VPC]);
    repo.tag("vpc/v1.0.0", published);
    let recorded = repo.release("vpc/v1.0.0").commit;
    assert!(!moved(&recorded, &repo.release("vpc/v1.0.0")));
    assert!(!moved(
        &recorded.to_uppercase(),
        &repo.release("vpc/v1.0.0")
    ));

    let later = repo.commit(&[("modules/vpc/main.tf", "variable \"name\" {}\n")]);
    repo.tag("vpc/v1.0.0", later);

    let now = repo.release("vpc/v1.0.0");
    assert_eq!(now.commit, later.to_string());
    assert!(moved(&recorded, &now));
}

#[test]
fn packing_a_tag_whose_commit_lacks_the_subdirectory_names_tag_commit_and_directory() {
    let repo = TestRepo::new();
    let c = repo.commit(&[("modules/s3/main.tf", "")]);
    repo.tag("vpc/v1.2.0", c);
    let err = pack_tag(repo.path(), &repo.release("vpc/v1.2.0")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "tag `vpc/v1.2.0` points at commit {}, which has no `modules/vpc` directory",
            &c.to_string()[..12]
        )
    );
}

#[test]
fn two_tags_on_the_same_tree_pack_to_identical_bytes() {
    let repo = TestRepo::new();
    let first = repo.commit(&[VPC, ("modules/vpc/outputs.tf", "output \"id\" {}\n")]);
    // A later commit that only touches another module: same `modules/vpc` tree.
    let second = repo.commit(&[("modules/s3/main.tf", "")]);
    repo.tag("vpc/v1.0.0", first);
    repo.annotated_tag("vpc/v1.0.1", second);

    let a = pack_tag(repo.path(), &repo.release("vpc/v1.0.0")).unwrap();
    let b = pack_tag(repo.path(), &repo.release("vpc/v1.0.1")).unwrap();

    assert_eq!(archive::sha256_hex(&a), archive::sha256_hex(&b));
    assert_eq!(
        files_of(&a).keys().collect::<Vec<_>>(),
        ["main.tf", "outputs.tf"]
    );
}

#[test]
fn the_tarball_reflects_the_tagged_commit_not_the_working_tree() {
    let repo = TestRepo::new();
    let c = repo.commit(&[VPC]);
    repo.tag("vpc/v1.0.0", c);
    repo.write("modules/vpc/main.tf", "edited but not committed");
    repo.write("modules/vpc/untracked.tf", "");

    let files = files_of(&pack_tag(repo.path(), &repo.release("vpc/v1.0.0")).unwrap());

    assert_eq!(
        files,
        BTreeMap::from([("main.tf".to_owned(), VPC.1.to_owned())])
    );
}

#[test]
fn committed_terraform_state_and_lock_files_are_left_out_as_pack_dir_does() {
    let repo = TestRepo::new();
    let c = repo.commit(&[
        VPC,
        ("modules/vpc/terraform.tfstate", "{}"),
        ("modules/vpc/.terraform.lock.hcl", ""),
        ("modules/vpc/.terraform/modules.json", "{}"),
        ("modules/vpc/examples/basic/main.tf", ""),
    ]);
    repo.tag("vpc/v1.0.0", c);
    let files = files_of(&pack_tag(repo.path(), &repo.release("vpc/v1.0.0")).unwrap());
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["examples/basic/main.tf", "main.tf"]
    );
}

#[test]
fn symlinks_and_submodules_are_refused_naming_the_path() {
    let repo = TestRepo::new();
    let main = repo.blob("");
    let base = repo.commit(&[("README.md", "")]);
    let cases = [
        ("symbolic link", 0o120_000, repo.blob("../../secrets")),
        ("submodule", 0o160_000, base),
    ];
    for (i, (kind, mode, oid)) in cases.into_iter().enumerate() {
        let tree = repo.tree(&[
            ("modules/vpc/main.tf", 0o100_644, main),
            ("modules/vpc/vendor", mode, oid),
        ]);
        let tag = format!("vpc/v1.0.{i}");
        repo.tag(&tag, repo.commit_tree(tree));
        let err = pack_tag(repo.path(), &repo.release(&tag)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "tag `{tag}`: `modules/vpc/vendor` is a {kind}; modreg packs only regular files \
                 stored in the repository, so replace it with the files themselves"
            )
        );
    }
}

#[test]
fn the_origin_url_is_the_provenance_without_credentials() {
    let repo = TestRepo::new();
    assert_eq!(remote_url(repo.path()), None);
    repo.git
        .remote(
            "origin",
            "https://ci:s3cret@git.example.com/platform/modules.git",
        )
        .unwrap();
    assert_eq!(
        remote_url(repo.path()).as_deref(),
        Some("https://git.example.com/platform/modules.git")
    );
    assert_eq!(
        strip_credentials("git@github.com:org/repo.git"),
        "git@github.com:org/repo.git"
    );
}

#[test]
fn a_directory_that_is_not_a_repository_is_named_in_the_error() {
    let dir = TempDir::new().unwrap();
    let pattern = TagPattern::parse(DEFAULT_TAG_PATTERN).unwrap();
    let err = list_release_tags(dir.path(), &pattern).unwrap_err();
    assert!(err.to_string().starts_with(&format!(
        "cannot open `{}` as a git repository",
        dir.path().display()
    )));
}

#[test]
fn malformed_patterns_are_refused_with_the_reason() {
    for (pattern, reason) in [
        (
            "{module}/{version}",
            "must contain `v{version}` exactly once",
        ),
        (
            "v{version}-v{version}",
            "must contain `v{version}` exactly once",
        ),
        ("{module}{module}/v{version}", "at most once"),
        ("{module}v{version}", "must be separated"),
        ("{name}/v{version}", "only `{module}` and `{version}`"),
        ("v{version}-{module}", "must be literal"),
    ] {
        let err = TagPattern::parse(pattern).unwrap_err().to_string();
        assert!(err.contains(reason), "{pattern}: {err}");
    }
    let single = TagPattern::parse("v{version}").unwrap();
    assert!(single.clone().with_subdir("modules/{module}").is_err());
    assert!(single.clone().with_subdir("../elsewhere").is_err());
    assert_eq!(single.with_subdir(".").unwrap().subdir_for(None), "");
}

fn module_name() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9_-]{0,10}[a-z0-9])?"
}

fn version() -> impl Strategy<Value = semver::Version> {
    let pre = proptest::option::of("[a-z]{1,5}(\\.(0|[1-9][0-9]{0,3}))?");
    let build = proptest::option::of("[a-z0-9]{1,6}");
    (0u64..1000, 0u64..1000, 0u64..1000, pre, build).prop_map(|(a, b, c, pre, build)| {
        let mut v = semver::Version::new(a, b, c);
        if let Some(pre) = pre {
            v.pre = semver::Prerelease::new(&pre).unwrap();
        }
        if let Some(build) = build {
            v.build = semver::BuildMetadata::new(&build).unwrap();
        }
        v
    })
}

proptest! {
    #[test]
    fn every_tag_a_pattern_formats_classifies_back_to_its_module_and_version(
        module in module_name(),
        version in version(),
        pattern in prop::sample::select(vec![
            "{module}/v{version}", "release/{module}-v{version}", "{module}@v{version}-final",
        ]),
    ) {
        let pattern = TagPattern::parse(pattern).unwrap();
        let tag = pattern.tag_for(Some(&module), &version);
        prop_assert_eq!(
            pattern.classify(&tag),
            pattern::TagMatch::Release { module: Some(module), version }
        );
    }

    #[test]
    fn the_single_module_pattern_round_trips_every_version(version in version()) {
        let pattern = TagPattern::parse("v{version}").unwrap();
        let tag = pattern.tag_for(None, &version);
        prop_assert_eq!(
            pattern.classify(&tag),
            pattern::TagMatch::Release { module: None, version }
        );
    }
}

#[cfg(unix)]
#[test]
fn a_tag_packs_to_the_same_bytes_as_a_checkout_of_it_including_executable_files() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::new();
    repo.write("modules/vpc/main.tf", "variable \"x\" {}\n");
    repo.write("modules/vpc/scripts/run.sh", "#!/bin/sh\n");
    let script = repo.path().join("modules/vpc/scripts/run.sh");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let commit = repo.commit(&[]);
    repo.tag("vpc/v1.0.0", commit);
    let from_git = pack_tag(repo.path(), &repo.release("vpc/v1.0.0")).unwrap();
    let from_dir = crate::archive::pack_dir(&repo.path().join("modules/vpc")).unwrap();
    assert_eq!(from_git, from_dir);
}
