//! One test per gate, each with a hand-built hostile tarball, plus the pack → inspect property.

use std::io::{self, Read, Write};

use flate2::write::GzEncoder;
use flate2::Compression;
use proptest::prelude::*;
use tar::{EntryType, Header};

use super::*;

/// One raw tar entry; the name is written byte-for-byte so that `..`, absolute and other
/// paths the tar crate's safe setters would refuse can be built.
struct Raw<'a> {
    name: &'a [u8],
    kind: EntryType,
    link: &'a [u8],
    data: &'a [u8],
}

fn file<'a>(name: &'a str, data: &'a str) -> Raw<'a> {
    Raw {
        name: name.as_bytes(),
        kind: EntryType::Regular,
        link: b"",
        data: data.as_bytes(),
    }
}

fn special<'a>(name: &'a str, kind: EntryType, link: &'a str) -> Raw<'a> {
    Raw {
        name: name.as_bytes(),
        kind,
        link: link.as_bytes(),
        data: b"",
    }
}

fn tar_of(entries: &[Raw<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for entry in entries {
        let mut header = Header::new_ustar();
        header.as_old_mut().name[..entry.name.len()].copy_from_slice(entry.name);
        header.as_old_mut().linkname[..entry.link.len()].copy_from_slice(entry.link);
        header.set_entry_type(entry.kind);
        header.set_size(entry.data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append(&header, entry.data).unwrap();
    }
    builder.into_inner().unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn inspect_raw(entries: &[Raw<'_>]) -> Result<Archive, ArchiveError> {
    inspect(&gzip(&tar_of(entries)), &Limits::default())
}

const MAIN: &str = "variable \"x\" {}\n";

#[test]
fn a_plain_module_is_accepted_with_normalized_paths() {
    let archive = inspect_raw(&[
        special("./", EntryType::Directory, ""),
        file("./main.tf", MAIN),
        file("./modules/a/main.tf", MAIN),
        special("./modules/a/link.tf", EntryType::Symlink, "../../main.tf"),
        special("./hard.tf", EntryType::Link, "main.tf"),
    ])
    .unwrap();
    let paths: Vec<_> = archive.files().keys().map(String::as_str).collect();
    assert_eq!(paths, ["main.tf", "modules/a/main.tf"]);
    assert_eq!(archive.get("main.tf"), Some(MAIN.as_bytes()));
    assert_eq!(archive.subdirs(""), ["modules"]);
    assert_eq!(archive.subdirs("modules"), ["a"]);
    assert_eq!(archive.dir_files("modules/a").count(), 1);
}

#[test]
fn an_oversized_upload_is_refused_before_decoding() {
    let limits = Limits {
        max_compressed_bytes: 10,
        ..Limits::default()
    };
    let err = inspect(&gzip(&tar_of(&[file("main.tf", MAIN)])), &limits).unwrap_err();
    assert!(matches!(
        err,
        ArchiveError::CompressedTooLarge { limit: 10, .. }
    ));
}

#[test]
fn bytes_that_are_not_gzip_are_refused() {
    let err = inspect(&tar_of(&[file("main.tf", MAIN)]), &Limits::default()).unwrap_err();
    assert!(matches!(err, ArchiveError::NotGzip), "{err}");
}

#[test]
fn a_truncated_gzip_stream_is_refused() {
    let gz = gzip(&tar_of(&[file("main.tf", &"x".repeat(100_000))]));
    let err = inspect(&gz[..gz.len() / 2], &Limits::default()).unwrap_err();
    assert!(matches!(err, ArchiveError::CorruptGzip { .. }), "{err}");
}

#[test]
fn gzip_that_does_not_hold_a_tar_is_refused() {
    let err = inspect(&gzip(&[b'x'; 2048]), &Limits::default()).unwrap_err();
    assert!(matches!(err, ArchiveError::NotTar { .. }), "{err}");
}

#[test]
fn absolute_paths_are_refused() {
    let err = inspect_raw(&[file("main.tf", MAIN), file("/etc/cron.d/x", "")]).unwrap_err();
    assert!(matches!(err, ArchiveError::AbsolutePath { ref path } if path == "/etc/cron.d/x"));
}

#[test]
fn parent_components_are_refused_with_a_message_naming_the_entry() {
    let err = inspect_raw(&[file("main.tf", MAIN), file("../x.tf", "")]).unwrap_err();
    assert!(matches!(err, ArchiveError::ParentDir { .. }));
    assert_eq!(
        err.to_string(),
        "entry `../x.tf` escapes the module root: archive paths must be relative and must not \
         contain `..`"
    );
}

#[test]
fn symlinks_out_of_the_tree_are_refused() {
    let err = inspect_raw(&[
        file("main.tf", MAIN),
        special("modules/a/x.tf", EntryType::Symlink, "../../../etc/passwd"),
    ])
    .unwrap_err();
    assert!(
        matches!(err, ArchiveError::LinkEscapes { ref target, .. } if target == "../../../etc/passwd")
    );
    let err = inspect_raw(&[
        file("main.tf", MAIN),
        special("x.tf", EntryType::Symlink, "/etc/passwd"),
    ])
    .unwrap_err();
    assert!(matches!(err, ArchiveError::LinkEscapes { .. }));
}

#[test]
fn hardlinks_out_of_the_tree_are_refused() {
    let err = inspect_raw(&[
        file("main.tf", MAIN),
        special("x.tf", EntryType::Link, "../outside"),
    ])
    .unwrap_err();
    assert!(matches!(err, ArchiveError::LinkEscapes { .. }));
}

#[test]
fn device_and_fifo_entries_are_refused() {
    for (kind, word) in [
        (EntryType::Char, "character device"),
        (EntryType::Block, "block device"),
        (EntryType::Fifo, "named pipe"),
    ] {
        let err = inspect_raw(&[file("main.tf", MAIN), special("dev", kind, "")]).unwrap_err();
        assert!(matches!(err, ArchiveError::SpecialEntry { .. }));
        assert!(err.to_string().contains(word), "{err}");
    }
}

#[test]
fn too_many_entries_are_refused() {
    let names: Vec<String> = (0..11).map(|i| format!("f{i}.tf")).collect();
    let entries: Vec<_> = names.iter().map(|n| file(n, MAIN)).collect();
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let err = inspect(&gzip(&tar_of(&entries)), &limits).unwrap_err();
    assert!(matches!(err, ArchiveError::TooManyEntries { limit: 10 }));
}

#[test]
fn a_file_over_the_per_file_limit_is_refused() {
    let big = "x".repeat(2048);
    let limits = Limits {
        max_file_bytes: 1024,
        ..Limits::default()
    };
    let err = inspect(&gzip(&tar_of(&[file("main.tf", &big)])), &limits).unwrap_err();
    assert!(
        matches!(err, ArchiveError::FileTooLarge { size: 2048, .. }),
        "{err}"
    );
}

#[test]
fn too_many_uncompressed_bytes_are_refused() {
    let limits = Limits {
        max_uncompressed_bytes: 4096,
        ..Limits::default()
    };
    let big = "x".repeat(4096);
    let entries = [file("main.tf", MAIN), file("b.tf", &big)];
    let err = inspect(&gzip(&tar_of(&entries)), &limits).unwrap_err();
    assert!(
        matches!(err, ArchiveError::UncompressedTooLarge { limit: 4096 }),
        "{err}"
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_uncompressed_limit() {
    // 200 MiB of zeros in one entry compresses to a few hundred KiB.
    let size: u64 = 200 * 1024 * 1024;
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    {
        let mut builder = tar::Builder::new(&mut gz);
        let mut header = Header::new_gnu();
        header.set_path("main.tf").unwrap();
        header.set_size(size);
        header.set_cksum();
        builder.append(&header, io::repeat(0).take(size)).unwrap();
        builder.finish().unwrap();
    }
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024, "bomb is {} bytes", bomb.len());
    let limits = Limits {
        max_file_bytes: u64::MAX,
        ..Limits::default()
    };
    let err = inspect(&bomb, &limits).unwrap_err();
    assert!(
        matches!(err, ArchiveError::UncompressedTooLarge { .. }),
        "{err}"
    );
}

#[test]
fn an_archive_without_files_is_refused() {
    let err = inspect_raw(&[special("modules/", EntryType::Directory, "")]).unwrap_err();
    assert!(matches!(err, ArchiveError::Empty));
    let err = inspect(&gzip(&[0; 1024]), &Limits::default()).unwrap_err();
    assert!(matches!(err, ArchiveError::Empty));
}

#[test]
fn duplicate_paths_are_refused() {
    let err = inspect_raw(&[file("main.tf", MAIN), file("./main.tf", MAIN)]).unwrap_err();
    assert!(matches!(err, ArchiveError::DuplicatePath { ref path } if path == "main.tf"));
}

#[test]
fn a_file_that_is_also_a_directory_is_refused() {
    let err = inspect_raw(&[file("main.tf", MAIN), file("a", ""), file("a/b.tf", "")]).unwrap_err();
    assert!(matches!(err, ArchiveError::PathConflict { ref parent, .. } if parent == "a"));
}

#[test]
fn paths_that_differ_only_in_case_are_refused() {
    let err = inspect_raw(&[file("main.tf", MAIN), file("Main.tf", MAIN)]).unwrap_err();
    assert!(matches!(err, ArchiveError::CaseConflict { .. }), "{err}");
}

#[test]
fn a_truncated_entry_is_refused() {
    let mut tar = tar_of(&[file("main.tf", &"x".repeat(1000))]);
    tar.truncate(512 + 600);
    let err = inspect(&gzip(&tar), &Limits::default()).unwrap_err();
    assert!(matches!(err, ArchiveError::NotTar { .. }), "{err}");
}

#[test]
fn a_pax_path_is_checked_instead_of_the_harmless_header_name() {
    // The ustar name says `ok.tf`, but readers honour the pax `path` record, `../evil.tf`.
    let record = "path=../evil.tf\n";
    let mut len = record.len() + 3;
    len = record.len() + 1 + len.to_string().len();
    let pax = format!("{len} {record}");
    let pax_entry = Raw {
        name: b"PaxHeader/ok.tf",
        kind: EntryType::XHeader,
        link: b"",
        data: pax.as_bytes(),
    };
    let err = inspect_raw(&[file("main.tf", MAIN), pax_entry, file("ok.tf", "")]).unwrap_err();
    assert!(
        matches!(err, ArchiveError::ParentDir { ref path } if path == "../evil.tf"),
        "{err}"
    );
}

#[test]
fn an_archive_without_a_root_tf_file_is_refused_with_a_hint() {
    let err = inspect_raw(&[file("vpc/main.tf", MAIN), file("README.md", "")]).unwrap_err();
    assert!(matches!(err, ArchiveError::NoRootModule { .. }));
    assert!(err.to_string().contains("`vpc/main.tf`"), "{err}");
}

#[test]
fn pack_dir_skips_local_state_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (path, text) in [
        ("main.tf", MAIN),
        ("modules/a/main.tf", MAIN),
        (".terraform/modules/x.tf", MAIN),
        (".git/HEAD", "ref"),
        ("terraform.tfstate", "{}"),
        ("terraform.tfstate.backup", "{}"),
        (".terraform.lock.hcl", ""),
    ] {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let first = pack_dir(root).unwrap();
    let archive = inspect(&first, &Limits::default()).unwrap();
    let paths: Vec<_> = archive.files().keys().map(String::as_str).collect();
    assert_eq!(paths, ["main.tf", "modules/a/main.tf"]);
    assert_eq!(pack_dir(root).unwrap(), first);
    assert_eq!(
        first,
        pack_files([
            ("modules/a/main.tf".to_owned(), MAIN.as_bytes().to_vec()),
            ("main.tf".to_owned(), MAIN.as_bytes().to_vec()),
        ])
    );
}

#[test]
fn sha256_hex_is_lowercase_hex() {
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

fn file_set() -> impl Strategy<Value = BTreeMap<String, Vec<u8>>> {
    // Directory names never end in `.tf`, so a file path is never also a directory; up to
    // three 40-character levels exercise GNU long names past the 100-byte header field.
    let path = "([a-z0-9_-]{1,40}/){0,3}[a-z0-9_-]{1,12}\\.(tf|md|json)";
    proptest::collection::btree_map(path, proptest::collection::vec(any::<u8>(), 0..512), 0..12)
}

proptest! {
    #[test]
    fn pack_then_inspect_returns_the_same_files(mut files in file_set()) {
        files.insert("main.tf".to_owned(), MAIN.as_bytes().to_vec());
        let packed = pack_files(files.clone());
        prop_assert_eq!(&packed, &pack_files(files.clone().into_iter().rev()));
        let archive = inspect(&packed, &Limits::default()).unwrap();
        prop_assert_eq!(archive.into_files(), files);
    }
}
