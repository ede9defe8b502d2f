//! Repairs: what a damaged value was meant to say, and how to store it.
//!
//! - `cp1252`: C1 bytes (0x80–0x9F) that the source charset leaves undefined are read as
//!   Windows-1252 (‘ ’ “ ” € – …), every other byte as the source charset.
//! - `assume=CHARSET`: the whole value is read as another charset.
//! - `undouble`: a value that is valid multi-byte UTF-8 inside single-byte data is read as
//!   UTF-8 (Ã© -> é), only where the result is valid and unambiguous.
//!
//! The intended text is then written for a UTF-8 target as it is, or back into the source
//! charset, where characters it lacks are transliterated (“ -> ", € -> the source's euro when
//! it has one) and each transliteration is listed.

use crate::charset::{Charset, Encoding, Policy, tables};

/// How to read a damaged value.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    Cp1252,
    /// The whole value read as this charset.
    Assume(&'static Charset),
    Undouble,
}

/// Why a value cannot be repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unrepairable {
    /// A byte no reading defines (e.g. 0x81).
    UndefinedByte { offset: usize, byte: u8 },
    /// `undouble`: the value is not valid UTF-8 or has no multi-byte sequence.
    NotDoubleEncoded,
    /// The source charset is not a single-byte charset.
    NotSingleByte,
}

impl std::fmt::Display for Unrepairable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unrepairable::UndefinedByte { offset, byte } => write!(
                f,
                "byte 0x{byte:02X} at offset {offset} has no meaning in any reading"
            ),
            Unrepairable::NotDoubleEncoded => write!(
                f,
                "not double-encoded UTF-8 (not valid UTF-8, or nothing beyond ASCII)"
            ),
            Unrepairable::NotSingleByte => {
                write!(f, "repairs apply to single-byte source charsets")
            }
        }
    }
}

use crate::charset::convert::decode_byte as defined;

/// Characters a re-encoding replaced, with what replaced them.
pub type Transliterated = Vec<(char, String)>;

/// The text a stored value was meant to hold.
pub fn intended_text(bytes: &[u8], source: Encoding, mode: Mode) -> Result<String, Unrepairable> {
    match mode {
        Mode::Undouble => {
            let s = std::str::from_utf8(bytes).map_err(|_| Unrepairable::NotDoubleEncoded)?;
            if s.is_ascii() {
                return Err(Unrepairable::NotDoubleEncoded);
            }
            Ok(s.to_string())
        }
        Mode::Assume(cs) => decode_all(bytes, cs.encoding),
        Mode::Cp1252 => {
            let Encoding::SingleByte { table, policy } = source else {
                return Err(Unrepairable::NotSingleByte);
            };
            bytes
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    defined(table, policy, b)
                        .or_else(|| {
                            if (0x80..0xA0).contains(&b) {
                                defined(&tables::CP1252, Policy::MappingOnly, b)
                            } else {
                                None
                            }
                        })
                        .ok_or(Unrepairable::UndefinedByte { offset: i, byte: b })
                })
                .collect()
        }
    }
}

fn decode_all(bytes: &[u8], enc: Encoding) -> Result<String, Unrepairable> {
    match enc {
        Encoding::SingleByte { table, policy } => bytes
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                defined(table, policy, b).ok_or(Unrepairable::UndefinedByte { offset: i, byte: b })
            })
            .collect(),
        _ => std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
            let offset = e.valid_up_to();
            Unrepairable::UndefinedByte {
                offset,
                byte: bytes[offset],
            }
        }),
    }
}

/// ASCII stand-ins for characters a single-byte source may lack.
fn transliteration(c: char) -> Option<&'static str> {
    Some(match c {
        '‘' | '’' | '‚' | '′' => "'",
        '“' | '”' | '„' | '″' => "\"",
        '–' | '—' | '‒' | '−' => "-",
        '…' => "...",
        '•' => "*",
        '€' => "EUR",
        '™' => "(TM)",
        '‰' => "0/00",
        '‹' => "<",
        '›' => ">",
        'ˆ' => "^",
        '˜' => "~",
        'ƒ' => "f",
        '†' => "+",
        '‡' => "++",
        'Œ' => "OE",
        'œ' => "oe",
        'Š' => "S",
        'š' => "s",
        'Ž' => "Z",
        'ž' => "z",
        'Ÿ' => "Y",
        '\u{00A0}' => " ",
        _ => return None,
    })
}

/// Bytes of `text` in a single-byte charset; characters it lacks are transliterated and
/// returned in the second element as (character, replacement). `Err` names a character with
/// neither a byte nor a transliteration.
pub fn encode_single_byte(text: &str, target: Encoding) -> Result<(Vec<u8>, Transliterated), char> {
    let Encoding::SingleByte { table, policy } = target else {
        return Ok((text.as_bytes().to_vec(), Vec::new()));
    };
    let mut reverse = std::collections::HashMap::new();
    for b in 0..=255u8 {
        if let Some(c) = defined(table, policy, b) {
            reverse.entry(c).or_insert(b);
        }
    }
    let mut out = Vec::with_capacity(text.len());
    let mut replaced = Vec::new();
    for c in text.chars() {
        if let Some(&b) = reverse.get(&c) {
            out.push(b);
        } else if let Some(t) = transliteration(c) {
            out.extend(t.bytes());
            replaced.push((c, t.to_string()));
        } else {
            return Err(c);
        }
    }
    Ok((out, replaced))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charset::{Dialect, resolve};
    use proptest::prelude::*;

    fn enc(name: &str) -> Encoding {
        resolve(name, Dialect::Oracle).unwrap().encoding
    }

    #[test]
    fn cp1252_quotes_in_latin9() {
        let t = intended_text(
            b"\x93we\x92ll\x94 \x80 5",
            enc("WE8ISO8859P15"),
            Mode::Cp1252,
        )
        .unwrap();
        assert_eq!(t, "“we’ll” € 5");
        // Back into Latin-9: quotes transliterated, the euro has its own byte (0xA4).
        let (bytes, replaced) = encode_single_byte(&t, enc("WE8ISO8859P15")).unwrap();
        assert_eq!(bytes, b"\"we'll\" \xA4 5");
        assert_eq!(replaced.len(), 3);
        // Latin-1 has no euro: EUR.
        let (bytes, _) = encode_single_byte("€", enc("WE8ISO8859P1")).unwrap();
        assert_eq!(bytes, b"EUR");
    }

    #[test]
    fn undefined_everywhere_is_unrepairable() {
        assert_eq!(
            intended_text(b"a\x81", enc("WE8ISO8859P1"), Mode::Cp1252),
            Err(Unrepairable::UndefinedByte {
                offset: 1,
                byte: 0x81
            })
        );
    }

    #[test]
    fn undouble_only_valid_multibyte_utf8() {
        assert_eq!(
            intended_text(b"caf\xC3\xA9", enc("WE8ISO8859P1"), Mode::Undouble).unwrap(),
            "café"
        );
        assert_eq!(
            intended_text(b"caf\xE9", enc("WE8ISO8859P1"), Mode::Undouble),
            Err(Unrepairable::NotDoubleEncoded)
        );
        assert_eq!(
            intended_text(b"plain", enc("WE8ISO8859P1"), Mode::Undouble),
            Err(Unrepairable::NotDoubleEncoded)
        );
    }

    proptest! {
        /// Decoding a Latin-9 value and encoding it back gives the exact bytes, with no
        /// transliteration (the audit table restores originals; this shows the mapping is exact).
        #[test]
        fn latin9_round_trip(v in proptest::collection::vec(prop_oneof![0x20u8..0x7F, 0xA0u8..=0xFF], 0..64)) {
            let t = intended_text(&v, enc("WE8ISO8859P15"), Mode::Cp1252).unwrap();
            let (back, replaced) = encode_single_byte(&t, enc("WE8ISO8859P15")).unwrap();
            prop_assert_eq!(back, v);
            prop_assert!(replaced.is_empty());
        }
    }
}
