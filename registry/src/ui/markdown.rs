//! README Markdown → safe HTML: pulldown-cmark renders, ammonia sanitises, and bounds keep a
//! hostile README from costing more than a normal one.
//!
//! Bounds: only the first `MAX_BYTES` are rendered (with a note); containers nested deeper
//! than `MAX_DEPTH` are flattened into their parent (their text stays); raw HTML past
//! `MAX_HTML_TAGS` tags is shown as text. The last two keep the HTML parser inside ammonia
//! away from its slow paths (deep open-element stacks, misnested formatting), whose cost
//! grows with the square of the nesting. The byte bound caps the linear cost, which is
//! dominated by the parser decoding character references: text dense with `<`, `>`, `&` or
//! `"` (escaped as entities) costs about a microsecond per character.

use pulldown_cmark::{html, CowStr, Event, Options, Parser};

pub const MAX_BYTES: usize = 128 * 1024;
pub const MAX_DEPTH: usize = 24;
pub const MAX_HTML_TAGS: usize = 500;

/// The README as sanitised HTML, ready to embed.
pub fn render(markdown: &str) -> String {
    let (text, cut) = prefix(markdown, MAX_BYTES);
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_FOOTNOTES);
    let mut depth = 0usize;
    let mut html_tags = 0usize;
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Start(tag) => {
            depth += 1;
            (depth <= MAX_DEPTH).then_some(Event::Start(tag))
        }
        Event::End(tag) => {
            let keep = depth <= MAX_DEPTH;
            depth -= 1;
            keep.then_some(Event::End(tag))
        }
        Event::Html(raw) => Some(raw_html(raw, Event::Html, &mut html_tags, depth)),
        Event::InlineHtml(raw) => Some(raw_html(raw, Event::InlineHtml, &mut html_tags, depth)),
        other => Some(other),
    });
    let mut unsafe_html = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    if cut {
        unsafe_html.push_str(&format!(
            "<p><em>The README is longer than {} KiB; the rest is not shown.</em></p>",
            MAX_BYTES / 1024
        ));
    }
    sanitizer().clean(&unsafe_html).to_string()
}

/// Raw HTML within the budget stays HTML (for ammonia to clean); past it, escaped text.
fn raw_html<'a>(
    raw: CowStr<'a>,
    as_html: fn(CowStr<'a>) -> Event<'a>,
    html_tags: &mut usize,
    depth: usize,
) -> Event<'a> {
    *html_tags += raw.matches('<').count();
    if *html_tags <= MAX_HTML_TAGS && depth <= MAX_DEPTH {
        as_html(raw)
    } else {
        Event::Text(raw)
    }
}

/// ammonia's defaults (no script, style, event handlers or `javascript:` URLs; links get
/// `rel="noopener noreferrer"`), plus `nofollow` since READMEs are written by publishers.
fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder.link_rel(Some("noopener noreferrer nofollow"));
    builder
}

/// At most `max` bytes of `text`, cut at a character boundary, and whether anything was cut.
fn prefix(text: &str, max: usize) -> (&str, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_headings_tables_and_code() {
        let html =
            render("# VPC\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```hcl\nmodule \"x\" {}\n```\n");
        assert!(html.contains("<h1>VPC</h1>"), "{html}");
        assert!(
            html.contains("<table>") && html.contains("<td>1</td>"),
            "{html}"
        );
        assert!(html.contains("<pre><code>module \"x\" {}"), "{html}");
    }

    #[test]
    fn scripts_event_handlers_and_javascript_links_are_removed() {
        let html = render(
            "<script>alert(1)</script>\n\n[click](javascript:alert(2)) \
             <img src=x onerror=alert(3)> <a href=\"javascript:alert(4)\">a</a>\n\n\
             <iframe src=\"https://evil.example\"></iframe><style>body{}</style>\
             <form action=/x><input></form>",
        );
        for bad in [
            "<script",
            "alert(1)",
            "javascript:",
            "onerror",
            "<iframe",
            "<style",
            "<form",
            "<input",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(
            html.contains(">click</a>") && html.contains("<img src=\"x\">"),
            "{html}"
        );
    }

    #[test]
    fn links_are_marked_nofollow_and_keep_no_opener() {
        let html = render("[docs](https://example.com/docs)");
        assert!(
            html.contains(
                r#"<a href="https://example.com/docs" rel="noopener noreferrer nofollow">docs</a>"#
            ),
            "{html}"
        );
    }

    /// The deepest element nesting of an HTML fragment.
    fn depth_of(html: &str) -> usize {
        let (mut depth, mut max) = (0usize, 0usize);
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            if rest.starts_with('/') {
                depth = depth.saturating_sub(1);
            } else if !rest.starts_with("br")
                && !rest.starts_with("img")
                && !rest.starts_with("hr")
                && !rest.starts_with("input")
            {
                depth += 1;
                max = max.max(depth);
            }
        }
        max
    }

    #[test]
    fn deep_nesting_is_flattened_past_the_bound() {
        let quotes = format!("{} deep\n", ">".repeat(10_000));
        let html = render(&quotes);
        assert!(depth_of(&html) <= MAX_DEPTH, "nesting {}", depth_of(&html));
        assert!(html.contains("deep"), "the text stays");
        let lists = (0..5_000)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>();
        assert!(depth_of(&render(&lists)) <= 2 * MAX_DEPTH);
    }

    #[test]
    fn raw_html_past_the_tag_budget_is_shown_as_text() {
        let html = render(&"<div>".repeat(50_000));
        assert!(html.contains("&lt;div&gt;"), "the excess is escaped text");
        assert!(html.matches("<div>").count() <= MAX_HTML_TAGS);
    }

    #[test]
    fn only_the_first_max_bytes_are_rendered_and_the_cut_is_said() {
        let long = "é".repeat(MAX_BYTES); // two bytes each: a cut inside a character
        let html = render(&long);
        assert!(html.contains("the rest is not shown"));
        assert!(html.len() < MAX_BYTES + 1_000);
    }
}
