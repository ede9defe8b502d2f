//! Object text that a legacy database's catalog gives otherwise than its data is read: a view,
//! a default, a CHECK literal, a comment, a function body or a name written by a Windows
//! client (bytes 0x80–0x9F, `€` `“` `”`) or by a UTF-8 client (`é` stored as C3 A9) into a
//! LATIN1 database. The server converts catalog text as LATIN1, so the first arrives as C1
//! control characters (U+0080–U+009F) and the second as `Ã©`, while `charmig copy` reads the
//! data with the reading the scan chose (WIN1252, `auto`): a view `WHERE cur = '€'` created
//! as the catalog gives it would then select nothing on the target, silently, and verify
//! would compare the two catalogs as equal.
//!
//! `charmig schema` does not guess which reading an object's author meant: a statement holding
//! such text is not run (logged failed, with what it holds) unless accepted
//! (`--accept-object-text [OBJECT]…`); verify compares the source's text as it was meant
//! ([`as_meant`]) and reports such text left in the target.
//!
//! Double-encoded text is recognised more narrowly here than in the data scan (which lists
//! cells for review): only UTF-8 sequences of Latin-1 letters and symbols (`Ã©`, `Â°`), of
//! Latin Extended-A, Greek and Cyrillic letters (`Å“` for `œ`, `Ä…` for `ą`, `Ð¿` for `п`) and
//! of punctuation and currency (`â‚¬`, `â€™`), so a name or comment with `«CAFÉ»` or `Fuß“`
//! (IPA and NKo code points) is not taken for one.

use std::borrow::Cow;

/// Which objects' text is created as the catalog gives it (`--accept-object-text`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Accept {
    /// None: such statements are not run.
    #[default]
    None,
    /// Every object.
    All,
    /// These objects (`schema.name`, as the run names them).
    Only(Vec<String>),
}

impl Accept {
    /// From the option's values: absent, given bare (all), or given objects.
    pub fn from_option(v: Option<&[String]>) -> Accept {
        match v {
            None => Accept::None,
            Some([]) => Accept::All,
            Some(list) => Accept::Only(list.to_vec()),
        }
    }
    pub fn accepts(&self, schema: &str, name: &str) -> bool {
        match self {
            Accept::None => false,
            Accept::All => true,
            Accept::Only(list) => list.iter().any(|o| *o == format!("{schema}.{name}")),
        }
    }
}

/// The byte a character stood for in a misread (its Latin-1 or Windows-1252 byte).
fn byte_of(c: char) -> Option<u8> {
    crate::charset::misread_byte(c)
}

/// The Windows-1252 character a C1 control's byte stands for, where Windows-1252 defines one.
fn cp1252_of(c: char) -> Option<char> {
    let b = u8::try_from(c as u32)
        .ok()
        .filter(|b| (0x80..0xA0).contains(b))?;
    char::from_u32(u32::from(crate::charset::tables::CP1252[b as usize]))
        .filter(|w| *w != c && *w != '\u{fffd}' && *w != '\u{ffff}')
}

/// A double-encoded run starting at `chars[i]`: its length in characters and the character it
/// stands for, when it is one this check recognises (see the module's notes).
fn double_at(chars: &[char], i: usize) -> Option<(usize, char)> {
    let lead = byte_of(chars[i])?;
    let need = match lead {
        0xC2..=0xC5 | 0xCE..=0xD1 => 1,
        0xE2 => 2,
        _ => return None,
    };
    let mut bytes = vec![lead];
    for c in chars.get(i + 1..i + 1 + need)? {
        let b = byte_of(*c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        bytes.push(b);
    }
    let meant = std::str::from_utf8(&bytes).ok()?.chars().next()?;
    let ok = match lead {
        0xC2 => meant >= '\u{A0}',
        0xC3 => true,
        // Latin Extended-A (ą ę č ğ ı ł œ š ž…), Greek and Cyrillic letters.
        0xC4 | 0xC5 | 0xCE..=0xD1 => meant.is_alphabetic(),
        _ => {
            ('\u{2000}'..='\u{20CF}').contains(&meant) || ('\u{2100}'..='\u{214F}').contains(&meant)
        }
    };
    ok.then_some((need + 1, meant))
}

/// Why `sql` looks misread, if it does: the C1 characters it holds (with the Windows-1252
/// character each byte stands for), or a double-encoded sequence.
pub fn misread(sql: &str) -> Option<String> {
    let mut c1: Vec<String> = Vec::new();
    for c in sql.chars().filter(|c| ('\u{80}'..='\u{9f}').contains(c)) {
        let b = c as u32 as u8;
        let named = match cp1252_of(c) {
            Some(w) => format!("U+{:04X} (byte 0x{b:02X}, {w} in Windows-1252)", c as u32),
            None => format!("U+{:04X} (byte 0x{b:02X})", c as u32),
        };
        if !c1.contains(&named) {
            c1.push(named);
        }
    }
    if !c1.is_empty() {
        return Some(format!(
            "its text holds the control character(s) {}: bytes a Windows client wrote, which the source's catalog \
             gives as Latin-1 controls",
            c1.join(", ")
        ));
    }
    let chars: Vec<char> = sql.chars().collect();
    (0..chars.len()).find_map(|i| {
        double_at(&chars, i).map(|(n, meant)| {
            let run: String = chars[i..i + n].iter().collect();
            format!(
                "its text looks double-encoded ({run} = {meant}): UTF-8 a UTF-8 client wrote, which the source's \
                 catalog gives as Latin-1 characters"
            )
        })
    })
}

/// `text` as its author meant it: C1 controls as the Windows-1252 characters their bytes
/// stand for, double-encoded runs as the characters they encode. Borrowed when unchanged.
pub fn as_meant(text: &str) -> Cow<'_, str> {
    if misread(text).is_none() {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some((n, meant)) = double_at(&chars, i) {
            out.push(meant);
            i += n;
            continue;
        }
        out.push(cp1252_of(chars[i]).unwrap_or(chars[i]));
        i += 1;
    }
    Cow::Owned(out)
}

/// Every string of `value` (a serialized schema model) as its author meant it.
pub fn value_as_meant(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let Cow::Owned(m) = as_meant(s) {
                *s = m;
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(value_as_meant),
        serde_json::Value::Object(o) => o.values_mut().for_each(value_as_meant),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_and_double_encoded_text_are_named_plain_text_is_not() {
        let v = misread("CREATE VIEW eur AS SELECT id FROM prices WHERE cur = '\u{80}'").unwrap();
        assert!(v.contains("U+0080 (byte 0x80, € in Windows-1252)"), "{v}");
        let d = misread("CREATE VIEW paid AS SELECT 1 WHERE s = 'payÃ©'").unwrap();
        assert!(d.contains("(Ã© = é)"), "{d}");
        assert!(misread("x = 'â‚¬ 5'").unwrap().contains("(â‚¬ = €)"));
        assert!(misread("x = 'cÅ“ur'").unwrap().contains("(Å“ = œ)"));
        for (run, meant) in [("Ä…", "ą"), ("Ä±", "ı"), ("Ð¿", "п"), ("Î±", "α")] {
            let m = misread(&format!("x = '{run}'")).unwrap_or_else(|| panic!("{run}"));
            assert!(m.contains(&format!("({run} = {meant})")), "{m}");
        }
        assert_eq!(
            misread("CREATE TABLE \"café\" (prix numeric DEFAULT 0, note text DEFAULT 'déjà vu')"),
            None
        );
        // Legitimate text near the old rule's false alarms.
        for ok in ["«CAFÉ»", "„Fuß“", "«groß»", "ÉTÉ\u{A0}:", "Ø°C", "ÑÃO"] {
            assert_eq!(misread(ok), None, "{ok}");
        }
        // A C1 byte cp1252 leaves undefined is still named.
        assert!(misread("x\u{81}").unwrap().contains("U+0081 (byte 0x81)"));
    }

    #[test]
    fn text_as_meant_undoes_both_misreads_and_keeps_the_rest() {
        assert_eq!(
            as_meant("cur = '\u{80}' AND s = 'payÃ©'"),
            "cur = '€' AND s = 'payé'"
        );
        assert_eq!(as_meant("«CAFÉ» \u{81}"), "«CAFÉ» \u{81}");
        let mut v = serde_json::json!({"a": ["Ã©", 1, {"b": "\u{93}x\u{94}"}]});
        value_as_meant(&mut v);
        assert_eq!(v, serde_json::json!({"a": ["é", 1, {"b": "“x”"}]}));
    }
}
