//! Truncation: the longest prefix of a stored value whose converted form fits a limit,
//! never splitting a character.
//!
//! The converted length of a prefix only grows with the prefix, so a binary search over the
//! value's character boundaries with the classifier's own measure finds the longest prefix
//! that fits: the cut and the scan can never disagree about what fits.

use crate::charset::classify::ColumnProfile;
use crate::charset::{Category, Encoding, classify};

/// Where a cut leaves a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// Stored bytes kept (a prefix of the original).
    pub keep_bytes: usize,
    /// Characters kept.
    pub keep_chars: usize,
    /// Converted length of the kept prefix, measured as for the limit.
    pub post_bytes: usize,
}

/// Offsets where a character starts (and the end), for the source encoding.
pub fn char_boundaries(bytes: &[u8], encoding: Encoding) -> Vec<usize> {
    let mut v = Vec::with_capacity(bytes.len() + 1);
    match encoding {
        Encoding::SingleByte { .. } | Encoding::Undeclared => v.extend(0..=bytes.len()),
        Encoding::Utf8 | Encoding::Cesu8 => {
            let mut i = 0;
            while i < bytes.len() {
                v.push(i);
                let b = bytes[i];
                let len = match b {
                    0x00..=0x7F => 1,
                    0xC0..=0xDF => 2,
                    // A CESU-8 surrogate pair is one character: six bytes.
                    0xED if matches!(encoding, Encoding::Cesu8)
                        && bytes.get(i + 1).is_some_and(|&c| (0xA0..0xB0).contains(&c))
                        && bytes.get(i + 3) == Some(&0xED) =>
                    {
                        6
                    }
                    0xE0..=0xEF => 3,
                    0xF0..=0xF7 => 4,
                    _ => 1,
                };
                i = (i + len).min(bytes.len());
            }
            v.push(bytes.len());
        }
    }
    v
}

/// The longest prefix of `bytes` whose converted form fits `limit` bytes (measured as the
/// scan measures: CHAR without trailing blanks). `None` for a lossy value (it cannot be
/// measured: repair it first).
pub fn fit(bytes: &[u8], profile: &ColumnProfile, encoding: Encoding, limit: usize) -> Option<Cut> {
    if classify(bytes, profile).category == Category::Lossy {
        return None;
    }
    let bounds = char_boundaries(bytes, encoding);
    let post = |end: usize| classify(&bytes[..end], profile).post_bytes;
    // Largest k with post(bounds[k]) <= limit; post(0) == 0 always fits.
    let (mut lo, mut hi) = (0usize, bounds.len() - 1);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if post(bounds[mid]) <= limit {
            lo = mid
        } else {
            hi = mid - 1
        }
    }
    Some(Cut {
        keep_bytes: bounds[lo],
        keep_chars: lo,
        post_bytes: post(bounds[lo]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charset::classify::{Limit, LimitKind};
    use crate::charset::{Dialect, Target, resolve};
    use proptest::prelude::*;

    fn profile(cs: &str, trim: bool) -> (ColumnProfile, Encoding) {
        let e = resolve(cs, Dialect::Oracle).unwrap().encoding;
        let lim = Some(Limit {
            bytes: 10,
            kind: LimitKind::Column,
        });
        (ColumnProfile::new(e, Target::Al32Utf8, trim, lim, lim), e)
    }

    #[test]
    fn latin_value_cut_to_fit() {
        let (p, e) = profile("WE8ISO8859P15", false);
        // "Crème brûlée": 12 bytes stored, 15 converted. Fit 10: "Crème br" = 9 bytes converted
        // (è is 2), adding "û" would make 11.
        let v = b"Cr\xE8me br\xFBl\xE9e";
        let c = fit(v, &p, e, 10).unwrap();
        assert_eq!((c.keep_bytes, c.post_bytes), (8, 9)); // "Crème br": 8 stored, 9 converted
        assert_eq!(fit(v, &p, e, 4).unwrap().keep_bytes, 3); // "Cr\xE8" = 4 bytes
        assert_eq!(fit(v, &p, e, 3).unwrap().keep_bytes, 2);
    }

    #[test]
    fn euro_never_split_and_lossy_refused() {
        let (p, e) = profile("WE8ISO8859P15", false);
        assert_eq!(fit(b"ab\xA4", &p, e, 4).unwrap().keep_bytes, 2); // € is 3 bytes
        assert_eq!(fit(b"ab\x80", &p, e, 10), None);
    }

    #[test]
    fn utf8_boundaries_are_respected() {
        let (p, e) = profile("AL32UTF8", false);
        let v = "aé😀b".as_bytes();
        assert_eq!(fit(v, &p, e, 4).unwrap().keep_bytes, 3);
        assert_eq!(fit(v, &p, e, 7).unwrap().keep_bytes, 7);
        let (p, e) = profile("UTF8", false);
        let pair = b"a\xED\xA0\xBD\xED\xB8\x80b";
        assert_eq!(char_boundaries(pair, e), vec![0, 1, 7, 8]);
        assert_eq!(fit(pair, &p, e, 4).unwrap().keep_bytes, 1);
        assert_eq!(fit(pair, &p, e, 5).unwrap().keep_bytes, 7);
    }

    proptest! {
        /// Truncation never splits a character, always fits, and keeps the longest such prefix.
        #[test]
        fn cut_fits_and_is_longest(s in "[a-zé€ñ😀 ]{0,30}", limit in 0usize..40) {
            let (p, e) = profile("AL32UTF8", true);
            let v = s.as_bytes();
            let c = fit(v, &p, e, limit).unwrap();
            prop_assert!(std::str::from_utf8(&v[..c.keep_bytes]).is_ok());
            prop_assert!(c.post_bytes <= limit);
            let bounds = char_boundaries(v, e);
            if let Some(&next) = bounds.iter().find(|&&b| b > c.keep_bytes) {
                prop_assert!(classify(&v[..next], &p).post_bytes > limit);
            }
        }

        #[test]
        fn latin9_cut_fits_and_is_longest(v in proptest::collection::vec(prop_oneof![0x20u8..0x7F, 0xA0u8..=0xFF], 0..40), limit in 0usize..60) {
            let (p, e) = profile("WE8ISO8859P15", false);
            let c = fit(&v, &p, e, limit).unwrap();
            prop_assert!(c.post_bytes <= limit);
            if c.keep_bytes < v.len() {
                prop_assert!(classify(&v[..c.keep_bytes + 1], &p).post_bytes > limit);
            }
        }
    }
}
