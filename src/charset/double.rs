//! Double-encoded text in UTF-8 data: the check a UTF-8 source (a target after the move, a
//! UTF8 PostgreSQL database) gets instead of the single-byte rules, so a post-move scan
//! catches values that were converted twice (`é` -> `Ã©`). Used by the classifier for every
//! valid non-ASCII UTF-8 / CESU-8 cell and by `verify`'s target-sanity scan.

use super::tables;

/// The byte a character stood for before a wrong decoding turned it into this character:
/// U+0080–U+00FF as Latin-1 (which also covers the C1 bytes cp1252 leaves undefined), and the
/// 27 characters cp1252 puts at 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ).
pub fn misread_byte(c: char) -> Option<u8> {
    let cp = c as u32;
    if (0x80..=0xFF).contains(&cp) {
        return Some(cp as u8);
    }
    (0x80..0xA0u8).find(|&b| u32::from(tables::CP1252[b as usize]) == cp)
}

/// True when valid UTF-8 (or CESU-8) text holds double-encoded text: a character U+00C2–U+00F4
/// followed by characters whose cp1252/latin1 bytes, together with its own byte, form a valid
/// multi-byte UTF-8 sequence (`é` stored as C3 A9 and read as cp1252 is `Ã©`, which UTF-8
/// encodes as C3 83 C2 A9). Such text was UTF-8 before a second conversion.
///
/// Every such lead character is encoded as C3 82–C3 B4, so a cell without a 0xC3 byte is
/// answered by one `memchr`. A legitimate text can match (an upper-case accented letter right
/// before a cp1252 punctuation mark, `É’`): findings are listed for review, never changed.
pub fn double_encoded(bytes: &[u8]) -> bool {
    let mut from = 0;
    while let Some(p) = memchr::memchr(0xC3, &bytes[from..]) {
        let at = from + p;
        from = at + 1;
        let Some(&b2) = bytes.get(at + 1) else {
            break;
        };
        if !(0x82..=0xB4).contains(&b2) {
            continue;
        }
        let lead = b2 + 0x40;
        let need = match lead {
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            _ => 3,
        };
        let mut seq = [lead, 0, 0, 0];
        let mut j = at + 2;
        let mut ok = true;
        for slot in seq.iter_mut().skip(1).take(need) {
            let Some(c) = char_at(bytes, j) else {
                ok = false;
                break;
            };
            match misread_byte(c) {
                Some(b) if (0x80..0xC0).contains(&b) => *slot = b,
                _ => {
                    ok = false;
                    break;
                }
            }
            j += c.len_utf8();
        }
        if ok && std::str::from_utf8(&seq[..=need]).is_ok() {
            return true;
        }
    }
    false
}

/// The text before its second encoding, when the whole value undoes cleanly: every character
/// mapped back to its cp1252/latin1 byte (ASCII as itself) and the bytes valid UTF-8 that
/// differ from the input. `None` when some character has no such byte or the bytes are not
/// UTF-8 (a value that is only partly double-encoded).
pub fn undouble(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else {
            out.push(misread_byte(c)?);
        }
    }
    let s = String::from_utf8(out).ok()?;
    (s != text).then_some(s)
}

/// The character starting at `bytes[i]`, when one does (a BMP character of valid UTF-8).
fn char_at(bytes: &[u8], i: usize) -> Option<char> {
    let len = match *bytes.get(i)? {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    std::str::from_utf8(bytes.get(i..i + len)?)
        .ok()?
        .chars()
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn twice(s: &str) -> Vec<u8> {
        // Read UTF-8 bytes as cp1252 (undefined bytes as Latin-1), encode again.
        s.bytes()
            .map(|b| {
                let cp = tables::CP1252[b as usize];
                if cp == tables::UNDEFINED {
                    char::from(b)
                } else {
                    char::from_u32(u32::from(cp)).unwrap()
                }
            })
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn finds_text_encoded_twice() {
        for s in [
            "café", "Straße", "Łódź", "Košice", "naïve", "€ 5", "it’s", "日本",
        ] {
            let d = twice(s);
            assert!(double_encoded(&d), "{s} -> {}", String::from_utf8_lossy(&d));
            assert!(
                !double_encoded(s.as_bytes()),
                "{s} itself is not double-encoded"
            );
        }
        assert_eq!(twice("é"), "Ã©".as_bytes());
        let d = String::from_utf8(twice("Straße – ok")).unwrap();
        assert_eq!(undouble(&d).as_deref(), Some("Straße – ok"));
        assert_eq!(undouble("café"), None);
        assert_eq!(undouble("plain"), None);
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for s in [
            "SÃO PAULO",
            "ÇÃO",
            "Ãgua",
            "Ã",
            "plain",
            "Müller – Ärger",
            "ÀÁÂÃÄÅ",
            "",
        ] {
            assert!(!double_encoded(s.as_bytes()), "{s}");
        }
    }
}
