//! The single-byte half of `auto` reading: a source charset whose C1 bytes (0x80–0x9F) that
//! the source leaves undefined are read as windows-1252 where cp1252 defines them (‘ ’ “ ” € …;
//! 0x81 0x8D 0x8F 0x90 0x9D stay undefined, so lossy). Values that are valid UTF-8 holding a
//! multi-byte sequence are read as UTF-8 by the classifier and converter before this applies.
//!
//! The merged tables are built once per source charset and kept for the life of the process
//! (a handful of 512-byte tables), so an [`Encoding`] can point at them like a generated one.

use super::convert::decode_byte;
use super::registry::{Encoding, Policy};
use super::tables::{self, UNDEFINED};
use std::sync::{Mutex, OnceLock};

type Cache = Vec<(usize, Policy, &'static [u16; 256])>;

/// The encoding the non-UTF-8 values of an `auto` column are read as: `source` with its
/// undefined C1 bytes taken from windows-1252. SQL_ASCII (no charset) reads as windows-1252.
/// `None` for sources that are not single-byte (UTF-8, CESU-8): they have nothing to guess.
pub fn auto_base(source: Encoding) -> Option<Encoding> {
    let (table, policy) = match source {
        Encoding::SingleByte { table, policy } => (table, policy),
        Encoding::Undeclared => (&tables::CP1252, Policy::MappingOnly),
        Encoding::Utf8 | Encoding::Cesu8 => return None,
    };
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(|| Mutex::new(Vec::new())).lock().unwrap();
    let key = table as *const _ as usize;
    if let Some((_, _, t)) = cache.iter().find(|(k, p, _)| *k == key && *p == policy) {
        return Some(Encoding::SingleByte {
            table: t,
            policy: Policy::MappingOnly,
        });
    }
    let mut merged = [UNDEFINED; 256];
    for (b, m) in merged.iter_mut().enumerate() {
        let b = b as u8;
        *m = match decode_byte(table, policy, b) {
            Some(c) => c as u32 as u16,
            None if (0x80..0xA0).contains(&b) => tables::CP1252[b as usize],
            None => UNDEFINED,
        };
    }
    let leaked: &'static [u16; 256] = Box::leak(Box::new(merged));
    cache.push((key, policy, leaked));
    Some(Encoding::SingleByte {
        table: leaked,
        policy: Policy::MappingOnly,
    })
}

/// True when byte `b` is undefined in `source` but read through windows-1252 by `auto`.
pub fn read_as_cp1252(source: Encoding, b: u8) -> bool {
    match source {
        Encoding::SingleByte { table, policy } => {
            (0x80..0xA0).contains(&b)
                && decode_byte(table, policy, b).is_none()
                && tables::CP1252[b as usize] != UNDEFINED
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charset::{Dialect, Target, convert, resolve};

    #[test]
    fn latin1_base_reads_c1_as_cp1252_and_keeps_the_five_undefined() {
        let latin1 = resolve("LATIN1", Dialect::Postgres).unwrap().encoding;
        let base = auto_base(latin1).unwrap();
        assert_eq!(
            convert(b"It\x92s \x80 caf\xE9", &base, Target::Al32Utf8).unwrap(),
            "It’s € café".as_bytes()
        );
        for b in [0x81u8, 0x8D, 0x8F, 0x90, 0x9D] {
            assert_eq!(convert(&[b'a', b], &base, Target::Al32Utf8), Err(1));
        }
        assert!(read_as_cp1252(latin1, 0x92));
        assert!(!read_as_cp1252(latin1, 0x81));
        assert!(!read_as_cp1252(latin1, 0xE9));
        // LATIN9 keeps its own letters (0xA4 is €, 0xBD is œ), C1 from cp1252.
        let latin9 = resolve("LATIN9", Dialect::Postgres).unwrap().encoding;
        let base9 = auto_base(latin9).unwrap();
        assert_eq!(
            convert(b"\xA4\xBD\x96", &base9, Target::Al32Utf8).unwrap(),
            "€œ–".as_bytes()
        );
        // Built once: the same table comes back.
        match (auto_base(latin1).unwrap(), base) {
            (Encoding::SingleByte { table: a, .. }, Encoding::SingleByte { table: b, .. }) => {
                assert!(std::ptr::eq(a, b))
            }
            _ => unreachable!(),
        }
        assert!(auto_base(Encoding::Utf8).is_none());
    }
}
