//! Entry-path normalization: the single place that decides whether a tar path is safe.

use super::ArchiveError;

/// Turns a raw tar entry name into `a/b/c` form, or refuses it.
///
/// `./` prefixes and empty or `.` components are dropped (many tar tools emit `./main.tf`);
/// anything that could resolve outside the module root is an error rather than being
/// "cleaned", because a publisher who ships such a path has a broken or malicious packer.
pub(super) fn normalize(raw: &[u8]) -> Result<String, ArchiveError> {
    let Ok(text) = std::str::from_utf8(raw) else {
        return Err(ArchiveError::UnsafePath {
            path: String::from_utf8_lossy(raw).into_owned(),
            reason: "it is not valid UTF-8",
        });
    };
    let unsafe_path = |reason| ArchiveError::UnsafePath {
        path: text.to_owned(),
        reason,
    };
    if text.starts_with('/') || has_drive_prefix(text) {
        return Err(ArchiveError::AbsolutePath {
            path: text.to_owned(),
        });
    }
    // On Windows a backslash separates components, so `..\x` would escape there.
    if text.contains('\\') {
        return Err(unsafe_path("it contains a backslash"));
    }
    if text.chars().any(char::is_control) {
        return Err(unsafe_path("it contains a control character"));
    }
    let mut parts = Vec::new();
    for component in text.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                return Err(ArchiveError::ParentDir {
                    path: text.to_owned(),
                })
            }
            other => parts.push(other),
        }
    }
    Ok(parts.join("/"))
}

/// `C:` and the like: absolute on Windows even without a leading slash.
fn has_drive_prefix(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// Whether a link at `entry` (normalized) pointing to `target` resolves inside the tree.
///
/// Symlink targets are relative to the link's directory; hard-link targets are archive paths,
/// relative to the root. The links themselves are never followed, but one that leaves the tree
/// would be dangerous for anyone who unpacks the archive with a naive tool.
pub(super) fn link_stays_inside(entry: &str, target: &str, symlink: bool) -> bool {
    if target.is_empty() || target.starts_with('/') || has_drive_prefix(target) {
        return false;
    }
    if target.contains('\\') {
        return false;
    }
    let mut stack: Vec<&str> = Vec::new();
    if symlink {
        stack.extend(entry.split('/'));
        stack.pop();
    }
    for component in target.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                if stack.pop().is_none() {
                    return false;
                }
            }
            other => stack.push(other),
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_dot_slash_and_empty_components_are_dropped() {
        assert_eq!(normalize(b"./main.tf").unwrap(), "main.tf");
        assert_eq!(normalize(b"./modules//x/./a.tf").unwrap(), "modules/x/a.tf");
    }

    #[test]
    fn unsafe_paths_are_refused() {
        assert!(matches!(
            normalize(b"/etc/passwd"),
            Err(ArchiveError::AbsolutePath { .. })
        ));
        assert!(matches!(
            normalize(b"C:/x.tf"),
            Err(ArchiveError::AbsolutePath { .. })
        ));
        assert!(matches!(
            normalize(b"a/../../x"),
            Err(ArchiveError::ParentDir { .. })
        ));
        assert!(matches!(
            normalize(b"..\\x.tf"),
            Err(ArchiveError::UnsafePath { .. })
        ));
        assert!(matches!(
            normalize(b"a\xffb"),
            Err(ArchiveError::UnsafePath { .. })
        ));
    }

    #[test]
    fn links_resolve_relative_to_their_directory() {
        assert!(link_stays_inside("a/b/link", "../c.tf", true));
        assert!(!link_stays_inside("a/link", "../../c.tf", true));
        assert!(!link_stays_inside("link", "/etc/passwd", true));
        assert!(link_stays_inside("a/link", "a/c.tf", false));
        assert!(!link_stays_inside("a/link", "../c.tf", false));
    }
}
