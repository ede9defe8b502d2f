//! Conversion of stored values to the target charset, and the inverse for single-byte data.
//!
//! [`convert`] produces the exact bytes a stored value becomes in the target (AL32UTF8 or
//! Oracle's CESU-8 `UTF8`), or the offset of the first byte that has no meaning in the source
//! charset. It applies the same scan policy as the classifier (C1 bytes undefined in ISO-8859
//! sources, every byte >= 0x80 in US7ASCII, the undefined bytes of each mapping file), so a
//! value converts exactly when the classifier does not call it lossy, and the output length is
//! the classifier's `post_bytes` plus any trailing blanks of a CHAR value. Later steps (repair,
//! client-side copy) write what this module produces; the property tests hold the classifier
//! to it.
//!
//! [`encode`] goes back from text to a charset's bytes, so `encode(convert(x)) == x` wherever
//! `convert` succeeds.

use super::registry::{Encoding, Policy, Target};
use super::tables::UNDEFINED;

/// The character a single-byte charset's byte stands for under the scan policy, or `None`
/// when the byte is undefined.
#[inline]
pub fn decode_byte(table: &[u16; 256], policy: Policy, b: u8) -> Option<char> {
    let undefined = match policy {
        Policy::MappingOnly => false,
        Policy::C1Undefined => (0x80..0xA0).contains(&b),
        Policy::HighUndefined => b >= 0x80,
    };
    let cp = table[b as usize];
    if undefined || cp == UNDEFINED {
        None
    } else {
        char::from_u32(u32::from(cp))
    }
}

/// Converts a stored value from `encoding` to `target`. On failure returns the offset of the
/// first byte (sequence) that is undefined or malformed in the source charset, the same
/// offset the classifier reports as `first_undefined`.
///
/// [`Encoding::Undeclared`] (PostgreSQL SQL_ASCII) gives bytes no meaning beyond ASCII: only
/// ASCII values convert; pass an assumed charset for anything else.
pub fn convert(bytes: &[u8], encoding: &Encoding, target: Target) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 2);
    convert_into(bytes, encoding, target, &mut out)?;
    Ok(out)
}

/// [`convert`] appending to `out` (which is left as it was on failure), for callers that
/// convert many values through one buffer.
pub fn convert_into(
    bytes: &[u8],
    encoding: &Encoding,
    target: Target,
    out: &mut Vec<u8>,
) -> Result<(), usize> {
    let start = out.len();
    let res = convert_append(bytes, encoding, target, out);
    if res.is_err() {
        out.truncate(start);
    }
    res
}

fn convert_append(
    bytes: &[u8],
    encoding: &Encoding,
    target: Target,
    out: &mut Vec<u8>,
) -> Result<(), usize> {
    if bytes.is_ascii() {
        out.extend_from_slice(bytes);
        return Ok(());
    }
    match *encoding {
        Encoding::SingleByte { table, policy } => {
            let mut buf = [0u8; 4];
            for (i, &b) in bytes.iter().enumerate() {
                if b < 0x80 && table[b as usize] == u16::from(b) {
                    out.push(b);
                    continue;
                }
                let c = decode_byte(table, policy, b).ok_or(i)?;
                // Single-byte tables map into the BMP: UTF-8 and CESU-8 bytes agree.
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            Ok(())
        }
        Encoding::Utf8 => {
            let text = std::str::from_utf8(bytes).map_err(|e| e.valid_up_to())?;
            match target {
                Target::Al32Utf8 => out.extend_from_slice(bytes),
                Target::Cesu8 => push_cesu8(text, out),
            }
            Ok(())
        }
        Encoding::Cesu8 => {
            let mut i = 0;
            while i < bytes.len() {
                match cesu8_sequence(bytes, i) {
                    Some(Cesu8Seq::Plain(len)) => {
                        out.extend_from_slice(&bytes[i..i + len]);
                        i += len;
                    }
                    Some(Cesu8Seq::Pair(c)) => {
                        match target {
                            Target::Al32Utf8 => {
                                out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes())
                            }
                            Target::Cesu8 => out.extend_from_slice(&bytes[i..i + 6]),
                        }
                        i += 6;
                    }
                    None => return Err(i),
                }
            }
            Ok(())
        }
        Encoding::Undeclared => Err(bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0)),
    }
}

/// One well-formed CESU-8 sequence at a position.
enum Cesu8Seq {
    /// A sequence that is also well-formed UTF-8 (ASCII or a BMP character), of this length.
    Plain(usize),
    /// A high + low surrogate pair (6 bytes) standing for this supplementary character.
    Pair(char),
}

/// The CESU-8 sequence starting at `bytes[i]`, with exactly the classifier's rules: BMP
/// characters as in UTF-8 (no overlongs, no 4-byte forms), surrogates only as a high one
/// directly followed by a low one.
fn cesu8_sequence(bytes: &[u8], i: usize) -> Option<Cesu8Seq> {
    let at = |k: usize| bytes.get(i + k).copied();
    let within = |k: usize, lo: u8, hi: u8| at(k).is_some_and(|b| (lo..=hi).contains(&b));
    let cont = |k: usize| within(k, 0x80, 0xBF);
    match at(0)? {
        0x00..=0x7F => Some(Cesu8Seq::Plain(1)),
        0xC2..=0xDF if cont(1) => Some(Cesu8Seq::Plain(2)),
        0xE0 if within(1, 0xA0, 0xBF) && cont(2) => Some(Cesu8Seq::Plain(3)),
        0xED if within(1, 0xA0, 0xAF)
            && cont(2)
            && at(3) == Some(0xED)
            && within(4, 0xB0, 0xBF)
            && cont(5) =>
        {
            let hi =
                0xD000 | (u32::from(bytes[i + 1]) & 0x3F) << 6 | (u32::from(bytes[i + 2]) & 0x3F);
            let lo =
                0xD000 | (u32::from(bytes[i + 4]) & 0x3F) << 6 | (u32::from(bytes[i + 5]) & 0x3F);
            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            char::from_u32(c).map(Cesu8Seq::Pair)
        }
        0xED if within(1, 0x80, 0x9F) && cont(2) => Some(Cesu8Seq::Plain(3)),
        0xE1..=0xEC | 0xEE | 0xEF if cont(1) && cont(2) => Some(Cesu8Seq::Plain(3)),
        _ => None,
    }
}

/// Appends text as CESU-8: BMP characters as in UTF-8, supplementary ones as two 3-byte
/// surrogates.
fn push_cesu8(text: &str, out: &mut Vec<u8>) {
    let mut units = [0u16; 2];
    for c in text.chars() {
        if c.len_utf8() < 4 {
            out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes());
            continue;
        }
        for &u in c.encode_utf16(&mut units).iter() {
            out.extend_from_slice(&[
                0xE0 | (u >> 12) as u8,
                0x80 | ((u >> 6) & 0x3F) as u8,
                0x80 | (u & 0x3F) as u8,
            ]);
        }
    }
}

/// Encodes text into a charset's bytes; `None` when a character has no byte (sequence) there
/// under the scan policy (e.g. U+0092 in WE8ISO8859P15, `€` in WE8ISO8859P1).
/// `Undeclared` encodes ASCII only. For many values use an [`Encoder`].
pub fn encode(text: &str, encoding: &Encoding) -> Option<Vec<u8>> {
    match *encoding {
        Encoding::SingleByte { table, policy } => Encoder::new(table, policy).encode(text),
        Encoding::Utf8 => Some(text.as_bytes().to_vec()),
        Encoding::Cesu8 => {
            let mut out = Vec::with_capacity(text.len());
            push_cesu8(text, &mut out);
            Some(out)
        }
        Encoding::Undeclared => text.is_ascii().then(|| text.as_bytes().to_vec()),
    }
}

/// The inverse of a single-byte table under a scan policy, built once for many values.
#[derive(Debug, Clone)]
pub struct Encoder {
    /// (code point, byte) for every defined byte >= 0x80 or not mapping to itself, sorted.
    pairs: Vec<(u16, u8)>,
    /// Bytes < 0x80 that map to themselves (ASCII): the fast path.
    ascii_identity: [bool; 128],
}

impl Encoder {
    pub fn new(table: &'static [u16; 256], policy: Policy) -> Encoder {
        let mut ascii_identity = [false; 128];
        let mut pairs = Vec::new();
        for b in 0..=255u8 {
            let Some(c) = decode_byte(table, policy, b) else {
                continue;
            };
            if b < 0x80 && u32::from(c) == u32::from(b) {
                ascii_identity[b as usize] = true;
            } else {
                pairs.push((c as u32 as u16, b));
            }
        }
        pairs.sort_unstable();
        Encoder {
            pairs,
            ascii_identity,
        }
    }

    /// The charset's bytes for `text`, or `None` if a character has no byte.
    pub fn encode(&self, text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            let cp = u32::from(c);
            if cp < 0x80 && self.ascii_identity[cp as usize] {
                out.push(cp as u8);
                continue;
            }
            let cp = u16::try_from(cp).ok()?;
            let k = self.pairs.binary_search_by_key(&cp, |p| p.0).ok()?;
            out.push(self.pairs[k].1);
        }
        Some(out)
    }
}
