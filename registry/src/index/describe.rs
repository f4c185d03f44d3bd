//! The one-line description shown in listings, taken from the root README.

/// Listings show at most this many characters.
const MAX_CHARS: usize = 200;

/// The first prose paragraph of a README as one line of at most 200 characters: headings,
/// badges, HTML, tables and code blocks are skipped, and inline links keep only their text.
pub fn description(readme: &str) -> String {
    let mut paragraph: Vec<&str> = Vec::new();
    let mut in_fence = false;
    for line in readme.lines().map(str::trim) {
        if line.starts_with("```") || line.starts_with("~~~") {
            in_fence = !in_fence;
            if !paragraph.is_empty() {
                break;
            }
            continue;
        }
        if in_fence {
            continue;
        }
        if is_setext_underline(line) {
            // The line before was a heading (`Title\n=====`), not prose.
            paragraph.clear();
            continue;
        }
        if line.is_empty() || is_not_prose(line) {
            if !paragraph.is_empty() {
                break;
            }
            continue;
        }
        paragraph.push(line);
    }
    truncate(&collapse_whitespace(&strip_inline(&paragraph.join(" "))))
}

fn is_setext_underline(line: &str) -> bool {
    !line.is_empty() && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-'))
}

fn is_not_prose(line: &str) -> bool {
    line.starts_with('#')
        || line.starts_with("[![")
        || line.starts_with("![")
        || line.starts_with('<')
        || line.starts_with('|')
        || is_link_definition(line)
}

/// `[label]: https://…` lines define link targets; they are not text.
fn is_link_definition(line: &str) -> bool {
    line.starts_with('[') && line.contains("]:")
}

/// Keeps the text of `[text](url)` links and drops emphasis and code markers.
fn strip_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](").and_then(|close| {
            let url_end = after[close + 2..].find(')')?;
            Some((close, close + 2 + url_end + 1))
        }) {
            Some((close, end)) => {
                out.push_str(&after[..close]);
                rest = &after[end..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "").replace("__", "").replace('`', "")
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts at a word boundary and marks the cut with an ellipsis, staying within the limit.
fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text.to_owned();
    }
    let head: String = text.chars().take(MAX_CHARS - 1).collect();
    let cut = match head.rfind(' ') {
        Some(space) if space > MAX_CHARS / 2 => &head[..space],
        _ => &head,
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::description;

    #[test]
    fn headings_and_badges_are_skipped_for_the_first_paragraph() {
        let readme = "# VPC\n\n[![CI](https://x/badge.svg)](https://x)\n\n\
                      Creates a VPC with\nprivate subnets.\n\nSecond paragraph.";
        assert_eq!(description(readme), "Creates a VPC with private subnets.");
    }

    #[test]
    fn setext_headings_html_and_code_are_not_prose() {
        let readme = "VPC\n===\n<p align=\"center\"><img src=\"x\"></p>\n```hcl\nmodule {}\n```\n\
                      Uses **KMS** and [flow logs](https://docs) by `default`.";
        assert_eq!(description(readme), "Uses KMS and flow logs by default.");
    }

    #[test]
    fn long_paragraphs_are_cut_at_a_word_within_200_characters() {
        let readme = "word ".repeat(100);
        let d = description(&readme);
        assert!(d.chars().count() <= 200, "{}", d.chars().count());
        assert!(d.ends_with("word…"), "{d}");
    }

    #[test]
    fn an_empty_or_heading_only_readme_has_no_description() {
        assert_eq!(description(""), "");
        assert_eq!(description("# Title\n\n## Usage\n"), "");
    }
}
