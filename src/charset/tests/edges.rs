//! Byte-literal tests at the edges of every supported charset family, and the same special
//! bytes padded at every offset of ASCII buffers (lengths 0..=64), as chardetng and
//! encoding_rs test their fast paths: the verdict must not depend on where a byte sits.

use super::super::*;
use crate::charset::classify::{ColumnProfile, Limit, LimitKind};

fn profile_to(cs: &str, target: Target) -> ColumnProfile {
    let c = resolve(cs, Dialect::Oracle).unwrap_or_else(|| panic!("{cs} is supported"));
    ColumnProfile::new(c.encoding, target, false, None, None)
}

fn profile(cs: &str) -> ColumnProfile {
    profile_to(cs, Target::Al32Utf8)
}

/// What one byte must be in a charset: `Some(code point)` or `None` (undefined: lossy).
fn expect_byte(cs: &str, b: u8, expected: Option<u32>) {
    for target in [Target::Al32Utf8, Target::Cesu8] {
        let p = profile_to(cs, target);
        let v = classify(&[b], &p);
        let conv = p.convert(&[b]);
        match expected.map(|cp| char::from_u32(cp).expect("scalar")) {
            None => {
                assert_eq!(v.category, Category::Lossy, "{cs} byte {b:#04X}");
                assert_eq!(v.first_undefined, Some(0), "{cs} byte {b:#04X}");
                assert_eq!(conv, Err(0), "{cs} byte {b:#04X}");
            }
            Some(c) => {
                let utf8 = c.to_string().into_bytes();
                let category = if b < 0x80 {
                    Category::Changeless
                } else {
                    Category::Convertible
                };
                assert_eq!(v.category, category, "{cs} byte {b:#04X}");
                assert_eq!(v.post_bytes, utf8.len(), "{cs} byte {b:#04X}");
                assert_eq!(
                    conv.as_deref(),
                    Ok(&utf8[..]),
                    "{cs} byte {b:#04X} -> U+{:04X}",
                    c as u32
                );
                assert_eq!(
                    encode(&c.to_string(), &p.encoding()),
                    Some(vec![b]),
                    "{cs} U+{:04X}",
                    c as u32
                );
            }
        }
    }
}

/// Checks the undefined set of a charset over 0x80..=0xFF exactly.
fn expect_undefined(cs: &str, undefined: &[u8]) {
    let p = profile(cs);
    let lossy: Vec<u8> = (0x80u8..=0xFF)
        .filter(|&b| classify(&[b], &p).category == Category::Lossy)
        .collect();
    assert_eq!(lossy, undefined, "{cs}: undefined bytes");
    for b in 0x80u8..=0xFF {
        assert_eq!(
            p.convert(&[b]).is_err(),
            undefined.contains(&b),
            "{cs} convert byte {b:#04X}"
        );
    }
    for b in 0u8..0x80 {
        expect_byte(cs, b, Some(u32::from(b)));
    }
}

const C1: std::ops::RangeInclusive<u8> = 0x80..=0x9F;

#[test]
fn latin1_edges() {
    let c1: Vec<u8> = C1.collect();
    expect_undefined("WE8ISO8859P1", &c1);
    expect_byte("WE8ISO8859P1", 0x7F, Some(0x7F));
    expect_byte("WE8ISO8859P1", 0x80, None);
    expect_byte("WE8ISO8859P1", 0x9F, None);
    expect_byte("WE8ISO8859P1", 0xA0, Some(0xA0));
    expect_byte("WE8ISO8859P1", 0xFF, Some(0xFF));
}

#[test]
fn latin9_differs_from_latin1_in_eight_bytes() {
    let c1: Vec<u8> = C1.collect();
    expect_undefined("WE8ISO8859P15", &c1);
    let diffs: [(u8, u32, u32); 8] = [
        (0xA4, 0x20AC, 0xA4), // € vs ¤
        (0xA6, 0x0160, 0xA6), // Š vs ¦
        (0xA8, 0x0161, 0xA8), // š vs ¨
        (0xB4, 0x017D, 0xB4), // Ž vs ´
        (0xB8, 0x017E, 0xB8), // ž vs ¸
        (0xBC, 0x0152, 0xBC), // Œ vs ¼
        (0xBD, 0x0153, 0xBD), // œ vs ½
        (0xBE, 0x0178, 0xBE), // Ÿ vs ¾
    ];
    for (b, p15, p1) in diffs {
        expect_byte("WE8ISO8859P15", b, Some(p15));
        expect_byte("WE8ISO8859P1", b, Some(p1));
    }
    // Everything else above 0x9F is the same in both.
    let (t15, t1) = (&tables::ISO8859_15, &tables::ISO8859_1);
    let same = (0xA0..=0xFFusize).filter(|&b| t15[b] == t1[b]).count();
    assert_eq!(same, 96 - 8);
    expect_byte("WE8ISO8859P15", 0xA0, Some(0xA0));
    expect_byte("WE8ISO8859P15", 0xFF, Some(0xFF));
    // The euro sign grows to 3 bytes, Latin letters to 2.
    assert_eq!(
        classify(b"\xA4\xE9", &profile("WE8ISO8859P15")).post_bytes,
        5
    );
}

#[test]
fn cp1252_edges_and_each_undefined_byte() {
    expect_undefined("WE8MSWIN1252", &[0x81, 0x8D, 0x8F, 0x90, 0x9D]);
    for b in [0x81u8, 0x8D, 0x8F, 0x90, 0x9D] {
        expect_byte("WE8MSWIN1252", b, None);
        // Undefined in cp1252 itself, hence never "stray cp1252" in an ISO source.
        assert!(
            !classify(&[b], &profile("WE8ISO8859P1"))
                .flags
                .contains(Flags::STRAY_CP1252)
        );
    }
    expect_byte("WE8MSWIN1252", 0x7F, Some(0x7F));
    expect_byte("WE8MSWIN1252", 0x80, Some(0x20AC));
    expect_byte("WE8MSWIN1252", 0x92, Some(0x2019));
    expect_byte("WE8MSWIN1252", 0x9F, Some(0x0178));
    expect_byte("WE8MSWIN1252", 0xA0, Some(0xA0));
    expect_byte("WE8MSWIN1252", 0xFF, Some(0xFF));
    // The other 27 C1 bytes are stray cp1252 in an ISO-8859-15 source.
    let p15 = profile("WE8ISO8859P15");
    let stray = C1
        .filter(|&b| classify(&[b], &p15).flags.contains(Flags::STRAY_CP1252))
        .count();
    assert_eq!(stray, 27);
}

#[test]
fn us7ascii_edges() {
    let high: Vec<u8> = (0x80..=0xFF).collect();
    expect_undefined("US7ASCII", &high);
    for b in [0x80, 0x9F, 0xA0, 0xFF] {
        expect_byte("US7ASCII", b, None);
    }
    expect_byte("US7ASCII", 0x00, Some(0));
    expect_byte("US7ASCII", 0x7F, Some(0x7F));
}

#[test]
fn central_european_edges() {
    let c1: Vec<u8> = C1.collect();
    expect_undefined("EE8ISO8859P2", &c1);
    expect_byte("EE8ISO8859P2", 0xA0, Some(0xA0));
    expect_byte("EE8ISO8859P2", 0xA1, Some(0x0104)); // Ą
    expect_byte("EE8ISO8859P2", 0xFF, Some(0x02D9)); // ˙
    expect_undefined("EE8MSWIN1250", &[0x81, 0x83, 0x88, 0x90, 0x98]);
    expect_byte("EE8MSWIN1250", 0x80, Some(0x20AC));
    expect_byte("EE8MSWIN1250", 0x9F, Some(0x017A)); // ź
    expect_byte("EE8MSWIN1250", 0xFF, Some(0x02D9));
    expect_undefined("WE8ISO8859P9", &c1);
    expect_byte("WE8ISO8859P9", 0xD0, Some(0x011E)); // Ğ
    expect_byte("WE8ISO8859P9", 0xDD, Some(0x0130)); // İ
    expect_byte("WE8ISO8859P9", 0xFF, Some(0xFF));
    expect_undefined("TR8MSWIN1254", &[0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E]);
    expect_undefined(
        "BLT8MSWIN1257",
        &[
            0x81, 0x83, 0x88, 0x8A, 0x8C, 0x90, 0x98, 0x9A, 0x9C, 0x9F, 0xA1, 0xA5,
        ],
    );
}

#[test]
fn cyrillic_edges() {
    let c1: Vec<u8> = C1.collect();
    expect_undefined("CL8ISO8859P5", &c1);
    expect_byte("CL8ISO8859P5", 0xA0, Some(0xA0));
    expect_byte("CL8ISO8859P5", 0xAD, Some(0xAD)); // soft hyphen
    expect_byte("CL8ISO8859P5", 0xF0, Some(0x2116)); // №
    expect_byte("CL8ISO8859P5", 0xFF, Some(0x045F)); // џ
    expect_undefined("CL8MSWIN1251", &[0x98]);
    expect_byte("CL8MSWIN1251", 0x80, Some(0x0402)); // Ђ
    expect_byte("CL8MSWIN1251", 0x98, None);
    expect_byte("CL8MSWIN1251", 0xFF, Some(0x044F)); // я
    expect_undefined("CL8KOI8R", &[]);
    expect_byte("CL8KOI8R", 0x80, Some(0x2500)); // ─
    expect_byte("CL8KOI8R", 0x9A, Some(0xA0));
    expect_byte("CL8KOI8R", 0xFF, Some(0x042A)); // Ъ
}

#[test]
fn greek_edges() {
    let mut undefined: Vec<u8> = C1.collect();
    undefined.extend([0xAE, 0xD2, 0xFF]);
    expect_undefined("EL8ISO8859P7", &undefined);
    expect_byte("EL8ISO8859P7", 0xA4, Some(0x20AC)); // 2003 edition: €
    expect_byte("EL8ISO8859P7", 0xA5, Some(0x20AF)); // ₯
    expect_byte("EL8ISO8859P7", 0xAA, Some(0x037A)); // ͺ
    expect_byte("EL8ISO8859P7", 0xFE, Some(0x03CE)); // ώ
    expect_undefined(
        "EL8MSWIN1253",
        &[
            0x81, 0x88, 0x8A, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x98, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F,
            0xAA, 0xD2, 0xFF,
        ],
    );
    expect_byte("EL8MSWIN1253", 0xA2, Some(0x0386)); // Ά
}

#[test]
fn hebrew_and_arabic_edges() {
    expect_undefined(
        "IW8MSWIN1255",
        &[
            0x81, 0x8A, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F, 0xCA, 0xD9,
            0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF, 0xFB, 0xFC, 0xFF,
        ],
    );
    expect_byte("IW8MSWIN1255", 0xE0, Some(0x05D0)); // א
    expect_byte("IW8MSWIN1255", 0xFA, Some(0x05EA)); // ת
    expect_undefined("AR8MSWIN1256", &[]);
    expect_byte("AR8MSWIN1256", 0xFF, Some(0x06D2));
}

#[test]
fn every_table_maps_ascii_to_itself() {
    // classify() and convert() take ASCII as changeless without looking at the table.
    for cs in all_charsets() {
        if let Encoding::SingleByte { table, .. } = cs.encoding {
            for b in 0..0x80u16 {
                assert_eq!(
                    table[b as usize],
                    b,
                    "{} byte {b:#04X}",
                    cs.name(Dialect::Oracle)
                );
            }
        }
    }
}

/// (bytes, source, target, expected conversion or first bad offset, flags)
type Case = (
    &'static [u8],
    &'static str,
    Target,
    Result<&'static [u8], usize>,
    Flags,
);

const NONE: Flags = Flags::EMPTY;

fn unicode_cases() -> Vec<Case> {
    use Target::{Al32Utf8 as AL, Cesu8 as CE};
    let sur = Flags::CESU8_SURROGATES;
    let emoji: &[u8] = b"\xF0\x9F\x98\x80"; // U+1F600
    let pair: &[u8] = b"\xED\xA0\xBD\xED\xB8\x80"; // the same as a CESU-8 surrogate pair
    vec![
        // AL32UTF8 sources.
        (b"\xC3\xA9", "AL32UTF8", AL, Ok(b"\xC3\xA9"), NONE),
        (emoji, "AL32UTF8", AL, Ok(emoji), NONE),
        (emoji, "AL32UTF8", CE, Ok(pair), NONE),
        (
            b"a\xF4\x8F\xBF\xBF",
            "AL32UTF8",
            CE,
            Ok(b"a\xED\xAF\xBF\xED\xBF\xBF"),
            NONE,
        ), // U+10FFFF
        (
            b"\xEF\xBF\xBD",
            "AL32UTF8",
            AL,
            Ok(b"\xEF\xBF\xBD"),
            Flags::REPLACEMENT_CHAR,
        ),
        (b"\xC0\x80", "AL32UTF8", AL, Err(0), NONE), // overlong NUL
        (b"\xC1\xBF", "AL32UTF8", AL, Err(0), NONE), // overlong
        (b"\xE0\x80\xAF", "AL32UTF8", AL, Err(0), NONE), // overlong '/'
        (b"\xF0\x80\x80\xAF", "AL32UTF8", AL, Err(0), NONE), // overlong '/'
        (b"\xF4\x90\x80\x80", "AL32UTF8", AL, Err(0), NONE), // above U+10FFFF
        (b"\xF5\x80\x80\x80", "AL32UTF8", AL, Err(0), NONE),
        (b"\xFF", "AL32UTF8", AL, Err(0), NONE),
        (b"ab\x80", "AL32UTF8", AL, Err(2), NONE), // lone continuation byte
        (b"ab\xC3", "AL32UTF8", AL, Err(2), NONE), // truncated at the end
        (b"\xE2\x82", "AL32UTF8", CE, Err(0), NONE),
        (pair, "AL32UTF8", AL, Err(0), sur), // surrogates are not UTF-8
        (b"x\xED\xA0\xBD", "AL32UTF8", CE, Err(1), sur),
        // Oracle UTF8 (CESU-8) sources.
        (pair, "UTF8", AL, Ok(emoji), sur),
        (pair, "UTF8", CE, Ok(pair), sur),
        (b"\xC3\xA9", "UTF8", AL, Ok(b"\xC3\xA9"), NONE),
        (emoji, "UTF8", AL, Err(0), NONE), // 4-byte forms are not CESU-8
        (b"ab\xED\xA0\xBD", "UTF8", AL, Err(2), sur), // lone high surrogate
        (b"\xED\xB8\x80", "UTF8", CE, Err(0), sur), // lone low surrogate
        (b"\xED\xB8\x80\xED\xA0\xBD", "UTF8", AL, Err(0), sur), // low before high
        (b"\xED\xA0\xBD\xED\xA0\xBD", "UTF8", AL, Err(0), sur), // two highs
        (b"\xC0\x80", "UTF8", AL, Err(0), NONE), // Java's modified UTF-8 NUL
        (b"\xE0\x80\xAF", "UTF8", AL, Err(0), NONE),
        (b"a\xED\x9F\xBF", "UTF8", CE, Ok(b"a\xED\x9F\xBF"), NONE), // U+D7FF, just below
    ]
}

#[test]
fn unicode_sources_convert_and_classify_at_the_edges() {
    for (bytes, cs, target, expected, flags) in unicode_cases() {
        let p = profile_to(cs, target);
        let v = classify(bytes, &p);
        let what = format!("{cs} -> {} of {bytes:02X?}", target.name());
        assert_eq!(
            p.convert(bytes).as_deref().map_err(|e| *e),
            expected,
            "{what}"
        );
        assert_eq!(v.flags, flags, "{what}");
        match expected {
            Ok(out) => {
                assert_ne!(v.category, Category::Lossy, "{what}");
                assert_eq!(v.post_bytes, out.len(), "{what}");
                let changed = out != bytes;
                assert_eq!(v.category == Category::Convertible, changed, "{what}");
            }
            Err(off) => {
                assert_eq!(v.category, Category::Lossy, "{what}");
                assert_eq!(v.first_undefined, Some(off), "{what}");
            }
        }
    }
}

#[test]
fn byte_limits_and_char_blanks_at_the_edge() {
    let c = resolve("WE8ISO8859P15", Dialect::Oracle).unwrap();
    let lim = |bytes| {
        Some(Limit {
            bytes,
            kind: LimitKind::Column,
        })
    };
    // "é€" is 5 bytes after conversion: fits 5, truncation at 4.
    let fits = ColumnProfile::new(c.encoding, Target::Al32Utf8, false, lim(5), None);
    let over = ColumnProfile::new(c.encoding, Target::Al32Utf8, false, lim(4), None);
    assert_eq!(classify(b"\xE9\xA4", &fits).category, Category::Convertible);
    assert_eq!(classify(b"\xE9\xA4", &over).category, Category::Truncation);
    // A CHAR(4) value padded to its byte length: blanks are not measured.
    let char4 = ColumnProfile::new(c.encoding, Target::Al32Utf8, true, lim(4), lim(2000));
    let v = classify(b"\xE9\xA4  ", &char4);
    assert_eq!((v.category, v.post_bytes), (Category::Truncation, 5));
    let v = classify(b"\xE9e  ", &char4);
    assert_eq!(
        (v.category, v.category_char, v.post_bytes),
        (Category::Convertible, Category::Convertible, 3)
    );
    assert_eq!(char4.convert(b"\xE9e  ").unwrap(), b"\xC3\xA9e  ");
    let v = classify(b"    ", &char4);
    assert_eq!((v.category, v.post_bytes), (Category::Changeless, 0));
    // Lossy beats truncation.
    assert_eq!(classify(b"\xE9\xA4\x92", &over).category, Category::Lossy);
}

/// Special byte strings placed at every offset of ASCII buffers of length 0..=64.
const SPECIALS: &[&[u8]] = &[
    b"\x7F",
    b"\x80",
    b"\x81",
    b"\x92",
    b"\x9F",
    b"\xA0",
    b"\xA4",
    b"\xFF",
    b"\xC3\xA9",
    b"\xE2\x82\xAC",
    b"\xEF\xBF\xBD",
    b"\xF0\x9F\x98\x80",
    b"\xED\xA0\xBD\xED\xB8\x80",
    b"\xED\xA0\xBD",
    b"\xC0\x80",
    b"\xC3",
];

#[test]
fn padded_at_every_offset() {
    const FILL: &[u8] = b"The quick brown fox, 0123456789; jumps over the lazy dog! ~{}|";
    let charsets: Vec<&str> = all_charsets()
        .iter()
        .filter(|c| !matches!(c.encoding, Encoding::Undeclared))
        .filter_map(|c| c.oracle)
        .collect();
    let mut buf = Vec::with_capacity(80);
    for cs in charsets {
        for target in [Target::Al32Utf8, Target::Cesu8] {
            let p = profile_to(cs, target);
            for &special in SPECIALS {
                let alone = classify(special, &p);
                let alone_conv = p.convert(special);
                for n in 0..=64usize {
                    for pos in 0..=n {
                        buf.clear();
                        buf.extend(FILL.iter().cycle().take(pos));
                        buf.extend_from_slice(special);
                        buf.extend(FILL.iter().cycle().skip(pos).take(n - pos));
                        let v = classify(&buf, &p);
                        let what =
                            || format!("{cs}->{} {special:02X?} at {pos} of {n}", target.name());
                        assert_eq!(v.category, alone.category, "{}", what());
                        assert_eq!(v.flags, alone.flags, "{}", what());
                        assert_eq!(v.post_bytes, alone.post_bytes + n, "{}", what());
                        assert_eq!(
                            v.first_undefined,
                            alone.first_undefined.map(|o| o + pos),
                            "{}",
                            what()
                        );
                        match (&alone_conv, p.convert(&buf)) {
                            (Ok(a), Ok(c)) => {
                                assert_eq!(&c[..pos], &buf[..pos], "{}", what());
                                assert_eq!(&c[pos..pos + a.len()], &a[..], "{}", what());
                                assert_eq!(
                                    &c[pos + a.len()..],
                                    &buf[pos + special.len()..],
                                    "{}",
                                    what()
                                );
                            }
                            (Err(a), Err(c)) => assert_eq!(c, a + pos, "{}", what()),
                            (a, c) => panic!("{}: alone {a:?}, padded {c:?}", what()),
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn long_values_count_exactly_across_blocks() {
    // The hot loop sums counters per block of bytes; values longer than a block must add up.
    let p = profile("WE8ISO8859P15");
    for n in [2046usize, 2047, 2048, 4095, 4096, 10_000, 40_000] {
        let euros = vec![0xA4u8; n];
        let v = classify(&euros, &p);
        assert_eq!(
            (v.category, v.post_bytes, v.flags),
            (Category::Convertible, 3 * n, Flags::EMPTY),
            "{n} euros"
        );
        assert_eq!(p.convert(&euros).map(|o| o.len()), Ok(3 * n));
        let mut tail = euros.clone();
        tail.push(0x92);
        let v = classify(&tail, &p);
        assert_eq!(
            (v.category, v.first_undefined, v.post_bytes),
            (Category::Lossy, Some(n), 3 * n + 3)
        );
        assert!(v.flags.contains(Flags::STRAY_CP1252));
        let mut utf8 = euros;
        utf8.extend_from_slice("é".as_bytes());
        assert!(
            classify(&utf8, &p).flags.contains(Flags::UTF8_PASSTHROUGH),
            "{n}"
        );
    }
}
