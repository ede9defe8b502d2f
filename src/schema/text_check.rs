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
//! such text is not run (logged failed, with what it holds) unless `--accept-object-text`, and
//! verify reports such text in the target.

/// Why `sql` looks misread, if it does: the C1 characters it holds (with the Windows-1252
/// character each byte stands for), or a double-encoded sequence.
pub fn misread(sql: &str) -> Option<String> {
    let c1: Vec<String> = sql
        .chars()
        .filter(|c| ('\u{80}'..='\u{9f}').contains(c))
        .map(|c| {
            let b = c as u32 as u8;
            match char::from_u32(u32::from(crate::charset::tables::CP1252[b as usize])) {
                Some(w) if w != c && w != '\u{fffd}' && w != '\u{ffff}' => {
                    format!("U+{:04X} (byte 0x{b:02X}, {w} in Windows-1252)", c as u32)
                }
                _ => format!("U+{:04X} (byte 0x{b:02X})", c as u32),
            }
        })
        .collect();
    if !c1.is_empty() {
        let mut seen: Vec<String> = Vec::new();
        for c in c1 {
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
        return Some(format!(
            "its text holds the control character(s) {}: bytes a Windows client wrote, which the source's catalog \
             gives as Latin-1 controls",
            seen.join(", ")
        ));
    }
    if crate::charset::double_encoded(sql.as_bytes()) {
        let sample = double_sample(sql);
        return Some(format!(
            "its text looks double-encoded ({sample}): UTF-8 a UTF-8 client wrote, which the source's catalog gives \
             as Latin-1 characters"
        ));
    }
    None
}

/// The first double-encoded run of `sql` and what it stands for (`Ã© = é`).
fn double_sample(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    for i in 0..chars.len() {
        let Some(lead) = crate::charset::misread_byte(chars[i]) else {
            continue;
        };
        let need = match lead {
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF4 => 3,
            _ => continue,
        };
        let mut bytes = vec![lead];
        for c in chars.iter().skip(i + 1).take(need) {
            match crate::charset::misread_byte(*c) {
                Some(b) => bytes.push(b),
                None => break,
            }
        }
        if let Ok(s) = std::str::from_utf8(&bytes)
            && bytes.len() == need + 1
        {
            let run: String = chars[i..=i + need].iter().collect();
            return format!("{run} = {s}");
        }
    }
    "a sequence".into()
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
        assert_eq!(
            misread("CREATE TABLE \"café\" (prix numeric DEFAULT 0, note text DEFAULT 'déjà vu')"),
            None
        );
        // A C1 byte cp1252 leaves undefined is still named.
        assert!(misread("x\u{81}").unwrap().contains("U+0081 (byte 0x81)"));
    }
}
