//! Sanity of UTF-8 text: values that hold double-encoded sequences (`Ã©` for `é`: UTF-8 bytes
//! read as Latin-1 or windows-1252 and encoded again) or U+FFFD (a byte lost on the way).
//!
//! Verify counts both per character column on the target, and on the source's decoded values
//! for comparison (text that was already like that in the source is not a defect of the move).
//! The detector is the scan's (`charset::double_encoded`), so a post-move scan and verify
//! agree on what is double-encoded.

/// What a value holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    pub double_encoded: bool,
    pub replacement: bool,
}

/// True when `text` holds a double-encoded character (the scan's detector,
/// [`crate::charset::double_encoded`]: one definition for scan and verify).
pub fn has_double_encoding(text: &str) -> bool {
    crate::charset::double_encoded(text.as_bytes())
}

/// The marks of one value (UTF-8 bytes; a value that is not UTF-8 has neither mark).
pub fn marks(value: &[u8]) -> Marks {
    if value.is_ascii() {
        return Marks::default();
    }
    match std::str::from_utf8(value) {
        Ok(s) => Marks {
            double_encoded: has_double_encoding(s),
            replacement: s.contains('\u{FFFD}'),
        },
        Err(_) => Marks::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_text_is_found() {
        assert!(has_double_encoding("cafÃ©"));
        // '€' (E2 82 AC) read as windows-1252: â ‚ ¬
        assert!(has_double_encoding("5 â‚¬"));
        // Read as Latin-1, the 0x82 becomes U+0082.
        assert!(has_double_encoding("5 \u{e2}\u{82}\u{ac}"));
        // A 4-byte character (U+1F600, F0 9F 98 80) through windows-1252: ð Ÿ ˜ €
        assert!(has_double_encoding("x ðŸ˜€"));
    }

    #[test]
    fn clean_text_is_not_flagged() {
        for s in [
            "café",
            "Ã",
            "Ã and more",
            "naïve Zoë",
            "€ 5",
            "ÂA",
            "ðŸ",
            "",
        ] {
            assert!(!has_double_encoding(s), "{s}");
        }
    }

    #[test]
    fn marks_of_values() {
        assert_eq!(
            marks("a\u{FFFD}b".as_bytes()),
            Marks {
                double_encoded: false,
                replacement: true
            }
        );
        assert_eq!(marks(b"plain"), Marks::default());
        assert_eq!(marks(b"caf\xe9"), Marks::default());
        assert!(marks("Ã©tÃ©".as_bytes()).double_encoded);
    }
}
