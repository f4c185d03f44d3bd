//! The source files a run read, and byte spans turned into `line:column` positions.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// A byte range in one of the run's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub file: usize,
    pub range: Range<usize>,
}

pub struct SourceFile {
    /// The path as reports show it: relative to the working directory when inside it.
    pub display: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based position; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count())
            + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line - 1]
    }

    /// The text of 1-based `line`, without its newline.
    pub fn line(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// Every file read in a run, indexed by `Span::file`.
#[derive(Default)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    /// Registers a file read from disk; returns its index.
    pub fn add(&mut self, path: &Path, text: String) -> usize {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        self.files.push(SourceFile {
            display: display_path(path),
            text,
            line_starts,
        });
        self.files.len() - 1
    }

    pub fn get(&self, index: usize) -> &SourceFile {
        &self.files[index]
    }
}

/// `path` relative to the working directory when it is inside it (SARIF and editors want
/// repository-relative paths), else as given.
pub fn display_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let cwd = std::env::current_dir().ok();
    let relative = cwd
        .as_deref()
        .and_then(|cwd| absolute.strip_prefix(cwd).ok())
        .map(Path::to_owned)
        .unwrap_or(absolute);
    normalize(&relative).display().to_string()
}

/// Removes `.` and folds `dir/..` without touching the filesystem.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let mut files = Files::default();
        let i = files.add(Path::new("a.tf"), "ab\nçd = 1\n".to_owned());
        let f = files.get(i);
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(6), Position { line: 2, column: 3 });
        assert_eq!(f.line(2), "çd = 1");
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
    }
}
