//! Character sets: the registry of Oracle and PostgreSQL charset names, the byte tables they
//! resolve to, the per-cell classifier, and the converter that produces a value's target bytes
//! (and encodes text back), under one scan policy so the two agree cell by cell.
//!
//! Names never go through `encoding_rs` labels (WHATWG maps `latin1` and `ascii` to
//! windows-1252; see CHARSETS.md). Every name resolves to an explicit [`Encoding`]: a
//! generated 256-entry table (`tables.rs`), UTF-8, or Oracle's CESU-8 `UTF8`.
//!
//! The scan policy lives here, not in the tables: ISO-8859 sources treat the C1 range
//! 0x80–0x9F as undefined (CSSCAN reports such bytes as lossy, although Oracle's CONVERT would
//! map them to U+0080–U+009F), US7ASCII treats every byte >= 0x80 as undefined, and bytes the
//! mapping file leaves undefined (for example 0x81 0x8D 0x8F 0x90 0x9D in windows-1252) are
//! undefined.

pub mod auto;
pub mod classify;
pub mod convert;
mod double;
mod registry;
#[rustfmt::skip]
pub mod tables;

pub use classify::{Category, ColumnProfile, Flags, Verdict, classify, decode_preview};
pub use convert::{Encoder, convert, convert_into, encode};
pub use double::{double_encoded, misread_byte, undouble};
pub use registry::{Charset, Dialect, Encoding, Policy, Target, all_charsets, resolve};

/// A byte's class for one (source charset, target) pair: everything the hot loop needs.
///
/// Bits 0–1: post-conversion UTF-8 length of the byte's character minus one (single-byte
/// charsets only map into the BMP, so CESU-8 and UTF-8 lengths agree); an undefined byte
/// counts as U+FFFD, 3 bytes. Bit 6: a C1 byte that
/// is undefined in the source but printable in windows-1252 (a "stray" cp1252 byte).
/// Bit 7: undefined in the source.
pub type ByteClass = [u8; 256];

pub(crate) const CLASS_UNDEFINED: u8 = 0x80;
pub(crate) const CLASS_STRAY_CP1252: u8 = 0x40;
pub(crate) const CLASS_EXTRA_MASK: u8 = 0x03;

/// Builds the class table of a single-byte charset under a scan policy.
pub fn byte_class(table: &[u16; 256], policy: Policy) -> ByteClass {
    let mut class = [0u8; 256];
    for (b, c) in class.iter_mut().enumerate() {
        // One definition of "undefined under the policy", shared with `convert`.
        *c = match convert::decode_byte(table, policy, b as u8) {
            Some(ch) => (ch.len_utf8() - 1) as u8,
            None => {
                let stray = (0x80..0xA0).contains(&b) && tables::CP1252[b] != tables::UNDEFINED;
                // Counted as U+FFFD (3 bytes) in a lossy cell's post-conversion length.
                CLASS_UNDEFINED | if stray { CLASS_STRAY_CP1252 } else { 0 } | 2
            }
        };
    }
    class
}

#[cfg(test)]
mod tests;
