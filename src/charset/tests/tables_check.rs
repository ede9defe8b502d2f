//! The generated tables against a second, independent source (encoding_rs, i.e. the WHATWG
//! indexes), byte by byte, with every legitimate difference listed with its reason; and the
//! generator's output against the committed `tables.rs`.

use crate::charset::tables::{self, UNDEFINED};
use encoding_rs::Encoding as Whatwg;

/// A reference for one generated table.
enum Reference {
    /// A WHATWG encoding of the same name and edition.
    Whatwg(&'static Whatwg),
    /// ISO-8859-1: WHATWG has none (its `iso-8859-1` label is windows-1252); the reference
    /// is encoding_rs's own Latin-1 decoder (`mem::decode_latin1`, byte n -> U+00nn).
    Latin1,
}

fn references() -> Vec<(&'static str, &'static [u16; 256], Reference)> {
    use Reference::Whatwg as W;
    vec![
        ("ISO8859_1", &tables::ISO8859_1, Reference::Latin1),
        ("ISO8859_2", &tables::ISO8859_2, W(encoding_rs::ISO_8859_2)),
        ("ISO8859_5", &tables::ISO8859_5, W(encoding_rs::ISO_8859_5)),
        ("ISO8859_7", &tables::ISO8859_7, W(encoding_rs::ISO_8859_7)),
        // WHATWG has no ISO-8859-9 either (the label means windows-1254): compare with
        // windows-1254, whose A0–FF half is ISO-8859-9's; the C1 half differs (listed).
        (
            "ISO8859_9",
            &tables::ISO8859_9,
            W(encoding_rs::WINDOWS_1254),
        ),
        (
            "ISO8859_15",
            &tables::ISO8859_15,
            W(encoding_rs::ISO_8859_15),
        ),
        ("CP1250", &tables::CP1250, W(encoding_rs::WINDOWS_1250)),
        ("CP1251", &tables::CP1251, W(encoding_rs::WINDOWS_1251)),
        ("CP1252", &tables::CP1252, W(encoding_rs::WINDOWS_1252)),
        ("CP1253", &tables::CP1253, W(encoding_rs::WINDOWS_1253)),
        ("CP1254", &tables::CP1254, W(encoding_rs::WINDOWS_1254)),
        ("CP1255", &tables::CP1255, W(encoding_rs::WINDOWS_1255)),
        ("CP1256", &tables::CP1256, W(encoding_rs::WINDOWS_1256)),
        ("CP1257", &tables::CP1257, W(encoding_rs::WINDOWS_1257)),
        ("KOI8_R", &tables::KOI8_R, W(encoding_rs::KOI8_R)),
    ]
}

fn reference_byte(r: &Reference, b: u8) -> Option<u32> {
    let byte = [b];
    let text = match r {
        Reference::Latin1 => encoding_rs::mem::decode_latin1(&byte),
        Reference::Whatwg(enc) => enc.decode_without_bom_handling_and_without_replacement(&byte)?,
    };
    let mut chars = text.chars();
    let c = chars.next()?;
    assert!(chars.next().is_none(), "one byte decodes to one character");
    Some(c as u32)
}

/// Why a byte may legitimately differ between the Unicode mapping files and WHATWG.
const C1_FILL: &str = "undefined in the Unicode/Microsoft mapping file; WHATWG maps it to the C1 control of the same value";
const ISO9_VS_1254: &str =
    "ISO-8859-9 has the C1 control here; the reference (windows-1254) has its printable character";

/// A known difference: (table, byte, ours, reference, reason). `None`: undefined.
type Difference = (&'static str, u8, Option<u32>, Option<u32>, &'static str);

/// Every known difference between the generated tables and WHATWG.
fn known_differences() -> Vec<Difference> {
    let mut d = Vec::new();
    let c1 = |name: &'static str, bytes: &[u8], d: &mut Vec<_>| {
        for &b in bytes {
            d.push((name, b, None, Some(u32::from(b)), C1_FILL));
        }
    };
    c1("CP1250", &[0x81, 0x83, 0x88, 0x90, 0x98], &mut d);
    c1("CP1251", &[0x98], &mut d);
    c1("CP1252", &[0x81, 0x8D, 0x8F, 0x90, 0x9D], &mut d);
    c1(
        "CP1253",
        &[
            0x81, 0x88, 0x8A, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x98, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F,
        ],
        &mut d,
    );
    c1(
        "CP1254",
        &[0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E],
        &mut d,
    );
    c1(
        "CP1255",
        &[
            0x81, 0x8A, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F,
        ],
        &mut d,
    );
    c1(
        "CP1257",
        &[0x81, 0x83, 0x88, 0x8A, 0x8C, 0x90, 0x98, 0x9A, 0x9C, 0x9F],
        &mut d,
    );
    // windows-1255 0xCA: Microsoft's mapping file leaves it undefined; WHATWG maps it to
    // HEBREW POINT HOLAM HASER FOR VAV, as Windows itself decodes it.
    d.push((
        "CP1255",
        0xCA,
        None,
        Some(0x05BA),
        "WHATWG follows Windows' decoder (U+05BA); the mapping file leaves 0xCA undefined",
    ));
    // ISO-8859-9 vs windows-1254 in the C1 range: the two charsets differ there by definition.
    for b in 0x80u8..=0x9F {
        let theirs = u32::from(tables::CP1254[b as usize]);
        if tables::CP1254[b as usize] == UNDEFINED {
            // 1254's undefined bytes are C1 controls in WHATWG, as they are in ISO-8859-9.
            continue;
        }
        d.push((
            "ISO8859_9",
            b,
            Some(u32::from(b)),
            Some(theirs),
            ISO9_VS_1254,
        ));
    }
    d
}

#[test]
fn tables_match_encoding_rs() {
    let mut actual = Vec::new();
    for (name, table, reference) in references() {
        for b in 0..=255u8 {
            let ours = (table[b as usize] != UNDEFINED).then(|| u32::from(table[b as usize]));
            let theirs = reference_byte(&reference, b);
            if ours != theirs {
                actual.push((name, b, ours, theirs));
            }
        }
    }
    let known = known_differences();
    let unexplained: Vec<_> = actual
        .iter()
        .filter(|a| !known.iter().any(|k| (k.0, k.1, k.2, k.3) == **a))
        .map(|(n, b, o, t)| format!("{n} byte {b:#04X}: ours {o:X?}, WHATWG {t:X?}"))
        .collect();
    assert!(
        unexplained.is_empty(),
        "differences not explained:\n{}",
        unexplained.join("\n")
    );
    let stale: Vec<_> = known
        .iter()
        .filter(|k| !actual.contains(&(k.0, k.1, k.2, k.3)))
        .map(|k| format!("{} byte {:#04X} ({})", k.0, k.1, k.4))
        .collect();
    assert!(
        stale.is_empty(),
        "listed differences that no longer exist:\n{}",
        stale.join("\n")
    );
}

#[test]
fn generator_output_equals_committed_tables() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("python3")
        .arg(root.join("tools/gen_charsets.py"))
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run python3 ({e}): this test regenerates src/charset/tables.rs with \
                 tools/gen_charsets.py and needs python3 on PATH (CI has it; install python3)"
            )
        });
    assert!(
        out.status.success(),
        "tools/gen_charsets.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed =
        std::fs::read_to_string(root.join("src/charset/tables.rs")).expect("read tables.rs");
    let generated = String::from_utf8(out.stdout).expect("generator writes UTF-8");
    if generated != committed {
        let line = generated
            .lines()
            .zip(committed.lines())
            .position(|(g, c)| g != c);
        panic!(
            "src/charset/tables.rs differs from `python3 tools/gen_charsets.py` output (first differing line: {:?}); \
             re-run the generator and review the diff",
            line.map(|l| l + 1)
        );
    }
}
