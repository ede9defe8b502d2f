//! The binary path of `charmig copy --via client`: the source's rows read with `COPY … TO
//! STDOUT (FORMAT binary)` and written with `COPY … FROM STDIN (FORMAT binary)`, converting
//! only the character fields. The target's COPY then parses no text (its binary load is about
//! a third cheaper than the text load, which is the copy's bottleneck), and the source prints
//! none.
//!
//! Which columns go which way (decided per table; one column outside both lists sends the
//! whole table through the text path of [`super::text`]):
//! - **passed through** byte for byte, their binary form holding no characters: `smallint`,
//!   `integer`, `bigint`, `real`, `double precision`, `numeric`, `boolean`, `date`, `time`,
//!   `timetz`, `timestamp`, `timestamptz`, `interval`, `bytea`, `uuid`, `oid`, `inet`,
//!   `cidr`, `macaddr`, `macaddr8`, `bit`, `bit varying`, `money`. The source's and the
//!   target's types must be the same (modifiers aside: the target's receive function applies
//!   its own, as its text input would).
//! - **converted**: `text`, `character varying`, `character(n)`, `name`, `json` and `jsonb`.
//!   Their binary form is the text in the session's encoding, so the source reads them as
//!   `col::text` in a session whose `client_encoding` is the server encoding (the stored
//!   bytes, which the server does not convert; see `PgSource::read_binary`), charmig converts
//!   those bytes to UTF-8 with the column's charset, exactly as
//!   the text path does, and writes them as the target's binary form (`jsonb`: a version
//!   byte 1, then the text). `character(n)` reads without its trailing blanks (the cast to
//!   text drops them) and the target pads it back to n, as its text input does; a `bpchar`
//!   without length goes the text way.
//! - **text path** for everything else: arrays, composites, ranges, enums, domains (in the
//!   target), `xml`, the internal `"char"`, extension types (`citext` …), and any column whose
//!   source and target types differ. Also every table of a `--verify` run (its checksum is
//!   taken over the text form).
//!
//! A cell that does not convert stops the table naming the column, row and key, or with
//! `--on-lossy replace` gets U+FFFD, exactly as on the text path.

use super::reading::Reading;
use super::text::{OnLossy, Unconvertible, printable, replace_into};
use crate::dialect::postgres::ident as quote;

/// The binary COPY header: signature, flags 0, no extension.
pub const HEADER: &[u8; 19] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// The end of a binary COPY stream.
pub const TRAILER: &[u8; 2] = &[0xff, 0xff];

/// How one column travels.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    /// Bytes passed through; `int` when it is an integer (for naming a row by its key).
    Pass { int: bool },
    /// Stored bytes converted to UTF-8 as the column is read (its charset, or `auto`).
    Text(Reading),
    /// `jsonb`: converted as text, written after the format's version byte.
    Jsonb(Reading),
}

const PASS: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "real",
    "double precision",
    "numeric",
    "boolean",
    "date",
    "time without time zone",
    "time with time zone",
    "timestamp without time zone",
    "timestamp with time zone",
    "interval",
    "bytea",
    "uuid",
    "oid",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "bit",
    "bit varying",
    "money",
];
const TEXT: &[&str] = &["text", "character varying", "character", "name", "json"];

impl PartialEq for Field {
    fn eq(&self, o: &Field) -> bool {
        match (self, o) {
            (Field::Pass { int: a }, Field::Pass { int: b }) => a == b,
            (Field::Text(a), Field::Text(b)) | (Field::Jsonb(a), Field::Jsonb(b)) => {
                a.same_charset(b)
            }
            _ => false,
        }
    }
}

/// `format_type` output without its modifiers: `timestamp(3) with time zone` ->
/// `timestamp with time zone`.
fn base(t: &str) -> String {
    crate::source::postgres::catalog::base_type_name(t)
}

/// How each column of a table travels, or `None` when the table must take the text path.
/// `target_types` are the target's `format_type`s, `source_types` the source's base types
/// (domains resolved), `encodings` each column's charset.
pub fn layout(
    target_types: &[String],
    source_types: &[String],
    encodings: &[Reading],
) -> Option<Vec<Field>> {
    target_types
        .iter()
        .zip(source_types)
        .zip(encodings)
        .map(|((tt, st), &enc)| {
            let (tb, sb) = (base(tt), base(st));
            // A target type qualified by its schema (an extension's) is not a built-in one.
            if tb != *tt && !tt.contains('(') || tb != sb || st.ends_with("[]") {
                return None;
            }
            match tb.as_str() {
                "character" if !tt.contains('(') => None,
                "jsonb" => Some(Field::Jsonb(enc)),
                b if TEXT.contains(&b) => Some(Field::Text(enc)),
                b if PASS.contains(&b) => Some(Field::Pass {
                    int: matches!(b, "smallint" | "integer" | "bigint"),
                }),
                _ => None,
            }
        })
        .collect::<Option<Vec<_>>>()
        .filter(|f| f.len() == target_types.len() && !f.is_empty())
}

/// The source's select list for `fields`: converted columns as text, which a session in the
/// server encoding receives as their stored bytes.
pub fn select_list(columns: &[String], fields: &[Field]) -> Vec<String> {
    columns
        .iter()
        .zip(fields)
        .map(|(c, f)| match f {
            Field::Pass { .. } => quote(c),
            Field::Text(_) | Field::Jsonb(_) => format!("{}::text", quote(c)),
        })
        .collect()
}

/// Why a binary stream could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BinaryError {
    Cell(Unconvertible),
    /// The stream is not what was asked for (a bug or a server surprise, never data).
    Stream(String),
}

/// Converts a binary COPY stream, given in pieces cut anywhere, into the target's.
pub struct BinaryConverter {
    pub fields: Vec<Field>,
    pub on_lossy: OnLossy,
    /// The fields holding the row's key, for messages.
    pub key_fields: Vec<usize>,
    pub rows: u64,
    pub replaced_cells: u64,
    /// Per field, the most bytes its converted value may have (see
    /// [`super::text::RowConverter::limits`]); empty: none.
    pub limits: Vec<Option<usize>>,
    carry: Vec<u8>,
    header_read: bool,
    pub ended: bool,
}

fn be32(b: &[u8]) -> i32 {
    i32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

impl BinaryConverter {
    pub fn new(fields: Vec<Field>, on_lossy: OnLossy, key_fields: Vec<usize>) -> Self {
        BinaryConverter {
            fields,
            on_lossy,
            key_fields,
            rows: 0,
            replaced_cells: 0,
            limits: Vec::new(),
            carry: Vec::new(),
            header_read: false,
            ended: false,
        }
    }

    /// Converts the whole rows of `data` (and of what earlier pieces left) into `out`, which
    /// gets no header or trailer (the writer adds them); the rest waits for the next piece.
    pub fn convert_chunk(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<(), BinaryError> {
        if self.carry.is_empty() {
            let used = self.convert_rows(data, out)?;
            self.carry.extend_from_slice(&data[used..]);
        } else {
            let mut buf = std::mem::take(&mut self.carry);
            buf.extend_from_slice(data);
            let used = self.convert_rows(&buf, out)?;
            buf.drain(..used);
            self.carry = buf;
        }
        Ok(())
    }

    /// Checks the stream ended where it should.
    pub fn finish(&self) -> Result<(), BinaryError> {
        if !self.ended || !self.carry.is_empty() {
            return Err(BinaryError::Stream(format!(
                "the source's binary COPY stream ended early or with {} stray bytes",
                self.carry.len()
            )));
        }
        Ok(())
    }

    fn convert_rows(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<usize, BinaryError> {
        let mut pos = 0;
        if !self.header_read {
            if data.len() < 19 {
                return Ok(0);
            }
            if data[..11] != HEADER[..11] {
                return Err(BinaryError::Stream(
                    "the source's COPY output is not in the binary format".into(),
                ));
            }
            let ext = be32(&data[15..19]).max(0) as usize;
            if data.len() < 19 + ext {
                return Ok(0);
            }
            pos = 19 + ext;
            self.header_read = true;
        }
        while !self.ended {
            // The whole row must be there before any of it is written.
            let Some(end) = self.row_end(data, pos)? else {
                break;
            };
            if end == pos + 2 && data[pos..pos + 2] == *TRAILER {
                self.ended = true;
                pos = end;
                break;
            }
            self.row(&data[pos..end], out)?;
            pos = end;
        }
        Ok(pos)
    }

    /// Where the row starting at `pos` ends, when it is complete in `data`.
    fn row_end(&self, data: &[u8], pos: usize) -> Result<Option<usize>, BinaryError> {
        let Some(head) = data.get(pos..pos + 2) else {
            return Ok(None);
        };
        let n = i16::from_be_bytes([head[0], head[1]]);
        if n == -1 {
            return Ok(Some(pos + 2));
        }
        if n as usize != self.fields.len() {
            return Err(BinaryError::Stream(format!(
                "a row of the source's COPY has {n} fields, expected {}",
                self.fields.len()
            )));
        }
        let mut p = pos + 2;
        for _ in 0..n {
            let Some(len) = data.get(p..p + 4) else {
                return Ok(None);
            };
            p += 4 + be32(len).max(0) as usize;
            if p > data.len() {
                return Ok(None);
            }
        }
        Ok(Some(p))
    }

    fn row(&mut self, row: &[u8], out: &mut Vec<u8>) -> Result<(), BinaryError> {
        self.rows += 1;
        out.extend_from_slice(&row[..2]);
        let mut p = 2;
        for (column, field) in self.fields.iter().enumerate() {
            let len = be32(&row[p..p + 4]);
            p += 4;
            if len < 0 {
                out.extend_from_slice(&row[p - 4..p]);
                continue;
            }
            let value = &row[p..p + len as usize];
            p += len as usize;
            let reading = match *field {
                Field::Pass { .. } => {
                    out.extend_from_slice(&row[p - 4 - len as usize..p]);
                    continue;
                }
                Field::Text(r) | Field::Jsonb(r) => r,
            };
            let at = out.len();
            out.extend_from_slice(&[0; 4]);
            if matches!(field, Field::Jsonb(_)) {
                out.push(1);
            }
            let body = out.len();
            if let Err(offset) = reading.convert_into(value, out) {
                match self.on_lossy {
                    OnLossy::Fail => {
                        return Err(self.cell(row, column, offset, value[offset], None));
                    }
                    OnLossy::Replace => {
                        out.truncate(body);
                        replace_into(value, reading.fallback(), out);
                        self.replaced_cells += 1;
                    }
                }
            }
            let n = (out.len() - at - 4) as i32;
            if let Some(Some(limit)) = self.limits.get(column)
                && n as usize > *limit
            {
                return Err(self.cell(row, column, 0, 0, Some(n as usize)));
            }
            out[at..at + 4].copy_from_slice(&n.to_be_bytes());
        }
        Ok(())
    }

    /// The error naming a cell of `row` (see [`Unconvertible`]).
    fn cell(
        &self,
        row: &[u8],
        column: usize,
        offset: usize,
        byte: u8,
        too_long: Option<usize>,
    ) -> BinaryError {
        BinaryError::Cell(Unconvertible {
            row: self.rows,
            column,
            key: self
                .key_fields
                .iter()
                .map(|&k| self.field_text(row, k))
                .collect(),
            offset,
            byte,
            too_long,
        })
    }

    /// Field `k` of a row, printable (an integer as its number, text as its bytes).
    fn field_text(&self, row: &[u8], k: usize) -> String {
        let mut p = 2;
        for (i, f) in self.fields.iter().enumerate() {
            let len = be32(&row[p..p + 4]);
            p += 4;
            let v = &row[p..p + len.max(0) as usize];
            if i == k {
                return match (f, len, v.len()) {
                    (_, -1, _) => "NULL".into(),
                    (Field::Pass { int: true }, _, 2) => {
                        i16::from_be_bytes([v[0], v[1]]).to_string()
                    }
                    (Field::Pass { int: true }, _, 4) => be32(v).to_string(),
                    (Field::Pass { int: true }, _, 8) => {
                        i64::from_be_bytes(v.try_into().expect("8 bytes")).to_string()
                    }
                    (Field::Pass { .. }, _, _) => {
                        v.iter().map(|b| format!("{b:02x}")).collect::<String>()
                    }
                    _ => printable(v),
                };
            }
            p += len.max(0) as usize;
        }
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn enc(name: &str) -> Reading {
        super::super::reading::reading(name, None).unwrap()
    }

    fn field(v: Option<&[u8]>) -> Vec<u8> {
        match v {
            None => (-1i32).to_be_bytes().to_vec(),
            Some(b) => [&(b.len() as i32).to_be_bytes()[..], b].concat(),
        }
    }

    fn row(fields: &[Option<&[u8]>]) -> Vec<u8> {
        let mut r = (fields.len() as i16).to_be_bytes().to_vec();
        for f in fields {
            r.extend(field(*f));
        }
        r
    }

    #[test]
    fn layout_sends_only_known_types_the_binary_way() {
        let l9 = enc("LATIN9");
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            layout(
                &s(&[
                    "integer",
                    "character varying(20)",
                    "character(6)",
                    "jsonb",
                    "timestamp(3) with time zone"
                ]),
                &s(&[
                    "integer",
                    "character varying",
                    "character",
                    "jsonb",
                    "timestamp with time zone"
                ]),
                &[l9; 5]
            ),
            Some(vec![
                Field::Pass { int: true },
                Field::Text(l9),
                Field::Text(l9),
                Field::Jsonb(l9),
                Field::Pass { int: false }
            ])
        );
        for (t, src) in [
            ("text[]", "text[]"),
            ("integer[]", "integer[]"),
            ("bpchar", "bpchar"),
            ("xml", "xml"),
            ("citext", "citext"),
            ("public.citext", "citext"),
            ("mood", "mood"),
            ("bigint", "integer"),
            ("jsonb", "json"),
            ("\"char\"", "\"char\""),
        ] {
            assert_eq!(
                layout(&s(&["integer", t]), &s(&["integer", src]), &[l9; 2]),
                None,
                "{t}"
            );
        }
    }

    #[test]
    fn converts_text_fields_and_passes_the_others_across_any_cut() {
        let l9 = enc("LATIN9");
        let fields = vec![
            Field::Pass { int: true },
            Field::Text(l9),
            Field::Jsonb(l9),
            Field::Text(l9),
        ];
        let mut src = HEADER.to_vec();
        src.extend(row(&[
            Some(&7i32.to_be_bytes()),
            Some(b"caf\xe9 \xa4"),
            Some(b"{\"k\": \"\xe9\"}"),
            None,
        ]));
        src.extend(row(&[
            Some(&8i32.to_be_bytes()),
            Some(b""),
            None,
            Some(b"ab"),
        ]));
        src.extend_from_slice(TRAILER);
        let mut want = row(&[
            Some(&7i32.to_be_bytes()),
            Some("café €".as_bytes()),
            Some("\u{1}{\"k\": \"é\"}".as_bytes()),
            None,
        ]);
        want.extend(row(&[
            Some(&8i32.to_be_bytes()),
            Some(b""),
            None,
            Some(b"ab"),
        ]));
        for cut in 0..src.len() {
            let mut c = BinaryConverter::new(fields.clone(), OnLossy::Fail, vec![0]);
            let mut out = Vec::new();
            c.convert_chunk(&src[..cut], &mut out).unwrap();
            c.convert_chunk(&src[cut..], &mut out).unwrap();
            c.finish().unwrap();
            assert_eq!(out, want, "cut at {cut}");
            assert_eq!(c.rows, 2);
        }
    }

    #[test]
    fn a_cell_that_does_not_convert_is_named_by_its_key_or_replaced() {
        let l9 = enc("LATIN9");
        let fields = vec![Field::Pass { int: true }, Field::Text(l9)];
        let mut src = HEADER.to_vec();
        src.extend(row(&[Some(&7i32.to_be_bytes()), Some(b"ok")]));
        src.extend(row(&[Some(&8i32.to_be_bytes()), Some(b"x\x80y")]));
        let mut c = BinaryConverter::new(fields.clone(), OnLossy::Fail, vec![0]);
        let e = c.convert_chunk(&src, &mut Vec::new()).unwrap_err();
        assert_eq!(
            e,
            BinaryError::Cell(Unconvertible {
                row: 2,
                column: 1,
                key: vec!["8".into()],
                offset: 1,
                byte: 0x80,
                too_long: None
            })
        );
        let mut c = BinaryConverter::new(fields, OnLossy::Replace, vec![]);
        let mut out = Vec::new();
        c.convert_chunk(&src, &mut out).unwrap();
        assert!(out.ends_with("x\u{FFFD}y".as_bytes()) && c.replaced_cells == 1);
        assert!(c.finish().is_err(), "no trailer: the stream did not end");
    }
}
