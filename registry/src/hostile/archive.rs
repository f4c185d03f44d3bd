//! Uploaded tarballs: random bytes, random gzip streams, and random tar entries of every kind.

use std::io::Write as _;

use flate2::write::GzEncoder;
use flate2::Compression;
use proptest::prelude::*;
use tar::{EntryType, Header};

use crate::archive::{inspect, Archive, ArchiveError, Limits};

/// Small limits, so that the limit paths are taken as often as the others.
fn limits() -> Limits {
    Limits {
        max_compressed_bytes: 64 * 1024,
        max_uncompressed_bytes: 64 * 1024,
        max_entries: 8,
        max_file_bytes: 2048,
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// One tar entry with its name and link written byte for byte, as an attacker would.
#[derive(Debug, Clone)]
struct RawEntry {
    name: Vec<u8>,
    kind: EntryType,
    link: Vec<u8>,
    data: Vec<u8>,
    /// The size the header claims, which may lie.
    claimed: Option<u64>,
}

fn name() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "(\\./)?([a-z.]{1,4}/){0,3}[a-zA-Z.]{1,6}(\\.tf)?".prop_map(String::into_bytes),
        prop::sample::select(vec![
            "main.tf",
            "../x.tf",
            "/etc/passwd",
            "a/../../b",
            "./",
            "MAIN.TF",
            "a//b.tf",
            "a\\b.tf",
            "main.tf/x",
            ".",
            "",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..100),
    ]
}

fn entry() -> impl Strategy<Value = RawEntry> {
    let kind = prop::sample::select(vec![
        EntryType::Regular,
        EntryType::Directory,
        EntryType::Symlink,
        EntryType::Link,
        EntryType::Char,
        EntryType::Block,
        EntryType::Fifo,
        EntryType::GNUSparse,
        EntryType::XGlobalHeader,
        EntryType::XHeader,
        EntryType::GNULongName,
        EntryType::Continuous,
    ]);
    let data = prop_oneof![
        Just(b"variable \"x\" {}\n".to_vec()),
        prop::collection::vec(any::<u8>(), 0..3000),
    ];
    let claimed = prop::option::of(prop_oneof![0u64..5000, Just(u64::MAX / 2)]);
    (name(), kind, name(), data, claimed).prop_map(|(name, kind, link, data, claimed)| RawEntry {
        name,
        kind,
        link,
        data,
        claimed,
    })
}

fn tar_of(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in entries {
        let mut header = Header::new_ustar();
        let name = &entry.name[..entry.name.len().min(100)];
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        let link = &entry.link[..entry.link.len().min(100)];
        header.as_old_mut().linkname[..link.len()].copy_from_slice(link);
        header.set_entry_type(entry.kind);
        header.set_size(entry.claimed.unwrap_or(entry.data.len() as u64));
        header.set_mode(0o644);
        header.set_cksum();
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(&entry.data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend_from_slice(&[0; 1024]);
    out
}

/// What every accepted archive must satisfy, whatever it was built from.
fn check_accepted(archive: &Archive) -> Result<(), TestCaseError> {
    let limits = limits();
    prop_assert!(archive.len() <= limits.max_entries);
    for (path, bytes) in archive.files() {
        prop_assert!(!path.is_empty() && !path.starts_with('/'), "{}", path);
        prop_assert!(path
            .split('/')
            .all(|part| part != ".." && part != "." && !part.is_empty()));
        prop_assert!(bytes.len() as u64 <= limits.max_file_bytes);
    }
    prop_assert!(archive.dir_files("").any(|(name, _)| name.ends_with(".tf")));
    Ok(())
}

fn check(result: Result<Archive, ArchiveError>) -> Result<(), TestCaseError> {
    match result {
        Ok(archive) => check_accepted(&archive),
        Err(e) => {
            prop_assert!(!e.to_string().is_empty());
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn random_bytes_are_refused_with_a_named_error(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        prop_assert!(inspect(&bytes, &limits()).is_err());
        check(inspect(&gzip(&bytes), &limits()))?;
    }

    #[test]
    fn random_tar_entries_are_accepted_safely_or_refused(
        entries in prop::collection::vec(entry(), 0..12),
        truncate in prop::option::of(0usize..20_000),
    ) {
        let mut tar = tar_of(&entries);
        if let Some(at) = truncate {
            tar.truncate(at);
        }
        check(inspect(&gzip(&tar), &limits()))?;
    }

    #[test]
    fn a_corrupted_gzip_stream_is_refused_or_still_safe(
        entries in prop::collection::vec(entry(), 1..4),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut gz = gzip(&tar_of(&entries));
        for (at, byte) in flips {
            let i = at.index(gz.len());
            gz[i] ^= byte | 1;
        }
        check(inspect(&gz, &limits()))?;
    }
}
