//! HCL → module interface (what a release offers its callers), and the interface diff that
//! decides whether a new version respects semver.

mod extract;
mod model;

pub use extract::{extract, InterfaceError};
pub use model::*;
