//! The interface of a module directory on disk, read in place: the same extraction the
//! registry runs on a published archive, without packing a tarball first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{extract, InterfaceError, ModuleInterface};
use crate::archive::Archive;

/// Why a module directory's interface could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("cannot read `{}`: check that it exists and is readable", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The message already carries the file and line, so it is the whole text (no `Caused by`).
    #[error("`{}`: {error}", dir.display())]
    Interface { dir: PathBuf, error: InterfaceError },
}

/// Reads `dir` (its `.tf` files and README.md, and those of `modules/*/` and `examples/*/`)
/// and extracts its interface as `interface::extract` does for a release.
pub fn extract_dir(dir: &Path) -> Result<ModuleInterface, DirectoryError> {
    let mut files = BTreeMap::new();
    read_module_files(dir, "", &mut files)?;
    for parent in ["modules", "examples"] {
        for name in subdirs(&dir.join(parent))? {
            read_module_files(dir, &format!("{parent}/{name}"), &mut files)?;
        }
    }
    extract(&Archive::from_files(files)).map_err(|error| DirectoryError::Interface {
        dir: dir.to_owned(),
        error,
    })
}

/// The files the extraction reads from one module directory, keyed as in an archive.
fn read_module_files(
    root: &Path,
    rel: &str,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(), DirectoryError> {
    let dir = if rel.is_empty() {
        root.to_owned()
    } else {
        root.join(rel)
    };
    let read_error = |path: &Path| {
        let path = path.to_owned();
        move |source| DirectoryError::Read { path, source }
    };
    for entry in std::fs::read_dir(&dir).map_err(read_error(&dir))? {
        let entry = entry.map_err(read_error(&dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let wanted = name == "README.md" || (name.ends_with(".tf") && !name.starts_with('.'));
        if !wanted || !entry.file_type().map_err(read_error(&dir))?.is_file() {
            continue;
        }
        let path = entry.path();
        let bytes = std::fs::read(&path).map_err(read_error(&path))?;
        let key = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        files.insert(key, bytes);
    }
    Ok(())
}

/// Names of the directories directly under `dir`, sorted; none when `dir` does not exist.
fn subdirs(dir: &Path) -> Result<Vec<String>, DirectoryError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(DirectoryError::Read {
                path: dir.to_owned(),
                source,
            })
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_directory_reads_like_its_packed_archive() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "main.tf", "variable \"name\" {\n  type = string\n}\n");
        write(root, "README.md", "# M\n");
        write(
            root,
            "modules/inner/main.tf",
            "output \"id\" {\n  value = 1\n}\n",
        );
        write(
            root,
            "examples/basic/main.tf",
            "module \"m\" {\n  source = \"../..\"\n}\n",
        );
        write(root, ".terraform/modules/x/main.tf", "this is not HCL {");
        let packed = archive::pack_dir(root).unwrap();
        let from_archive =
            extract(&archive::inspect(&packed, &archive::Limits::default()).unwrap()).unwrap();
        assert_eq!(extract_dir(root).unwrap(), from_archive);
        assert_eq!(from_archive.submodules[0].outputs[0].name, "id");
    }

    #[test]
    fn terraform_1_15_deprecations_of_inputs_and_outputs_are_recorded() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "main.tf",
            "variable \"old\" {\n  type       = string\n  default    = \"\"\n  deprecated = \"Use `new`.\"\n}\n\
             output \"id\" {\n  value      = 1\n  deprecated = \"Use `arn`.\"\n}\n",
        );
        let root = extract_dir(dir.path()).unwrap().root;
        assert_eq!(root.inputs[0].deprecated.as_deref(), Some("Use `new`."));
        assert_eq!(root.outputs[0].deprecated.as_deref(), Some("Use `arn`."));
    }

    #[test]
    fn a_missing_directory_is_named_in_the_error() {
        let err = extract_dir(Path::new("/nonexistent/module")).unwrap_err();
        assert!(err.to_string().contains("`/nonexistent/module`"), "{err}");
    }

    #[test]
    fn a_parse_error_names_the_directory_and_the_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "main.tf", "variable \"x\" {\n  type = \n");
        let err = extract_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("`main.tf` line"), "{err}");
    }
}
