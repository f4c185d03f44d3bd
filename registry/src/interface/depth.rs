//! A linear pre-scan of one `.tf` file that bounds how deep hcl-edit's recursive parser would
//! go, and counts its top-level blocks, before that parser runs.
//!
//! A stack overflow cannot be caught in Rust: it aborts the whole process. So nesting is
//! measured here, with an explicit stack and one pass over the bytes, and refused beyond
//! [`MAX_DEPTH`]. The scan mirrors the places where hcl-edit recurses: brackets, braces (block
//! bodies and objects), parentheses (calls and grouping), strings and heredocs, template
//! interpolations `${…}`, directives `%{if}`/`%{for}` (whose bodies nest), and operators, since
//! `a + b + c` and `x ? y : z` parse their right-hand side recursively. Comments, string
//! contents, escapes (`\"`, `$${`, `%%{`) and heredoc text are skipped by the same rules
//! hcl-edit applies, so brackets in a string do not count and `${` in a heredoc does.

/// Deepest nesting accepted: open brackets, braces, parentheses, strings, interpolations and
/// directives, plus the operators of each expression still being parsed. The modules in this
/// repository stay below a quarter of it. At the limit, hcl-edit's parser and the extraction
/// after it need at most 512 KiB of stack in a debug build (a release build far less): a
/// quarter of the 2 MiB a blocking-pool thread has.
pub const MAX_DEPTH: usize = 64;

/// A directive (`%{if}`, `%{for}`) costs hcl-edit twice the stack of other levels: it parses
/// the directive, then the template of its body.
const DIRECTIVE_COST: usize = 2;

/// Why a file was refused before parsing, with the 1-based line where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    TooDeep {
        line: usize,
    },
    /// `<<EOF` whose first line is `EOF`: Terraform reads an empty string, hcl-edit reads on
    /// to the next `EOF` line, so the interface would be wrong and the scan could not follow.
    EmptyHeredoc {
        line: usize,
        marker: String,
    },
}

/// What the scan learned about a file it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    /// Blocks at the top level of the file (`variable`, `resource`, …).
    pub blocks: usize,
    /// The deepest nesting seen, counted as [`MAX_DEPTH`] counts it.
    pub deepest: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The file's top level: not a nesting level itself.
    Root,
    /// A block body or an object: a newline ends the expression being parsed.
    Brace,
    Bracket,
    Paren,
    /// `${ … }` or `%{ … }`: an expression inside a template.
    Interp,
    Quoted,
    /// A heredoc body; its closing marker is `src[start..end]`.
    Heredoc {
        start: usize,
        end: usize,
    },
}

struct Frame {
    kind: Kind,
    /// Operators of the expression being parsed in this frame (each one is a recursion).
    ops: usize,
    /// `%{if}`/`%{for}` directives open in this template (their bodies nest).
    directives: usize,
}

struct Scanner<'a> {
    src: &'a [u8],
    i: usize,
    stack: Vec<Frame>,
    /// Sum over the stack of 1 per frame (the root excluded), its operators and its directives
    /// (each [`DIRECTIVE_COST`]).
    depth: usize,
    deepest: usize,
    blocks: usize,
    /// The root saw `=` in the statement being read, so a `{` opens an object, not a block.
    assigned: bool,
}

/// Scans `src` once; refuses nesting deeper than [`MAX_DEPTH`].
pub(crate) fn scan(src: &str) -> Result<Shape, Refusal> {
    let mut s = Scanner {
        src: src.as_bytes(),
        i: 0,
        stack: vec![Frame::new(Kind::Root)],
        depth: 0,
        deepest: 0,
        blocks: 0,
        assigned: false,
    };
    while s.i < s.src.len() {
        let top = s.stack.last().map_or(Kind::Root, |f| f.kind);
        match top {
            Kind::Quoted => s.quoted()?,
            Kind::Heredoc { start, end } => s.heredoc(start, end)?,
            _ => s.code(top)?,
        }
    }
    Ok(Shape {
        blocks: s.blocks,
        deepest: s.deepest,
    })
}

impl Frame {
    fn new(kind: Kind) -> Self {
        Frame {
            kind,
            ops: 0,
            directives: 0,
        }
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

impl Scanner<'_> {
    fn at(&self, offset: usize) -> u8 {
        self.src.get(self.i + offset).copied().unwrap_or(0)
    }

    fn line(&self) -> usize {
        let upto = self.i.min(self.src.len());
        self.src[..upto].iter().filter(|&&b| b == b'\n').count() + 1
    }

    fn check(&mut self) -> Result<(), Refusal> {
        self.deepest = self.deepest.max(self.depth);
        if self.depth > MAX_DEPTH {
            return Err(Refusal::TooDeep { line: self.line() });
        }
        Ok(())
    }

    /// Opens a frame at the current byte (the line reported), then skips its opener.
    fn push(&mut self, kind: Kind, skip: usize) -> Result<(), Refusal> {
        self.stack.push(Frame::new(kind));
        self.depth += 1;
        self.check()?;
        self.i += skip;
        Ok(())
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            if let Some(frame) = self.stack.pop() {
                self.depth -= 1 + frame.ops + DIRECTIVE_COST * frame.directives;
            }
        }
        self.i += 1;
    }

    fn top(&mut self) -> &mut Frame {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn operator(&mut self, len: usize) -> Result<(), Refusal> {
        self.top().ops += 1;
        self.depth += 1;
        self.i += len;
        self.check()
    }

    /// The expression of this frame ended (`,`, `=`, or a newline where newlines end one).
    fn end_expression(&mut self) {
        let ops = std::mem::take(&mut self.top().ops);
        self.depth -= ops;
    }

    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        while self.i < self.src.len() && keep(self.src[self.i]) {
            self.i += 1;
        }
    }

    /// One step in expression or body context.
    fn code(&mut self, kind: Kind) -> Result<(), Refusal> {
        let b = self.at(0);
        let next = self.at(1);
        match b {
            b'#' => self.skip_while(|b| b != b'\n'),
            b'/' if next == b'/' => self.skip_while(|b| b != b'\n'),
            b'/' if next == b'*' => {
                self.i += 2;
                while self.i < self.src.len() && !(self.at(0) == b'*' && self.at(1) == b'/') {
                    self.i += 1;
                }
                self.i = (self.i + 2).min(self.src.len());
            }
            b'\n' => {
                if matches!(kind, Kind::Root | Kind::Brace) {
                    self.end_expression();
                }
                if kind == Kind::Root {
                    self.assigned = false;
                }
                self.i += 1;
            }
            b'"' => self.push(Kind::Quoted, 1)?,
            b'<' if next == b'<' => self.heredoc_start()?,
            b'(' => self.push(Kind::Paren, 1)?,
            b'[' => self.push(Kind::Bracket, 1)?,
            b'{' => {
                if kind == Kind::Root && !self.assigned {
                    self.blocks += 1;
                }
                self.push(Kind::Brace, 1)?;
            }
            b')' | b']' | b'}' => self.pop(),
            b',' => {
                self.end_expression();
                self.i += 1;
            }
            b'=' if next == b'=' => self.operator(2)?,
            b'=' => {
                // `=` (attribute, object item) and `=>` (for-object) start a new expression.
                self.end_expression();
                if kind == Kind::Root {
                    self.assigned = true;
                }
                self.i += if next == b'>' { 2 } else { 1 };
            }
            b'!' | b'<' | b'>' if next == b'=' => self.operator(2)?,
            b'&' if next == b'&' => self.operator(2)?,
            b'|' if next == b'|' => self.operator(2)?,
            b'!' | b'<' | b'>' | b'&' | b'|' | b'+' | b'-' | b'*' | b'/' | b'%' | b'?' => {
                self.operator(1)?
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                self.skip_while(is_ident_byte)
            }
            b if b.is_ascii_digit() => {
                self.skip_while(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            }
            _ => self.i += 1,
        }
        Ok(())
    }

    /// `<<ID` or `<<-ID` followed by a line ending opens a heredoc; anything else is `<` twice.
    fn heredoc_start(&mut self) -> Result<(), Refusal> {
        let mut j = self.i + 2;
        if self.src.get(j) == Some(&b'-') {
            j += 1;
        }
        let start = j;
        if self
            .src
            .get(j)
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        {
            while self.src.get(j).is_some_and(|&b| is_ident_byte(b)) {
                j += 1;
            }
        }
        let end = j;
        let after = match (self.src.get(j), self.src.get(j + 1)) {
            (Some(b'\n'), _) => j + 1,
            (Some(b'\r'), Some(b'\n')) => j + 2,
            _ => return self.operator(1),
        };
        if end == start {
            return self.operator(1);
        }
        let marker = &self.src[start..end];
        let first_line = &self.src[after..];
        let indent = first_line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if first_line[indent..].starts_with(marker) {
            return Err(Refusal::EmptyHeredoc {
                line: self.line() + 1,
                marker: String::from_utf8_lossy(marker).into_owned(),
            });
        }
        self.push(Kind::Heredoc { start, end }, after - self.i)
    }

    /// `${` opens an interpolation; `%{` a directive, whose `if`/`for` body nests until its
    /// `endif`/`endfor`. `$${` and `%%{` are literal text.
    fn template_marker(&mut self) -> Result<bool, Refusal> {
        let (b, next) = (self.at(0), self.at(1));
        if (b == b'$' || b == b'%') && next == b && self.at(2) == b'{' {
            self.i += 3;
            return Ok(true);
        }
        if next != b'{' {
            return Ok(false);
        }
        if b == b'%' {
            let keyword = self.directive_keyword();
            let opens = keyword.starts_with(b"if") || keyword.starts_with(b"for");
            let closes = keyword.starts_with(b"endif") || keyword.starts_with(b"endfor");
            let frame = self.top();
            if opens {
                frame.directives += 1;
                self.depth += DIRECTIVE_COST;
                self.check()?;
            } else if closes && frame.directives > 0 {
                frame.directives -= 1;
                self.depth -= DIRECTIVE_COST;
            }
        } else if b != b'$' {
            return Ok(false);
        }
        self.push(Kind::Interp, 2)?;
        Ok(true)
    }

    /// The bytes after `%{`, an optional `~` and whitespace or comments: where the keyword is.
    fn directive_keyword(&self) -> &[u8] {
        let mut j = self.i + 2;
        if self.src.get(j) == Some(&b'~') {
            j += 1;
        }
        loop {
            match (self.src.get(j), self.src.get(j + 1)) {
                (Some(b' ' | b'\t' | b'\r' | b'\n'), _) => j += 1,
                (Some(b'#'), _) | (Some(b'/'), Some(b'/')) => {
                    while self.src.get(j).is_some_and(|&b| b != b'\n') {
                        j += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    j += 2;
                    while j < self.src.len() && !self.src[j..].starts_with(b"*/") {
                        j += 1;
                    }
                    j += 2;
                }
                _ => break,
            }
        }
        self.src.get(j..).unwrap_or_default()
    }

    /// One step inside `"…"`. Inside a directive's body hcl-edit reads plain template text,
    /// where `"` and `\` are literal, so the string ends only once its directives are closed.
    fn quoted(&mut self) -> Result<(), Refusal> {
        if self.template_marker()? {
            return Ok(());
        }
        let in_directive = self.top().directives > 0;
        match self.at(0) {
            b'"' if !in_directive => self.pop(),
            b'\\' if !in_directive => self.i += 2,
            _ => self.i += 1,
        }
        Ok(())
    }

    /// One step inside a heredoc body: it ends at a line ending, optional blanks and the
    /// marker (not inside a directive body, which hcl-edit reads as plain template text).
    fn heredoc(&mut self, start: usize, end: usize) -> Result<(), Refusal> {
        if self.template_marker()? {
            return Ok(());
        }
        let newline = match (self.at(0), self.at(1)) {
            (b'\n', _) => 1,
            (b'\r', b'\n') => 2,
            _ => 0,
        };
        if newline > 0 && self.top().directives == 0 {
            let line = &self.src[self.i + newline..];
            let indent = line
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            if line[indent..].starts_with(&self.src[start..end]) {
                self.i += newline + indent + (end - start) - 1;
                self.pop();
                return Ok(());
            }
        }
        self.i += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
