use super::*;
use crate::catalog::MaxStringSize;
use crate::verify::data::{LineHasher, SideSum};

fn traits(charset: &str) -> DbTraits {
    DbTraits {
        charset: charset.into(),
        nchar_charset: "AL16UTF16".into(),
        max_string_size: MaxStringSize::Standard,
        major: 19,
    }
}

fn batch(rows: &[Vec<Option<&[u8]>>]) -> Batch {
    let mut b = Batch::new(rows.first().map_or(0, |r| r.len()));
    for (i, r) in rows.iter().enumerate() {
        b.start_row(b"AAAR", i as u64 + 1);
        for c in r {
            match c {
                Some(v) => b.push_cell(v),
                None => b.push_null(),
            }
        }
    }
    b
}

fn lines(rows: &[Vec<Option<&[u8]>>], forms: &[CellForm]) -> (String, Vec<u64>) {
    let mut out = Vec::new();
    let mut bad = vec![0; forms.len()];
    lines_of(&batch(rows), forms, &mut Vec::new(), &mut bad, &mut out);
    (String::from_utf8(out).unwrap(), bad)
}

fn text(charset: &str, fixed: bool) -> CellForm {
    CellForm::Text {
        reading: Reading::parse_in(charset, Dialect::Oracle).unwrap(),
        fixed,
    }
}

fn job(n: usize) -> TableJob {
    TableJob {
        schema: "HR".into(),
        name: "EMP".into(),
        source_index: 0,
        target_index: 0,
        columns: (0..n).map(|i| format!("C{i}")).collect(),
        readings: vec![Reading::parse("UTF8").unwrap(); n],
        key: Some(vec![0]),
        text: vec![true; n],
        canon: Vec::new(),
    }
}

fn sum(j: &TableJob, lines: &str) -> SideSum {
    let mut s = SideSum {
        double_encoded: vec![0; j.columns.len()],
        replacement: vec![0; j.columns.len()],
        ..SideSum::default()
    };
    LineHasher::new(j, Side::Target).add_chunk(lines.as_bytes(), &mut s);
    s
}

#[test]
fn oracle_lines_are_the_copy_text_postgresql_prints_for_the_same_values() {
    // NUMBER, VARCHAR2 with a tab, a backslash and a line break, NULL, RAW, DATE.
    let forms = [
        CellForm::Printed,
        text("WE8ISO8859P15", false),
        text("WE8ISO8859P15", false),
        CellForm::Hex,
        CellForm::Printed,
    ];
    let (got, bad) = lines(
        &[vec![
            Some(b"-1.5"),
            Some(b"caf\xe9\t\xa4\\\nx"),
            None,
            Some(&[0x01, 0xab]),
            Some(b"2024-02-29 13:05:00"),
        ]],
        &forms,
    );
    // `COPY (SELECT -1.5::numeric, E'café\t€\\\nx', NULL, '\x01ab'::bytea, ...) TO STDOUT`
    let pg = "-1.5\tcafé\\t€\\\\\\nx\t\\N\t\\\\x01ab\t2024-02-29 13:05:00\n";
    assert_eq!(got, pg);
    assert_eq!(bad, vec![0; 5]);
    let j = job(5);
    assert_eq!(sum(&j, &got), sum(&j, pg));
}

#[test]
fn source_bytes_and_target_utf8_give_one_checksum_in_any_order() {
    let src = [text("WE8MSWIN1252", false), text("WE8MSWIN1252", true)];
    let tgt = [text("AL32UTF8", false), text("AL32UTF8", true)];
    let (s, _) = lines(
        &[
            vec![Some(b"1"), Some(b"\x80 caf\xe9    ")],
            vec![Some(b"2"), None],
        ],
        &src,
    );
    // The target's CHAR(12 CHAR) pads further than the source's CHAR(10 BYTE).
    let (t, _) = lines(
        &[
            vec![Some(b"2"), None],
            vec![Some(b"1"), Some("€ café       ".as_bytes())],
        ],
        &tgt,
    );
    let j = job(2);
    assert!(sum(&j, &s).same_content(&sum(&j, &t)), "{s:?} {t:?}");
    // A changed character is seen.
    let (t2, _) = lines(
        &[
            vec![Some(b"2"), None],
            vec![Some(b"1"), Some("€ cafe".as_bytes())],
        ],
        &tgt,
    );
    assert!(!sum(&j, &s).same_content(&sum(&j, &t2)));
}

#[test]
fn national_utf16_is_decoded_and_bad_cells_are_counted() {
    let forms = [CellForm::Utf16 { fixed: true }, text("AL32UTF8", false)];
    let (got, bad) = lines(
        &[vec![
            Some(&[0x00, 0xe9, 0x20, 0xac, 0x00, 0x20]),
            Some(b"ok"),
        ]],
        &forms,
    );
    assert_eq!(got, "é€\tok\n");
    assert_eq!(bad, vec![0, 0]);
    // A lone surrogate in UTF-16, a byte that is not UTF-8 on the target.
    let (got, bad) = lines(&[vec![Some(&[0xd8, 0x00]), Some(b"a\xffb")]], &forms);
    assert_eq!(got, "\u{FFFD}\ta\u{FFFD}b\n");
    assert_eq!(bad, vec![1, 1]);
}

#[test]
fn blobs_are_compared_by_length_and_hash() {
    let f = [CellForm::Hashed];
    let (a, _) = lines(&[vec![Some(b"\x00\x01\x02")]], &f);
    let (b, _) = lines(&[vec![Some(b"\x00\x01\x03")]], &f);
    let (c, _) = lines(&[vec![Some(b"")]], &f);
    assert!(
        a.starts_with("blob:3:") && a != b && c.starts_with("blob:0:"),
        "{a} {b} {c}"
    );
    assert_eq!(a, lines(&[vec![Some(b"\x00\x01\x02")]], &f).0);
}

fn col(name: &str, data_type: &str, len: u32) -> Column {
    Column {
        name: name.into(),
        column_id: 1,
        data_type: data_type.into(),
        data_length: Some(len),
        char_length: Some(len),
        semantics: None,
        nullable: true,
    }
}

#[test]
fn the_plan_reads_text_as_stored_and_prints_the_rest() {
    let t = Table {
        owner: "HR".into(),
        name: "EMP".into(),
        num_rows: None,
        columns: vec![
            col("NAME", "VARCHAR2", 30),
            col("SAL", "NUMBER", 22),
            col("PHOTO", "BLOB", 4000),
            col("NOTE", "NVARCHAR2", 100),
            col("TAG", "RAW", 16),
        ],
    };
    let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    let readings = vec![Reading::parse_in("WE8ISO8859P15", Dialect::Oracle).unwrap(); 5];
    let src = plan(
        &t,
        &names,
        &traits("WE8ISO8859P15"),
        Side::Source,
        &readings,
    )
    .unwrap();
    let reads: Vec<&ReadAs> = src.iter().map(|(r, _)| &r.read).collect();
    assert_eq!(reads[0], &ReadAs::Raw);
    assert!(matches!(reads[1], ReadAs::Expr(e) if e.contains("TM9")));
    assert!(matches!(src[2].1, CellForm::Hashed));
    assert!(matches!(src[3].1, CellForm::Utf16 { .. }));
    assert!(matches!(src[4].1, CellForm::Hex));
    let tgt = plan(&t, &names, &traits("AL32UTF8"), Side::Target, &[]).unwrap();
    assert_eq!(tgt[0].0.read, ReadAs::Text);
    // The target never uses the source's readings.
    assert!(matches!(tgt[0].1, CellForm::Text { .. }));
    let xml = Table {
        columns: vec![col("DOC", "XMLTYPE", 0)],
        ..t.clone()
    };
    assert!(!compared(&xml.columns[0]));
    assert!(
        plan(
            &xml,
            &["DOC".into()],
            &traits("AL32UTF8"),
            Side::Target,
            &[]
        )
        .is_err()
    );
}

#[test]
fn clobs_take_the_same_conversion_path_on_both_sides() {
    // The scan reads an AL32UTF8 CLOB as the column itself (fetched as LONG by the client);
    // verify reads it through CONVERTTOBLOB like the source's, so NULL and an empty CLOB
    // reach the line the same way on both sides.
    let t = Table {
        owner: "HR".into(),
        name: "DOC".into(),
        num_rows: None,
        columns: vec![col("BODY", "CLOB", 4000), col("N", "NCLOB", 4000)],
    };
    let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    let readings = vec![Reading::parse_in("WE8MSWIN1252", Dialect::Oracle).unwrap(); 2];
    let src = plan(&t, &names, &traits("WE8MSWIN1252"), Side::Source, &readings).unwrap();
    let tgt = plan(&t, &names, &traits("AL32UTF8"), Side::Target, &[]).unwrap();
    let lob = |cs: &str| ReadAs::Lob {
        csid_charset: cs.into(),
    };
    assert_eq!(
        (&src[0].0.read, &tgt[0].0.read),
        (&lob("WE8MSWIN1252"), &lob("AL32UTF8"))
    );
    assert_eq!(
        (&src[1].0.read, &tgt[1].0.read),
        (&lob("AL16UTF16"), &lob("AL16UTF16"))
    );
    // An empty CLOB (empty BLOB fetched) is an empty field on both sides, not \N.
    let (s, _) = lines(&[vec![Some(b""), None]], &[src[0].1, src[1].1]);
    let (g, _) = lines(&[vec![Some(b""), None]], &[tgt[0].1, tgt[1].1]);
    assert_eq!((s.as_str(), g.as_str()), ("\t\\N\n", "\t\\N\n"));
}
