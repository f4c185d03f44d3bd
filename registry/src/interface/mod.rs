//! HCL → module interface (what a release offers its callers), and the interface diff that
//! decides whether a new version respects semver.

mod depth;
mod diff;
mod directory;
mod extract;
mod model;

pub use depth::MAX_DEPTH;
pub use diff::{
    check_semver, diff, smallest_major_bump, Bump, Change, InterfaceDiff, SemverViolation, Severity,
};
pub use directory::{extract_dir, DirectoryError};
pub use extract::{extract, parse_file, InterfaceError, MAX_BLOCKS};
pub use model::*;
