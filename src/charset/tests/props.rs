//! Property tests holding the classifier and the converter to each other, cell by cell.

use super::super::*;
use crate::charset::classify::{ColumnProfile, Limit, LimitKind};
use proptest::prelude::*;

/// Every declared charset (by Oracle name, or `auto`), each with both targets.
fn charsets() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = all_charsets()
        .iter()
        .filter(|c| !matches!(c.encoding, Encoding::Undeclared))
        .filter_map(|c| c.oracle)
        .collect();
    v.push("auto");
    v
}

fn make_profile(cs: &str, target: Target, trim: bool, limit: Option<usize>) -> ColumnProfile {
    let limit = limit.map(|bytes| Limit {
        bytes,
        kind: LimitKind::Column,
    });
    if cs == "auto" {
        return ColumnProfile::auto(target, trim, limit, None);
    }
    let c = resolve(cs, Dialect::Oracle).expect("supported");
    ColumnProfile::new(c.encoding, target, trim, limit, None)
}

/// Stored values as they occur: ASCII text, Latin bytes, C1 bytes, UTF-8 and CESU-8
/// sequences (whole or cut), blanks.
fn value() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::collection::vec(0x20u8..0x7F, 1..8),
        2 => proptest::collection::vec(0xA0u8..=0xFF, 1..3),
        1 => proptest::collection::vec(0x80u8..0xA0, 1..2),
        2 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        1 => Just(b"\xED\xA0\xBD\xED\xB8\x80".to_vec()),
        1 => Just(b"\xED\xA0\xBD".to_vec()),
        1 => Just(b"\xEF\xBF\xBD".to_vec()),
        1 => proptest::collection::vec(Just(b' '), 1..4),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn ascii_value() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(0u8..0x80, 0..200)
}

fn setup() -> impl Strategy<Value = (&'static str, Target)> {
    (
        proptest::sample::select(charsets()),
        prop_oneof![Just(Target::Al32Utf8), Just(Target::Cesu8)],
    )
}

fn blanks(b: &[u8]) -> usize {
    b.iter().rev().take_while(|&&c| c == b' ').count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn ascii_only_is_changeless((cs, target) in setup(), x in ascii_value(), trim in any::<bool>()) {
        let p = make_profile(cs, target, trim, None);
        let v = classify(&x, &p);
        prop_assert_eq!(v.category, Category::Changeless);
        prop_assert_eq!(v.category_char, Category::Changeless);
        prop_assert!(v.flags.is_empty());
        prop_assert_eq!(p.convert(&x), Ok(x.clone()));
    }

    /// Without a limit: changeless exactly when the value converts to itself, lossy exactly
    /// when it does not convert (at the offset the classifier reports), and post_bytes is the
    /// converted length measured as for the limit.
    #[test]
    fn classifier_agrees_with_convert((cs, target) in setup(), x in value(), trim in any::<bool>()) {
        let p = make_profile(cs, target, trim, None);
        let v = classify(&x, &p);
        match p.convert(&x) {
            Ok(out) => {
                prop_assert_ne!(v.category, Category::Lossy);
                prop_assert_eq!(v.category == Category::Changeless, out == x);
                let measured = if trim { out.len() - blanks(&out) } else { out.len() };
                prop_assert_eq!(v.post_bytes, measured);
                prop_assert_eq!(v.first_undefined, None);
            }
            Err(off) => {
                prop_assert_eq!(v.category, Category::Lossy);
                prop_assert_eq!(v.first_undefined, Some(off));
            }
        }
    }

    #[test]
    fn limits_decide_truncation((cs, target) in setup(), x in value(), limit in 0usize..40) {
        let p = make_profile(cs, target, false, Some(limit));
        let free = classify(&x, &make_profile(cs, target, false, None));
        let v = classify(&x, &p);
        let expected = match free.category {
            Category::Lossy => Category::Lossy,
            _ if free.post_bytes > limit => Category::Truncation,
            c => c,
        };
        prop_assert_eq!(v.category, expected);
        prop_assert_eq!(v.post_bytes, free.post_bytes);
    }

    #[test]
    fn char_trailing_blanks_never_make_truncation(
        (cs, target) in setup(), x in value(), pad in 0usize..50, limit in 0usize..40,
    ) {
        let p = make_profile(cs, target, true, Some(limit));
        let mut padded = x.clone();
        padded.extend(std::iter::repeat_n(b' ', pad));
        let (a, b) = (classify(&x, &p), classify(&padded, &p));
        prop_assert_eq!(b.category, a.category);
        prop_assert_eq!(b.post_bytes, a.post_bytes);
    }

    /// encode(convert(x)) == x wherever convert is defined; the CESU-8 target's bytes are the
    /// AL32UTF8 text encoded as CESU-8.
    #[test]
    fn encode_inverts_convert(cs in proptest::sample::select(charsets()), x in value()) {
        prop_assume!(cs != "auto");
        let enc = resolve(cs, Dialect::Oracle).unwrap().encoding;
        if let Ok(out) = convert(&x, &enc, Target::Al32Utf8) {
            let text = std::str::from_utf8(&out).expect("AL32UTF8 output is UTF-8");
            prop_assert_eq!(encode(text, &enc), Some(x.clone()));
            let cesu = convert(&x, &enc, Target::Cesu8).expect("defined for both targets");
            prop_assert_eq!(Some(cesu), encode(text, &Encoding::Cesu8));
        } else {
            prop_assert!(convert(&x, &enc, Target::Cesu8).is_err());
        }
    }

    #[test]
    fn convert_into_appends_or_leaves_the_buffer((cs, target) in setup(), x in value()) {
        prop_assume!(cs != "auto");
        let enc = resolve(cs, Dialect::Oracle).unwrap().encoding;
        let mut buf = b"kept".to_vec();
        let res = convert_into(&x, &enc, target, &mut buf);
        match convert(&x, &enc, target) {
            Ok(out) => { prop_assert!(res.is_ok()); prop_assert_eq!(&buf[4..], &out[..]); }
            Err(off) => { prop_assert_eq!(res, Err(off)); prop_assert_eq!(&buf[..], b"kept"); }
        }
    }
}

#[test]
fn encode_refuses_what_the_charset_lacks() {
    let p15 = resolve("WE8ISO8859P15", Dialect::Oracle).unwrap().encoding;
    let p1 = resolve("WE8ISO8859P1", Dialect::Oracle).unwrap().encoding;
    assert_eq!(encode("€uro", &p15), Some(b"\xA4uro".to_vec()));
    assert_eq!(encode("€uro", &p1), None);
    assert_eq!(
        encode("\u{92}", &p1),
        None,
        "C1 controls are undefined under the scan policy"
    );
    assert_eq!(encode("😀", &p15), None);
    let us = resolve("US7ASCII", Dialect::Oracle).unwrap().encoding;
    assert_eq!(encode("é", &us), None);
    assert_eq!(
        encode("😀", &Encoding::Cesu8),
        Some(b"\xED\xA0\xBD\xED\xB8\x80".to_vec())
    );
    let undeclared = resolve("SQL_ASCII", Dialect::Postgres).unwrap().encoding;
    assert_eq!(convert(b"ab\xE9", &undeclared, Target::Al32Utf8), Err(2));
    assert_eq!(
        convert(b"ab", &undeclared, Target::Al32Utf8),
        Ok(b"ab".to_vec())
    );
}
