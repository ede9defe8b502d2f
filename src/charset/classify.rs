//! The per-cell classifier: pure, no I/O, no allocation. This is the hot loop of every scan.
//!
//! A cell gets exactly one [`Category`] (lossy > truncation > convertible > changeless) and a
//! set of [`Flags`] beside it. Lossy cells report `post_bytes` as if every undefined byte
//! became U+FFFD (3 bytes); they never count towards a column's `max_post_bytes`.

use super::double::double_encoded;
use super::registry::{Encoding, Target};
use super::{ByteClass, CLASS_EXTRA_MASK, CLASS_STRAY_CP1252, CLASS_UNDEFINED, byte_class};
use serde::{Deserialize, Serialize};

/// Class bit: a byte that can start a multi-byte UTF-8 sequence (0xC2–0xF4).
const CLASS_UTF8_LEAD: u8 = 0x20;
/// Class bit: a UTF-8 continuation byte (0x80–0xBF). Multi-byte UTF-8 needs both kinds, so
/// the pass-through search runs only on cells that hold both (Latin letters alone are leads).
const CLASS_UTF8_CONT: u8 = 0x10;

/// What happens to one cell in the move. Ordered: a higher category wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The converted bytes are identical to the stored bytes.
    Changeless,
    /// Valid, fits the limit, but the bytes change.
    Convertible,
    /// Valid, but the converted value is longer than the limit that will apply.
    Truncation,
    /// A byte (sequence) undefined in the source charset: data would be lost.
    Lossy,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Changeless => "changeless",
            Category::Convertible => "convertible",
            Category::Truncation => "truncation",
            Category::Lossy => "lossy",
        }
    }
}

/// Observations reported beside the category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags(u8);

impl Flags {
    /// No flag.
    pub const EMPTY: Flags = Flags(0);
    /// C1 bytes undefined in the source but printable in windows-1252 (‘ ’ “ ” € …).
    pub const STRAY_CP1252: Flags = Flags(1);
    /// Well-formed multi-byte UTF-8 inside single-byte data: would be double-encoded.
    pub const UTF8_PASSTHROUGH: Flags = Flags(2);
    /// U+FFFD (EF BF BD) already present: an earlier conversion lost data.
    pub const REPLACEMENT_CHAR: Flags = Flags(4);
    /// CESU-8 surrogate sequences (ED A0–BF xx).
    pub const CESU8_SURROGATES: Flags = Flags(8);

    /// `--assume auto`: the value was valid UTF-8 and was read as UTF-8.
    pub const AUTO_UTF8: Flags = Flags(16);
    /// `--assume auto`: the value was not valid UTF-8 and was read as WIN1252.
    pub const AUTO_WIN1252: Flags = Flags(32);
    /// Valid UTF-8 holding `Ã©`-shaped text: characters whose cp1252/latin1 bytes form
    /// multi-byte UTF-8 (text that was encoded to UTF-8 twice). See [`super::double_encoded`].
    pub const DOUBLE_ENCODED: Flags = Flags(64);

    /// Flags that make a cell a finding whatever its category (listed, exit 1): UTF-8 read
    /// as single-byte data (pass-through), double-encoded text, U+FFFD already present.
    pub const FINDINGS: Flags = Flags(2 | 4 | 64);

    pub const ALL: [(Flags, &'static str); 7] = [
        (Flags::STRAY_CP1252, "stray_cp1252"),
        (Flags::UTF8_PASSTHROUGH, "utf8_passthrough"),
        (Flags::REPLACEMENT_CHAR, "replacement_char"),
        (Flags::CESU8_SURROGATES, "cesu8_surrogates"),
        (Flags::AUTO_UTF8, "auto_utf8"),
        (Flags::AUTO_WIN1252, "auto_win1252"),
        (Flags::DOUBLE_ENCODED, "double_encoded"),
    ];

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }
    /// True when any flag of `other` is set.
    pub fn intersects(self, other: Flags) -> bool {
        self.0 & other.0 != 0
    }
    pub fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// Names of the set flags, `;`-separated (empty when none).
    pub fn names(self) -> String {
        let names: Vec<&str> = Flags::ALL
            .iter()
            .filter(|(f, _)| self.contains(*f))
            .map(|(_, n)| *n)
            .collect();
        names.join(";")
    }
}

/// Which limit a value is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// The column's declared byte length (BYTE semantics).
    Column,
    /// The data type's maximum (VARCHAR2 4000/32767, CHAR 2000).
    Type,
}

/// A byte limit that a converted value must fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    pub bytes: usize,
    pub kind: LimitKind,
}

#[derive(Debug, Clone)]
enum Decoder {
    SingleByte(Box<SingleByteClass>),
    Utf8,
    Cesu8,
    /// Per value: valid UTF-8 is read as UTF-8, anything else as WIN1252.
    Auto(Box<SingleByteClass>),
}

/// A single-byte charset's byte classes, and the same packed for the hot loop: one 64-bit
/// add per byte sums five 12-bit counters (extra bytes, undefined, stray cp1252, UTF-8 lead
/// and continuation bytes). Blocks of at most [`PACKED_BLOCK`] bytes keep every counter below
/// 4096 (extra is at most 2 per byte), so no field ever carries into the next.
#[derive(Debug, Clone)]
struct SingleByteClass {
    class: ByteClass,
    packed: [u64; 256],
}

const PACKED_BLOCK: usize = 2047;
const FIELD: u32 = 12;
const FIELD_MASK: u64 = (1 << FIELD) - 1;
const F_EXTRA: u32 = 0;
const F_UNDEFINED: u32 = FIELD;
const F_STRAY: u32 = 2 * FIELD;
const F_LEAD: u32 = 3 * FIELD;
const F_CONT: u32 = 4 * FIELD;

impl SingleByteClass {
    fn new(class: ByteClass) -> SingleByteClass {
        let mut packed = [0u64; 256];
        for (b, &c) in class.iter().enumerate() {
            let bit = |mask: u8, shift: u32| u64::from(c & mask != 0) << shift;
            packed[b] = u64::from(c & CLASS_EXTRA_MASK) << F_EXTRA
                | bit(CLASS_UNDEFINED, F_UNDEFINED)
                | bit(CLASS_STRAY_CP1252, F_STRAY)
                | bit(CLASS_UTF8_LEAD, F_LEAD)
                | bit(CLASS_UTF8_CONT, F_CONT);
        }
        SingleByteClass { class, packed }
    }

    fn undefined(&self, b: u8) -> bool {
        self.class[b as usize] & CLASS_UNDEFINED != 0
    }
}

/// Whether the counter at `shift` is non-zero in an OR of packed sums.
fn has(seen: u64, shift: u32) -> bool {
    (seen >> shift) & FIELD_MASK != 0
}

/// Everything the classifier needs about one column: how its bytes decode, the target, and
/// the limits that will apply.
#[derive(Debug, Clone)]
pub struct ColumnProfile {
    decoder: Decoder,
    encoding: Encoding,
    table: Option<&'static [u16; 256]>,
    pub target: Target,
    /// CHAR columns are measured without their trailing blanks.
    pub trim_trailing_blanks: bool,
    /// The limit under the column's current length semantics (`None`: no limit, CLOB/LONG).
    pub limit: Option<Limit>,
    /// The limit after a switch to CHAR semantics.
    pub limit_char: Option<Limit>,
}

impl ColumnProfile {
    /// A profile for `--assume auto` over SQL_ASCII data: per value, valid UTF-8 is taken
    /// as UTF-8, anything else as WIN1252 ([`ColumnProfile::auto_over`] of SQL_ASCII).
    pub fn auto(
        target: Target,
        trim_trailing_blanks: bool,
        limit: Option<Limit>,
        limit_char: Option<Limit>,
    ) -> ColumnProfile {
        ColumnProfile::auto_over(
            Encoding::Undeclared,
            target,
            trim_trailing_blanks,
            limit,
            limit_char,
        )
        .expect("SQL_ASCII has an auto reading")
    }

    /// A profile for `auto` reading over a single-byte `source` charset: per value, valid
    /// UTF-8 holding a multi-byte sequence is read as UTF-8 (flag `AUTO_UTF8`), anything
    /// else as `source` with its undefined C1 bytes read as windows-1252 (flag
    /// `AUTO_WIN1252`, plus `STRAY_CP1252` when such a byte was used); the five bytes cp1252
    /// leaves undefined stay lossy. `None` when `source` is not single-byte.
    pub fn auto_over(
        source: Encoding,
        target: Target,
        trim_trailing_blanks: bool,
        limit: Option<Limit>,
        limit_char: Option<Limit>,
    ) -> Option<ColumnProfile> {
        let base = super::auto::auto_base(source)?;
        let mut p = ColumnProfile::new(base, target, trim_trailing_blanks, limit, limit_char);
        if let Decoder::SingleByte(mut class) = p.decoder {
            let mut bytes = class.class;
            for (b, c) in bytes.iter_mut().enumerate() {
                if super::auto::read_as_cp1252(source, b as u8) {
                    *c |= CLASS_STRAY_CP1252;
                }
            }
            *class = SingleByteClass::new(bytes);
            p.decoder = Decoder::Auto(class);
        }
        Some(p)
    }

    /// True for an `auto` profile (per value: UTF-8, else the single-byte base).
    pub fn is_auto(&self) -> bool {
        matches!(self.decoder, Decoder::Auto(_))
    }

    /// Builds a profile. `encoding` must not be [`Encoding::Undeclared`] (the caller asks for
    /// an assumed charset first).
    pub fn new(
        encoding: Encoding,
        target: Target,
        trim_trailing_blanks: bool,
        limit: Option<Limit>,
        limit_char: Option<Limit>,
    ) -> ColumnProfile {
        let (decoder, table) = match encoding {
            Encoding::SingleByte { table, policy } => {
                let mut class = byte_class(table, policy);
                for c in &mut class[0xC2..=0xF4] {
                    *c |= CLASS_UTF8_LEAD;
                }
                for c in &mut class[0x80..=0xBF] {
                    *c |= CLASS_UTF8_CONT;
                }
                (
                    Decoder::SingleByte(Box::new(SingleByteClass::new(class))),
                    Some(table),
                )
            }
            Encoding::Utf8 => (Decoder::Utf8, None),
            Encoding::Cesu8 => (Decoder::Cesu8, None),
            Encoding::Undeclared => {
                panic!("ColumnProfile::new needs a declared or assumed charset")
            }
        };
        ColumnProfile {
            decoder,
            encoding,
            table,
            target,
            trim_trailing_blanks,
            limit,
            limit_char,
        }
    }

    /// The charset the column's bytes are read as (windows-1252 for `--assume auto`, whose
    /// valid UTF-8 values are read as UTF-8).
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The bytes a stored value becomes in the target, or the offset of its first undefined
    /// byte: see [`super::convert()`]. Agrees with [`classify`] cell by cell.
    pub fn convert(&self, bytes: &[u8]) -> Result<Vec<u8>, usize> {
        match self.decoder {
            Decoder::Auto(_) if std::str::from_utf8(bytes).is_ok() => {
                super::convert::convert(bytes, &Encoding::Utf8, self.target)
            }
            _ => super::convert::convert(bytes, &self.encoding, self.target),
        }
    }
}

/// The verdict on one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// Category under the column's current length semantics.
    pub category: Category,
    /// Category if the column were switched to CHAR semantics.
    pub category_char: Category,
    /// Converted byte length as measured for the limit (CHAR: without trailing blanks).
    pub post_bytes: usize,
    pub flags: Flags,
    /// Offset of the first undefined byte, for lossy cells.
    pub first_undefined: Option<usize>,
}

fn by_limit(post: usize, limit: Option<Limit>, changed: bool) -> Category {
    match limit {
        Some(l) if post > l.bytes => Category::Truncation,
        _ if changed => Category::Convertible,
        _ => Category::Changeless,
    }
}

fn trailing_blanks(bytes: &[u8]) -> usize {
    bytes.iter().rev().take_while(|&&b| b == b' ').count()
}

/// Classifies one non-NULL cell's stored bytes.
#[inline]
pub fn classify(bytes: &[u8], p: &ColumnProfile) -> Verdict {
    let trim = if p.trim_trailing_blanks {
        trailing_blanks(bytes)
    } else {
        0
    };
    if bytes.is_ascii() {
        let post = bytes.len() - trim;
        return Verdict {
            category: by_limit(post, p.limit, false),
            category_char: by_limit(post, p.limit_char, false),
            post_bytes: post,
            flags: Flags::default(),
            first_undefined: None,
        };
    }
    match &p.decoder {
        Decoder::SingleByte(class) => classify_single_byte(bytes, class, trim, p),
        Decoder::Utf8 => classify_utf8(bytes, trim, p),
        Decoder::Cesu8 => classify_cesu8(bytes, trim, p),
        Decoder::Auto(class) => {
            if std::str::from_utf8(bytes).is_ok() {
                let mut v = classify_utf8(bytes, trim, p);
                v.flags.insert(Flags::AUTO_UTF8);
                v
            } else {
                let mut v = classify_single_byte(bytes, class, trim, p);
                v.flags.insert(Flags::AUTO_WIN1252);
                v
            }
        }
    }
}

fn classify_single_byte(
    bytes: &[u8],
    sb: &SingleByteClass,
    trim: usize,
    p: &ColumnProfile,
) -> Verdict {
    let mut extra = 0usize;
    let mut seen = 0u64;
    for block in bytes.chunks(PACKED_BLOCK) {
        let mut acc = 0u64;
        for &b in block {
            acc += sb.packed[b as usize];
        }
        extra += ((acc >> F_EXTRA) & FIELD_MASK) as usize;
        seen |= acc;
    }
    let post = bytes.len() + extra - trim;
    let mut flags = Flags::default();
    if has(seen, F_STRAY) {
        flags.insert(Flags::STRAY_CP1252);
    }
    if has(seen, F_LEAD) && has(seen, F_CONT) {
        flags.insert(utf8_like_flags(bytes));
    }
    if has(seen, F_UNDEFINED) {
        let first = bytes.iter().position(|&b| sb.undefined(b));
        return lossy(post, flags, first);
    }
    // Any byte >= 0x80 of a single-byte charset becomes 2 or 3 bytes: the value changes.
    Verdict {
        category: by_limit(post, p.limit, true),
        category_char: by_limit(post, p.limit_char, true),
        post_bytes: post,
        flags,
        first_undefined: None,
    }
}

fn lossy(post: usize, flags: Flags, first: Option<usize>) -> Verdict {
    Verdict {
        category: Category::Lossy,
        category_char: Category::Lossy,
        post_bytes: post,
        flags,
        first_undefined: first,
    }
}

/// Looks for well-formed multi-byte UTF-8 (pass-through), CESU-8 surrogate sequences and
/// U+FFFD inside bytes that are not meant to be UTF-8.
fn utf8_like_flags(bytes: &[u8]) -> Flags {
    let mut flags = Flags::default();
    let n = bytes.len();
    let cont = |i: usize| i < n && (0x80..0xC0).contains(&bytes[i]);
    let mut i = 0;
    while i < n {
        // Skip to the next lead byte followed by a continuation byte: nothing else can start
        // a multi-byte sequence.
        while i + 1 < n
            && !((0xC2..=0xF4).contains(&bytes[i]) && (0x80..0xC0).contains(&bytes[i + 1]))
        {
            i += 1;
        }
        if i + 1 >= n {
            break;
        }
        let b = bytes[i];
        let (len, second_ok) = match b {
            0xC2..=0xDF => (2, cont(i + 1)),
            0xE0 => (3, i + 1 < n && (0xA0..0xC0).contains(&bytes[i + 1])),
            0xED => {
                if i + 2 < n && (0xA0..0xC0).contains(&bytes[i + 1]) && cont(i + 2) {
                    flags.insert(Flags::CESU8_SURROGATES);
                    i += 3;
                    continue;
                }
                (3, i + 1 < n && (0x80..0xA0).contains(&bytes[i + 1]))
            }
            0xE1..=0xEF => (3, cont(i + 1)),
            0xF0 => (4, i + 1 < n && (0x90..0xC0).contains(&bytes[i + 1])),
            0xF1..=0xF3 => (4, cont(i + 1)),
            0xF4 => (4, i + 1 < n && (0x80..0x90).contains(&bytes[i + 1])),
            _ => {
                i += 1;
                continue;
            }
        };
        if second_ok && (2..len).all(|k| cont(i + k)) {
            flags.insert(Flags::UTF8_PASSTHROUGH);
            if bytes[i..i + len] == [0xEF, 0xBF, 0xBD] {
                flags.insert(Flags::REPLACEMENT_CHAR);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    flags
}

fn has_replacement_char(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, &[0xEF, 0xBF, 0xBD]).is_some()
}

fn classify_utf8(bytes: &[u8], trim: usize, p: &ColumnProfile) -> Verdict {
    let mut flags = Flags::default();
    match std::str::from_utf8(bytes) {
        Ok(_) => {
            if has_replacement_char(bytes) {
                flags.insert(Flags::REPLACEMENT_CHAR);
            }
            if double_encoded(bytes) {
                flags.insert(Flags::DOUBLE_ENCODED);
            }
            // Only a CESU-8 target changes valid UTF-8: 4-byte sequences become 6 bytes.
            let supplementary = if p.target == Target::Cesu8 {
                bytes.iter().filter(|&&b| b >= 0xF0).count()
            } else {
                0
            };
            let post = bytes.len() + 2 * supplementary - trim;
            let changed = supplementary > 0;
            Verdict {
                category: by_limit(post, p.limit, changed),
                category_char: by_limit(post, p.limit_char, changed),
                post_bytes: post,
                flags,
                first_undefined: None,
            }
        }
        Err(e) => {
            let f = utf8_like_flags(bytes);
            if f.contains(Flags::CESU8_SURROGATES) {
                flags.insert(Flags::CESU8_SURROGATES);
            }
            if has_replacement_char(bytes) {
                flags.insert(Flags::REPLACEMENT_CHAR);
            }
            lossy(
                utf8_lossy_post(bytes, p.target) - trim,
                flags,
                Some(e.valid_up_to()),
            )
        }
    }
}

/// Post-conversion length of an invalid UTF-8 value: valid characters as the target encodes
/// them, every byte of an invalid sequence as U+FFFD (3 bytes).
fn utf8_lossy_post(bytes: &[u8], target: Target) -> usize {
    bytes
        .utf8_chunks()
        .map(|c| {
            let valid = c.valid().as_bytes();
            let supplementary = if target == Target::Cesu8 {
                valid.iter().filter(|&&b| b >= 0xF0).count()
            } else {
                0
            };
            valid.len() + 2 * supplementary + 3 * c.invalid().len()
        })
        .sum()
}

fn classify_cesu8(bytes: &[u8], trim: usize, p: &ColumnProfile) -> Verdict {
    let n = bytes.len();
    let cont = |i: usize| i < n && (0x80..0xC0).contains(&bytes[i]);
    let in_range = |i: usize, lo: u8, hi: u8| i < n && (lo..=hi).contains(&bytes[i]);
    let mut flags = Flags::default();
    let mut pairs = 0usize;
    // Invalid bytes (each counted as U+FFFD, 3 bytes) and the offset of the first.
    let mut invalid = 0usize;
    let mut first_invalid = None;
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        let ok_len = match b {
            0x00..=0x7F => 1,
            0xC2..=0xDF if cont(i + 1) => 2,
            0xE0 if in_range(i + 1, 0xA0, 0xBF) && cont(i + 2) => 3,
            0xED if in_range(i + 1, 0xA0, 0xAF)
                && cont(i + 2)
                && i + 3 < n
                && bytes[i + 3] == 0xED
                && in_range(i + 4, 0xB0, 0xBF)
                && cont(i + 5) =>
            {
                pairs += 1;
                6
            }
            0xED if in_range(i + 1, 0x80, 0x9F) && cont(i + 2) => 3,
            0xE1..=0xEC | 0xEE | 0xEF if cont(i + 1) && cont(i + 2) => 3,
            _ => 0,
        };
        if ok_len == 0 {
            invalid += 1;
            first_invalid.get_or_insert(i);
            i += 1;
            continue;
        }
        i += ok_len;
    }
    // AL32UTF8 target: each 6-byte surrogate pair becomes one 4-byte sequence.
    let shrink = if p.target == Target::Al32Utf8 {
        2 * pairs
    } else {
        0
    };
    if first_invalid.is_some() {
        if pairs > 0 || utf8_like_flags(bytes).contains(Flags::CESU8_SURROGATES) {
            flags.insert(Flags::CESU8_SURROGATES);
        }
        if has_replacement_char(bytes) {
            flags.insert(Flags::REPLACEMENT_CHAR);
        }
        return lossy(n - shrink + 2 * invalid - trim, flags, first_invalid);
    }
    if pairs > 0 {
        flags.insert(Flags::CESU8_SURROGATES);
    }
    if has_replacement_char(bytes) {
        flags.insert(Flags::REPLACEMENT_CHAR);
    }
    if double_encoded(bytes) {
        flags.insert(Flags::DOUBLE_ENCODED);
    }
    let post = n - shrink - trim;
    let changed = shrink > 0;
    Verdict {
        category: by_limit(post, p.limit, changed),
        category_char: by_limit(post, p.limit_char, changed),
        post_bytes: post,
        flags,
        first_undefined: None,
    }
}

/// A readable preview of a stored value: decoded text with undefined bytes as `\xNN` and
/// control characters escaped, cut to `max_chars` characters (an ellipsis marks the cut).
pub fn decode_preview(bytes: &[u8], p: &ColumnProfile, max_chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut push = |out: &mut String, c: Option<char>, raw: &[u8]| -> bool {
        if count >= max_chars {
            out.push('…');
            return false;
        }
        count += 1;
        match c {
            Some('\n') => out.push_str("\\n"),
            Some('\r') => out.push_str("\\r"),
            Some('\t') => out.push_str("\\t"),
            Some(c) if c.is_control() => out.push_str(&format!("\\u{{{:04X}}}", c as u32)),
            Some(c) => out.push(c),
            None => {
                for b in raw {
                    out.push_str(&format!("\\x{b:02X}"));
                }
            }
        }
        true
    };
    match (&p.decoder, p.table) {
        (Decoder::Auto(_), _) if std::str::from_utf8(bytes).is_ok() => {
            for c in String::from_utf8_lossy(bytes).chars() {
                if !push(&mut out, Some(c), &[]) {
                    break;
                }
            }
        }
        (Decoder::SingleByte(class) | Decoder::Auto(class), Some(table)) => {
            for &b in bytes {
                let c = if class.undefined(b) {
                    None
                } else {
                    char::from_u32(u32::from(table[b as usize]))
                };
                if !push(&mut out, c, &[b]) {
                    break;
                }
            }
        }
        _ => {
            for chunk in bytes.utf8_chunks() {
                let mut stop = false;
                for c in chunk.valid().chars() {
                    if !push(&mut out, Some(c), &[]) {
                        stop = true;
                        break;
                    }
                }
                if stop || (!chunk.invalid().is_empty() && !push(&mut out, None, chunk.invalid())) {
                    break;
                }
            }
        }
    }
    out
}
