//! Making text safe for a terminal and for text reports: the one place where control
//! characters from data and names (ESC, BEL, CR, other C0 and C1 controls, DEL, and the
//! Unicode direction overrides) are written as visible escapes (`\x1b`, `\u{9b}`).
//!
//! A name or a value is data: `ESC]0;pwned BEL` would retitle the DBA's terminal, `ESC[2J`
//! clear it, a CR overwrite the line it is on. Every printer of charmig goes through
//! [`escape`] (one value on one line) or [`Sanitize`] (a whole text stream, keeping its
//! newlines and tabs).

use std::borrow::Cow;
use std::io::Write;

/// Whether `c` must not reach a terminal as itself. `keep_lines` lets `\n` and `\t` through.
fn is_unsafe(c: char, keep_lines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_lines,
        c if c.is_control() => true, // C0, DEL, C1
        // Bidirectional overrides and isolates: they reorder what the DBA reads.
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

fn escaped(s: &str, keep_lines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c, keep_lines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c, keep_lines) {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
                c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One value on one line (a name, a cell, a message part): every control character escaped,
/// newlines and tabs included.
pub fn escape(s: &str) -> Cow<'_, str> {
    escaped(s, false)
}

/// A text of several lines: control characters escaped, newlines and tabs kept.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escaped(s, true)
}

/// A writer that passes text through [`escape_text`] (bytes that are not UTF-8 are written as
/// `\xNN`). For stdout/stderr printers and text reports.
pub struct Sanitize<W: Write> {
    inner: W,
    /// An incomplete UTF-8 sequence held back from the previous write.
    pending: Vec<u8>,
}

impl<W: Write> Sanitize<W> {
    pub fn new(inner: W) -> Sanitize<W> {
        Sanitize {
            inner,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, mut bytes: &[u8], at_end: bool) -> std::io::Result<()> {
        loop {
            match std::str::from_utf8(bytes) {
                Ok(s) => return self.inner.write_all(escape_text(s).as_bytes()),
                Err(e) => {
                    let good = e.valid_up_to();
                    // Safety of the slice: valid_up_to is a char boundary.
                    let s = std::str::from_utf8(&bytes[..good]).expect("valid prefix");
                    self.inner.write_all(escape_text(s).as_bytes())?;
                    match e.error_len() {
                        Some(n) => {
                            for b in &bytes[good..good + n] {
                                write!(self.inner, "\\x{b:02x}")?;
                            }
                            bytes = &bytes[good + n..];
                        }
                        None if !at_end => {
                            self.pending.extend_from_slice(&bytes[good..]);
                            return Ok(());
                        }
                        None => {
                            for b in &bytes[good..] {
                                write!(self.inner, "\\x{b:02x}")?;
                            }
                            return Ok(());
                        }
                    }
                }
            }
        }
    }
}

impl<W: Write> Write for Sanitize<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(buf);
        self.emit(&data, false)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let data = std::mem::take(&mut self.pending);
            self.emit(&data, true)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Sanitize<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_become_visible() {
        let hostile = "t\u{1b}]0;pwned\u{7}\u{1b}[2Jx\r\u{9b}31m\u{7f}\u{202e}evil";
        let e = escape(hostile);
        assert_eq!(
            e,
            "t\\x1b]0;pwned\\x07\\x1b[2Jx\\r\\u{9b}31m\\x7f\\u{202e}evil"
        );
        assert!(!e.chars().any(|c| c.is_control()));
        assert_eq!(escape("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(escape_text("a\nb\tc\u{1b}"), "a\nb\tc\\x1b");
        assert!(matches!(escape("Zürich «ok»"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_writer_escapes_across_writes_and_bad_bytes() {
        let mut out = Vec::new();
        {
            let mut w = Sanitize::new(&mut out);
            // U+009B (CSI) is C2 9B: split across two writes.
            w.write_all(b"a\x1b[2J\xc2").unwrap();
            w.write_all(b"\x9bb\n\xff\xc3").unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\x1b[2J\\u{9b}b\n\\xff\\xc3"
        );
    }

    proptest::proptest! {
        #[test]
        fn nothing_unsafe_gets_through(s in "\\PC*|[\\x00-\\x{9f}]{0,40}") {
            let e = escape(&s);
            proptest::prop_assert!(!e.chars().any(|c| is_unsafe(c, false)));
            let mut out = Vec::new();
            Sanitize::new(&mut out).write_all(s.as_bytes()).unwrap();
            let t = String::from_utf8(out).unwrap();
            proptest::prop_assert!(!t.chars().any(|c| is_unsafe(c, true)));
        }
    }
}
