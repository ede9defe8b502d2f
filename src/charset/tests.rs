use super::*;
use crate::charset::classify::{ColumnProfile, Limit, LimitKind};

fn profile(cs: &str, dialect: Dialect, limit: Option<usize>) -> ColumnProfile {
    let c = resolve(cs, dialect).expect("known charset");
    ColumnProfile::new(
        c.encoding,
        Target::Al32Utf8,
        false,
        limit.map(|bytes| Limit {
            bytes,
            kind: LimitKind::Column,
        }),
        None,
    )
}

#[test]
fn iso8859_15_euro_grows_to_three_bytes() {
    let p = profile("WE8ISO8859P15", Dialect::Oracle, None);
    let v = classify(b"\xA4", &p);
    assert_eq!(v.category, Category::Convertible);
    assert_eq!(v.post_bytes, 3);
    let p1 = profile("WE8ISO8859P1", Dialect::Oracle, None);
    assert_eq!(classify(b"\xA4", &p1).post_bytes, 2);
}

#[test]
fn c1_bytes_are_lossy_in_iso_and_flagged_stray() {
    let p = profile("WE8ISO8859P15", Dialect::Oracle, None);
    let v = classify(b"it\x92s", &p);
    assert_eq!(v.category, Category::Lossy);
    assert!(v.flags.contains(Flags::STRAY_CP1252));
    assert_eq!(v.first_undefined, Some(2));
    // 0x81 is undefined in cp1252 too: lossy, but not a printable stray byte.
    let v = classify(b"\x81", &p);
    assert_eq!(v.category, Category::Lossy);
    assert!(!v.flags.contains(Flags::STRAY_CP1252));
}

#[test]
fn win1252_undefined_bytes_are_exactly_five() {
    let p = profile("WE8MSWIN1252", Dialect::Oracle, None);
    let lossy: Vec<u8> = (0x80u8..=0xFF)
        .filter(|&b| classify(&[b], &p).category == Category::Lossy)
        .collect();
    assert_eq!(lossy, vec![0x81, 0x8D, 0x8F, 0x90, 0x9D]);
}

#[test]
fn us7ascii_every_high_byte_is_lossy() {
    let p = profile("US7ASCII", Dialect::Oracle, None);
    for b in 0x80u8..=0xFF {
        assert_eq!(
            classify(&[b'a', b], &p).category,
            Category::Lossy,
            "byte {b:#x}"
        );
    }
    assert_eq!(classify(b"plain", &p).category, Category::Changeless);
}

#[test]
fn byte_limit_truncation_and_char_blanks() {
    let c = resolve("WE8ISO8859P1", Dialect::Oracle).unwrap();
    let lim = Some(Limit {
        bytes: 4,
        kind: LimitKind::Column,
    });
    let p = ColumnProfile::new(c.encoding, Target::Al32Utf8, true, lim, None);
    // "café" is 5 bytes in UTF-8 > 4.
    assert_eq!(classify(b"caf\xE9", &p).category, Category::Truncation);
    // CHAR padding does not count: "\xE9\xE9  " -> 4 bytes without blanks.
    let v = classify(b"\xE9\xE9  ", &p);
    assert_eq!((v.category, v.post_bytes), (Category::Convertible, 4));
}

#[test]
fn utf8_passthrough_and_cesu_flags_in_latin_data() {
    let p = profile("WE8ISO8859P1", Dialect::Oracle, None);
    assert!(
        classify(b"caf\xC3\xA9", &p)
            .flags
            .contains(Flags::UTF8_PASSTHROUGH)
    );
    assert!(
        !classify(b"caf\xE9 ", &p)
            .flags
            .contains(Flags::UTF8_PASSTHROUGH)
    );
    assert!(
        classify(b"\xED\xA0\xBD\xED\xB8\x80", &p)
            .flags
            .contains(Flags::CESU8_SURROGATES)
    );
    assert!(
        classify(b"x\xEF\xBF\xBD", &p)
            .flags
            .contains(Flags::REPLACEMENT_CHAR)
    );
}

#[test]
fn utf8_sources_validate() {
    let p = profile("AL32UTF8", Dialect::Oracle, None);
    assert_eq!(
        classify("é😀".as_bytes(), &p).category,
        Category::Changeless
    );
    let v = classify(b"ab\xE9", &p);
    assert_eq!((v.category, v.first_undefined), (Category::Lossy, Some(2)));
    let v = classify(b"\xED\xA0\xBD\xED\xB8\x80", &p);
    assert_eq!(v.category, Category::Lossy);
    assert!(v.flags.contains(Flags::CESU8_SURROGATES));
}

#[test]
fn cesu8_source_pairs_shrink_for_al32utf8() {
    let p = profile("UTF8", Dialect::Oracle, None);
    let v = classify(b"\xED\xA0\xBD\xED\xB8\x80", &p);
    assert_eq!((v.category, v.post_bytes), (Category::Convertible, 4));
    assert_eq!(classify("😀".as_bytes(), &p).category, Category::Lossy);
    let lone = classify(b"\xED\xA0\xBD", &p);
    assert_eq!(lone.category, Category::Lossy);
}

#[test]
fn cesu8_target_grows_supplementary() {
    let c = resolve("AL32UTF8", Dialect::Oracle).unwrap();
    let p = ColumnProfile::new(c.encoding, Target::Cesu8, false, None, None);
    let v = classify("😀".as_bytes(), &p);
    assert_eq!((v.category, v.post_bytes), (Category::Convertible, 6));
}

#[test]
fn utf8_name_depends_on_dialect() {
    assert!(matches!(
        resolve("UTF8", Dialect::Oracle).unwrap().encoding,
        Encoding::Cesu8
    ));
    assert!(matches!(
        resolve("utf8", Dialect::Postgres).unwrap().encoding,
        Encoding::Utf8
    ));
    assert!(matches!(
        resolve("SQL_ASCII", Dialect::Postgres).unwrap().encoding,
        Encoding::Undeclared
    ));
    assert_eq!(
        resolve("latin9", Dialect::Postgres).unwrap().oracle,
        Some("WE8ISO8859P15")
    );
    assert!(resolve("EBCDIC", Dialect::Oracle).is_none());
}

#[test]
fn preview_escapes_undefined_bytes() {
    let p = profile("WE8ISO8859P15", Dialect::Oracle, None);
    assert_eq!(
        decode_preview(b"\x93hi\x94 \xA4\n", &p, 60),
        "\\x93hi\\x94 €\\n"
    );
    assert_eq!(decode_preview(b"abcdef", &p, 3), "abc…");
}

#[test]
fn lossy_post_bytes_count_each_undefined_byte_as_u_fffd() {
    // "it" + 0x92 + "s": 3 defined bytes + one undefined byte as EF BF BD = 6.
    let p = profile("WE8ISO8859P15", Dialect::Oracle, None);
    assert_eq!(classify(b"it\x92s", &p).post_bytes, 6);
    // 0xE9 (é, 2 bytes) + 0x81 (U+FFFD, 3 bytes).
    assert_eq!(classify(b"\xE9\x81", &p).post_bytes, 5);
    // AL32UTF8: "ab" + C3 A9 + lone 0xE9 -> 2 + 2 + 3.
    let p = profile("AL32UTF8", Dialect::Oracle, None);
    assert_eq!(classify(b"ab\xC3\xA9\xE9", &p).post_bytes, 7);
    // Oracle UTF8 (CESU-8): a valid pair shrinks to 4, a lone high surrogate is 3 invalid bytes.
    let p = profile("UTF8", Dialect::Oracle, None);
    let v = classify(b"\xED\xA0\xBD\xED\xB8\x80\xED\xA0\xBD", &p);
    assert_eq!(
        (v.category, v.post_bytes, v.first_undefined),
        (Category::Lossy, 4 + 9, Some(6))
    );
    assert!(v.flags.contains(Flags::CESU8_SURROGATES));
}

mod edges;
mod props;
mod tables_check;
