//! Generated `charmig-snapshot/1` directories and realistic cell values, shared by the
//! benchmarks (`benches/*.rs`) and the engine-level property tests (`tests/properties.rs`,
//! which includes this file by path). Deterministic: a seed gives the same bytes.
#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// SplitMix64: small, fast, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What the stored values of a column look like (single-byte Western European data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mix {
    /// English-like text; one value in fifty has an accented letter.
    MostlyAscii,
    /// French/German-like text: about a quarter of the bytes are Latin letters >= 0xC0.
    LatinHeavy,
    /// Text pasted from Windows: cp1252 quotes, dashes, euro signs (C1 bytes) in many values.
    StrayHeavy,
}

const WORDS: &[&[u8]] = &[
    b"the",
    b"order",
    b"customer",
    b"shipped",
    b"invoice",
    b"Paris",
    b"street",
    b"delivery",
    b"note",
    b"and",
    b"returned",
    b"payment",
    b"office",
    b"2024",
    b"for",
    b"account",
    b"contact",
    b"phone",
    b"via",
    b"email",
];
const LATIN: &[u8] = b"\xE9\xE8\xEA\xE0\xE7\xF4\xFC\xF6\xE4\xDF\xF1\xC9\xC0\xEE\xEF\xFB";
const STRAY: &[u8] = b"\x91\x92\x93\x94\x96\x97\x80\x85";

/// A value length between 8 and 200 bytes, skewed towards short values as in real columns.
pub fn value_len(rng: &mut Rng) -> usize {
    let (a, b) = (rng.range(8, 200), rng.range(8, 200));
    a.min(b)
}

/// Appends one value of about `len` bytes to `out`.
pub fn push_value(rng: &mut Rng, mix: Mix, len: usize, out: &mut Vec<u8>) {
    let start = out.len();
    let accented = match mix {
        Mix::MostlyAscii => rng.chance(2),
        _ => true,
    };
    let stray = mix == Mix::StrayHeavy && rng.chance(40);
    while out.len() - start < len {
        if out.len() > start {
            out.push(b' ');
        }
        let w = WORDS[rng.range(0, WORDS.len() - 1)];
        for &c in w {
            if mix == Mix::LatinHeavy && rng.chance(25) {
                out.push(LATIN[rng.range(0, LATIN.len() - 1)]);
            } else {
                out.push(c);
            }
        }
        if accented && mix != Mix::LatinHeavy && rng.chance(20) {
            out.push(LATIN[rng.range(0, LATIN.len() - 1)]);
        }
        if stray && rng.chance(30) {
            out.push(STRAY[rng.range(0, STRAY.len() - 1)]);
        }
    }
    out.truncate(start + len);
}

/// A column of a generated table (Oracle dictionary terms).
#[derive(Debug, Clone)]
pub struct Column {
    pub name: &'static str,
    pub data_type: &'static str,
    pub data_length: u32,
    /// `B`, `C` or empty (non-character types).
    pub char_used: &'static str,
}

/// A realistic column set: a NUMBER key, short and long VARCHAR2 (BYTE), a CHAR, a CHAR
/// semantics VARCHAR2 and a CLOB.
pub fn standard_columns() -> Vec<Column> {
    vec![
        Column {
            name: "ID",
            data_type: "NUMBER",
            data_length: 22,
            char_used: "",
        },
        Column {
            name: "NAME",
            data_type: "VARCHAR2",
            data_length: 40,
            char_used: "B",
        },
        Column {
            name: "CODE",
            data_type: "CHAR",
            data_length: 12,
            char_used: "B",
        },
        Column {
            name: "NOTE",
            data_type: "VARCHAR2",
            data_length: 200,
            char_used: "B",
        },
        Column {
            name: "TITLE",
            data_type: "VARCHAR2",
            data_length: 60,
            char_used: "C",
        },
        Column {
            name: "BODY",
            data_type: "CLOB",
            data_length: 4000,
            char_used: "",
        },
    ]
}

/// One generated row of `standard_columns()`: `None` is NULL.
pub fn standard_row(rng: &mut Rng, mix: Mix, id: u64) -> Vec<Option<Vec<u8>>> {
    let mut cells = Vec::with_capacity(6);
    cells.push(Some(id.to_string().into_bytes()));
    for (max, null_pct) in [(44usize, 5u64), (12, 10), (210, 20), (70, 10), (400, 30)] {
        if rng.chance(null_pct) {
            cells.push(None);
            continue;
        }
        let mut v = Vec::new();
        let len = value_len(rng).min(max);
        push_value(rng, mix, len, &mut v);
        cells.push(Some(v));
    }
    // CHAR(12): blank-padded to its byte length when it fits, as Oracle stores it.
    if let Some(code) = &mut cells[2] {
        while code.len() < 12 {
            code.push(b' ');
        }
    }
    cells
}

/// Writes a snapshot directory table by table.
pub struct SnapshotWriter {
    dir: PathBuf,
    columns_csv: String,
    tables_csv: String,
    tables: usize,
    pub bytes_written: u64,
}

impl SnapshotWriter {
    pub fn new(dir: &Path, dialect: &str, charset: &str) -> io::Result<SnapshotWriter> {
        fs::create_dir_all(dir.join("data"))?;
        fs::write(
            dir.join("snapshot.json"),
            format!(
                r#"{{"format":"charmig-snapshot/1","source":{{"dialect":"{dialect}","version":"19.0.0.0.0","charset":"{charset}","nchar_charset":"AL16UTF16","max_string_size":"STANDARD"}}}}"#
            ),
        )?;
        Ok(SnapshotWriter {
            dir: dir.to_path_buf(),
            columns_csv: "owner,table_name,column_name,column_id,data_type,data_length,char_length,char_used,nullable\n".into(),
            tables_csv: "owner,table_name,num_rows,data_file\n".into(),
            tables: 0,
            bytes_written: 0,
        })
    }

    /// Writes one table's dictionary entries and data file.
    pub fn table(
        &mut self,
        owner: &str,
        name: &str,
        columns: &[Column],
        rows: impl Iterator<Item = Vec<Option<Vec<u8>>>>,
    ) -> io::Result<u64> {
        for (i, c) in columns.iter().enumerate() {
            self.columns_csv.push_str(&format!(
                "{owner},{name},{},{},{},{},{},{},Y\n",
                c.name,
                i + 1,
                c.data_type,
                c.data_length,
                c.data_length,
                c.char_used
            ));
        }
        let file = format!("data/{owner}.{name}.csv");
        let mut w = BufWriter::with_capacity(1 << 20, File::create(self.dir.join(&file))?);
        let header: Vec<&str> = columns.iter().map(|c| c.name).collect();
        writeln!(w, "ROWID,{}", header.join(","))?;
        let mut line = Vec::with_capacity(4096);
        let mut n = 0u64;
        for row in rows {
            line.clear();
            line.extend_from_slice(format!("R{:05}{n:012}", self.tables).as_bytes());
            for cell in &row {
                line.push(b',');
                if let Some(v) = cell {
                    line.push(b'x');
                    for &b in v {
                        line.extend_from_slice(&[HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
                    }
                }
            }
            line.push(b'\n');
            w.write_all(&line)?;
            self.bytes_written += line.len() as u64;
            n += 1;
        }
        w.flush()?;
        self.tables_csv
            .push_str(&format!("{owner},{name},{n},{file}\n"));
        self.tables += 1;
        Ok(n)
    }

    pub fn finish(self) -> io::Result<u64> {
        fs::write(self.dir.join("columns.csv"), &self.columns_csv)?;
        fs::write(self.dir.join("tables.csv"), &self.tables_csv)?;
        Ok(self.bytes_written)
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Writes a snapshot of `tables` tables of `standard_columns()`, each with about
/// `bytes_per_table` bytes of data file; returns the total data bytes.
pub fn generate(
    dir: &Path,
    charset: &str,
    tables: usize,
    bytes_per_table: u64,
    mix: Mix,
    seed: u64,
) -> io::Result<u64> {
    let mut w = SnapshotWriter::new(dir, "oracle", charset)?;
    let cols = standard_columns();
    for t in 0..tables {
        let mut rng = Rng::new(seed ^ ((t as u64) << 32));
        let (mut id, mut size) = (0u64, 0u64);
        let rows = std::iter::from_fn(|| {
            if size >= bytes_per_table {
                return None;
            }
            let row = standard_row(&mut rng, mix, id);
            // As written: rowid, separators, `x` + two hex digits per byte, newline.
            size += 20
                + row
                    .iter()
                    .map(|c| c.as_ref().map_or(1, |v| 2 + 2 * v.len() as u64))
                    .sum::<u64>();
            id += 1;
            Some(row)
        });
        w.table("BENCH", &format!("T{t}"), &cols, rows)?;
    }
    w.finish()
}
