//! The one error type for archive handling; every message names the entry and the fix.

use std::io;

/// Why an archive was refused (or could not be built). The `Display` text is meant for the
/// publisher, so it says what was found and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(
        "the archive is {size} bytes, over the {limit}-byte limit: leave `.terraform/`, \
         test fixtures and binaries out of the module"
    )]
    CompressedTooLarge { size: u64, limit: u64 },

    #[error(
        "the upload is not gzip-compressed: package the module as a `.tar.gz` \
         (for example with `modreg package`)"
    )]
    NotGzip,

    #[error("the gzip stream is corrupt ({source}): re-create the archive with `modreg package`")]
    CorruptGzip {
        #[source]
        source: io::Error,
    },

    #[error(
        "the gzip stream does not hold a valid tar archive ({source}): package the module as \
         a `.tar.gz` (for example with `modreg package`)"
    )]
    NotTar {
        #[source]
        source: io::Error,
    },

    #[error(
        "entry `{path}` has an absolute path: archive paths must be relative to the module root"
    )]
    AbsolutePath { path: String },

    #[error(
        "entry `{path}` escapes the module root: archive paths must be relative and must not \
         contain `..`"
    )]
    ParentDir { path: String },

    #[error("entry `{path}` has an unsafe path ({reason}): rename it")]
    UnsafePath { path: String, reason: &'static str },

    #[error(
        "entry `{path}` links to `{target}`, outside the module root: replace the link with \
         the file it points to"
    )]
    LinkEscapes { path: String, target: String },

    #[error(
        "entry `{path}` is a {kind}: a module may contain only regular files, directories and \
         links within the module; remove it"
    )]
    SpecialEntry { path: String, kind: &'static str },

    #[error(
        "the archive has more than {limit} entries: leave generated or vendored files out of \
         the module"
    )]
    TooManyEntries { limit: usize },

    #[error(
        "the archive inflates to more than {limit} bytes: leave large files out of the module \
         (this limit also stops gzip bombs)"
    )]
    UncompressedTooLarge { limit: u64 },

    #[error(
        "entry `{path}` is {size} bytes, over the {limit}-byte per-file limit: keep large \
         artifacts out of the module"
    )]
    FileTooLarge { path: String, size: u64, limit: u64 },

    #[error("the archive contains no files: package the module directory itself")]
    Empty,

    #[error("entry `{path}` appears more than once: each path may occur only once in an archive")]
    DuplicatePath { path: String },

    #[error(
        "entry `{path}` sits under `{parent}`, which is a file or link, not a directory: \
         rename one of them"
    )]
    PathConflict { path: String, parent: String },

    #[error(
        "entries `{other}` and `{path}` differ only in letter case and would overwrite each \
         other on case-insensitive file systems (macOS, Windows): rename one"
    )]
    CaseConflict { path: String, other: String },

    #[error(
        "there is no `.tf` file at the archive root{found}: the root module's files \
         (`main.tf`, `variables.tf`, …) must sit at the top level, so package from inside \
         the module directory"
    )]
    NoRootModule {
        /// `", only `vpc/main.tf`…"`, pointing at where the `.tf` files are, or empty.
        found: String,
    },

    #[error("cannot read `{path}`: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },

    #[error(
        "`{path}` is a symbolic link: modreg packs regular files only; replace the link with \
         the file it points to"
    )]
    LocalSymlink { path: String },
}
