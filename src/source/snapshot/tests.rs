//! Unit tests of the snapshot reader's pieces: hex, record cuts, the plain fast path.

use super::*;

#[test]
fn hex_round_trip_and_errors() {
    let mut out = Vec::new();
    decode_hex(b"C3a9", &mut out).unwrap();
    assert_eq!(out, vec![0xC3, 0xA9]);
    assert_eq!(decode_hex(b"C3A", &mut Vec::new()), Err(2));
    assert_eq!(decode_hex(b"ZZ", &mut Vec::new()), Err(0));
    assert_eq!(decode_hex(b"0G", &mut Vec::new()), Err(1));
    let mut s = String::new();
    encode_hex(&[0x00, 0xAB, 0xFF], &mut s);
    assert_eq!(s, "00ABFF");
}

type Rows = Vec<(Vec<u8>, u64, Vec<Option<Vec<u8>>>)>;

fn rows(b: &Batch) -> Rows {
    (0..b.rows())
        .map(|r| {
            (
                b.rowid(r).to_vec(),
                b.line(r),
                (0..b.ncols())
                    .map(|c| b.cell(r, c).map(<[u8]>::to_vec))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn plain_fast_path_agrees_with_the_csv_reader() {
    let layout = Arc::new(Layout {
        file: "d.csv".into(),
        fields: 3,
        positions: vec![2, 1],
        names: vec!["B".into(), "A".into()],
    });
    let inputs: &[&[u8]] = &[
        b"R1,x41,\nR2,,x4243\n",
        b"R1,x41,\nR2,,x42\n\n",
        b"",
        b"\n",
        b"R1,x41\n",
        b"R1,x41,,\n",
        b"R1,x41,x\nR2,x4G,\n",
        b"R1,x41,x\nR2,x414,\n",
        b"R1,41,\n",
        b"R1,x41,x00FF\nR2,,\nR3,xC3A9,x\n",
    ];
    for &data in inputs {
        let chunk = SnapshotChunk {
            data: data.to_vec(),
            first_line: 7,
            layout: Arc::clone(&layout),
        };
        let (mut a, mut b) = (Batch::new(2), Batch::new(2));
        let plain = chunk.decode_plain(&mut a).map_err(|e| e.to_string());
        let csv = chunk.decode_csv(&mut b).map_err(|e| e.to_string());
        let what = String::from_utf8_lossy(data);
        assert_eq!(plain, csv, "{what}");
        if plain.is_ok() {
            assert_eq!(rows(&a), rows(&b), "{what}");
        }
    }
    // The rows themselves, once. Line numbers are physical lines: the CSV reader does not
    // count blank lines it skips (it would say 8 here), the fast path does.
    let chunk = SnapshotChunk {
        data: b"R1,x41,\n\nR2,,x4243".to_vec(),
        first_line: 7,
        layout,
    };
    let mut a = Batch::new(2);
    chunk.decode(&mut a).unwrap();
    let expected: Rows = vec![
        (b"R1".to_vec(), 7, vec![None, Some(b"A".to_vec())]),
        (b"R2".to_vec(), 9, vec![Some(b"BC".to_vec()), None]),
    ];
    assert_eq!(rows(&a), expected);
}

#[test]
fn hex_errors_point_at_the_first_bad_digit() {
    let mut out = b"kept".to_vec();
    assert_eq!(decode_hex(b"41424G", &mut out), Err(5));
    assert_eq!(decode_hex(b"Z1424G", &mut out), Err(0));
    assert_eq!(out, b"kept");
    decode_hex(b"00fFaB", &mut out).unwrap();
    assert_eq!(out, b"kept\x00\xFF\xAB");
}

#[test]
fn record_end_respects_quotes() {
    assert_eq!(record_end(b"a,b\nc,d\ne", 9), Some(8));
    assert_eq!(record_end(b"\"a\nb\",x\n\"c\n", 11), Some(8));
    assert_eq!(record_end(b"abc", 3), None);
    // `"R`, newline, `X",a`, newline: the record ends after byte 7.
    assert_eq!(first_record_end(b"\"R\nX\",a\nb\nc"), Some(8));
}
