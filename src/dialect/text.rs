//! Names and other database text rendered where a line break would change what runs: a
//! `-- comment` line or a `PROMPT` of a generated script, a `/* … */` comment, a progress or
//! error message printed to a terminal.
//!
//! A name is data (a PostgreSQL identifier may hold a newline, a backslash, `*/`, ESC …).
//! Written raw after `-- `, a newline ends the comment and the rest of the name becomes a
//! statement or a psql meta-command (`\! rm …`) run by `psql -f`. [`escape`] writes every
//! character that could end the line or steer a terminal in a visible, reversible notation so
//! the rendered text is always exactly one line:
//!
//! - `\` -> `\\` (so the notation is unambiguous),
//! - newline, carriage return and tab -> `\n`, `\r`, `\t`,
//! - any other control character (C0, DEL, C1 such as U+0085 NEXT LINE) and the Unicode line
//!   and paragraph separators -> `\xHH` (up to U+00FF) or `\u{HHHH}`,
//! - `*/` -> `*\/`, so a name can sit inside a block comment.
//!
//! Oracle's SQL*Plus adds two hazards of its own, handled by [`escape_sqlplus`]: `&` starts a
//! substitution variable when `SET DEFINE` is on (-> `\x26`), and a trailing `-` continues a
//! SQL*Plus command (PROMPT, REM) on the next line, swallowing it (-> `\x2D` at the end).
//!
//! Use [`crate::dialect::comment_text`] (picks by dialect) in every script writer and message.

use std::fmt::Write;

/// One line, safe in a psql comment, a PostgreSQL `/* */` comment and a terminal line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_star = false;
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '/' if prev_star => out.push_str("\\/"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => hex(&mut out, c),
            c => out.push(c),
        }
        prev_star = ch == '*';
    }
    out
}

/// [`escape`], plus what SQL*Plus would act on: `&` and a trailing `-`.
pub fn escape_sqlplus(text: &str) -> String {
    let mut out = escape(text).replace('&', "\\x26");
    if out.ends_with('-') {
        out.pop();
        out.push_str("\\x2D");
    }
    out
}

fn hex(out: &mut String, c: char) {
    let cp = u32::from(c);
    if cp <= 0xFF {
        let _ = write!(out, "\\x{cp:02X}");
    } else {
        let _ = write!(out, "\\u{{{cp:04X}}}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_whatever_the_name() {
        for name in [
            "ix\nDROP TABLE public.t;\n--",
            "a\rb",
            "x\u{85}y",
            "p\u{2028}q\u{2029}",
            "esc\u{1b}]0;pwned\u{7}",
            "nul-free\u{1}\u{1f}\u{7f}",
        ] {
            let e = escape(name);
            assert!(!e.chars().any(|c| c.is_control()), "{e:?}");
            assert!(!e.contains('\u{2028}') && !e.contains('\u{2029}'), "{e:?}");
            assert_eq!(e.lines().count(), 1, "{e:?}");
        }
    }

    #[test]
    fn notation() {
        assert_eq!(escape("ix\nDROP"), "ix\\nDROP");
        assert_eq!(escape("a\\nb"), "a\\\\nb");
        assert_eq!(escape("t\tx\r"), "t\\tx\\r");
        assert_eq!(escape("\u{1b}[2J"), "\\x1B[2J");
        assert_eq!(escape("\u{85}\u{2028}"), "\\x85\\u{2028}");
        assert_eq!(escape("a*/b */"), "a*\\/b *\\/");
        assert_eq!(escape("Straße.\"Émile\" 名"), "Straße.\"Émile\" 名");
    }

    #[test]
    fn sqlplus_extras() {
        assert_eq!(escape_sqlplus("R&D"), "R\\x26D");
        assert_eq!(escape_sqlplus("a-b-"), "a-b\\x2D");
        assert_eq!(escape_sqlplus("x\ny"), "x\\ny");
    }
}
