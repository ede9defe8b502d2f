//! Values whose text differs between a single-byte source and a UTF-8 target while their
//! content does not, and the canonical text both checks compare instead (`copy --verify`'s
//! checksums, `verify`'s row hashes):
//!
//! - `char(n)` (bpchar) pads with spaces to n characters, and n counts characters: a value of
//!   UTF-8 pass-through bytes read `auto` has fewer characters than the source's reading of
//!   the same bytes, so it carries fewer pad spaces than the target's `char(n)` prints. Its
//!   trailing spaces are insignificant in PostgreSQL (the cast to text drops them): the
//!   canonical text is the value without them, as `value::text` prints it.
//! - `jsonb` keeps an object's keys ordered by their length in bytes, then their bytes, and
//!   `hstore` its pairs the same way: `é` is one byte in LATIN1 and two in UTF-8, so the same
//!   object prints its keys in another order. The canonical text orders them as a UTF-8
//!   database does (the target prints it so), every other token kept as it was printed.
//!
//! Arrays of these types are compared element by element, re-quoted as `array_out` quotes.
//! Only the order of keys and the pad spaces are given up: any other change to a value
//! changes its canonical text. A text that does not parse as its type prints is left as it is.

/// The element type that makes a column's values need a canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CanonKind {
    /// Compared as printed.
    #[default]
    Plain,
    /// `char(n)` / bpchar: trailing spaces dropped.
    Padded,
    /// `jsonb`: object keys in UTF-8 order.
    Jsonb,
    /// `hstore`: pairs in UTF-8 order of their keys.
    Hstore,
}

/// The SQL expression (over `pg_attribute a`) giving a column's element type for
/// [`Canon::of_base`]: `ARRAY[base, is_array]`, domains and arrays resolved all the way down
/// (`bpchar`, `jsonb`, `hstore` of the extension, else NULL). One definition for copy's
/// `--verify` and verify.
pub const BASE_SQL: &str = "(WITH RECURSIVE b(oid, arr) AS ( SELECT a.atttypid, false UNION ALL SELECT CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.typelem END, b.arr OR ty.typtype <> 'd' FROM b JOIN pg_type ty ON ty.oid = b.oid WHERE ty.typtype = 'd' OR (ty.typelem <> 0 AND ty.typlen = -1)) SELECT ARRAY[CASE WHEN b.oid = 'pg_catalog.bpchar'::regtype THEN 'bpchar' WHEN b.oid = 'pg_catalog.jsonb'::regtype THEN 'jsonb' WHEN EXISTS (SELECT FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid WHERE d.classid = 'pg_type'::regclass AND d.objid = b.oid AND d.deptype = 'e' AND e.extname = 'hstore' AND ty.typname = 'hstore') THEN 'hstore' END, b.arr::text] FROM b JOIN pg_type ty ON ty.oid = b.oid WHERE NOT (ty.typtype = 'd' OR (ty.typelem <> 0 AND ty.typlen = -1)))";

/// How a column's values are compared: the element kind, and whether the column is an array
/// of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Canon {
    pub kind: CanonKind,
    pub array: bool,
}

/// Deepest jsonb nesting rewritten (deeper values are compared as printed).
const MAX_DEPTH: usize = 1000;

impl Canon {
    pub const PLAIN: Canon = Canon {
        kind: CanonKind::Plain,
        array: false,
    };

    /// The form of a column of PostgreSQL type `data_type`, as the catalog spells it
    /// (`format_type` without modifiers or schema: `character`, `character[]`, `jsonb`,
    /// `hstore` …; domains already resolved to their base type).
    pub fn of_type(data_type: &str) -> Canon {
        let t = data_type.trim().to_ascii_lowercase();
        let (base, array) = match t.strip_suffix("[]") {
            Some(b) => (b.trim_end(), true),
            None => (t.as_str(), false),
        };
        let kind = match base {
            "character" | "bpchar" | "char" => CanonKind::Padded,
            "jsonb" => CanonKind::Jsonb,
            "hstore" => CanonKind::Hstore,
            _ => return Canon::PLAIN,
        };
        Canon { kind, array }
    }

    /// The form of a column whose element type (domains and arrays resolved) is `base`
    /// (`bpchar`, `jsonb`, `hstore`, anything else).
    pub fn of_base(base: Option<&str>, array: bool) -> Canon {
        let kind = match base {
            Some("bpchar") => CanonKind::Padded,
            Some("jsonb") => CanonKind::Jsonb,
            Some("hstore") => CanonKind::Hstore,
            _ => return Canon::PLAIN,
        };
        Canon { kind, array }
    }

    pub fn is_plain(self) -> bool {
        self.kind == CanonKind::Plain
    }

    /// The canonical text of a value (unescaped, UTF-8, not NULL): `value` itself or a part of
    /// it when nothing changes, else the text written into `buf`.
    pub fn canonical<'a>(self, value: &'a [u8], buf: &'a mut Vec<u8>) -> &'a [u8] {
        if self.kind == CanonKind::Plain {
            return value;
        }
        // jsonb and hstore print non-ASCII characters as they are: an ASCII text has ASCII
        // keys only, the same bytes in every charset, so it is in the UTF-8 order already.
        if matches!(self.kind, CanonKind::Jsonb | CanonKind::Hstore) && value.is_ascii() {
            return value;
        }
        if self.array {
            buf.clear();
            return match array(value, self.kind, buf) {
                Some(()) => buf,
                None => value,
            };
        }
        if self.kind == CanonKind::Padded {
            return trim_pad(value);
        }
        buf.clear();
        match element(value, self.kind, buf) {
            Some(()) => buf,
            None => value,
        }
    }

    /// [`Self::canonical`] of a field of COPY's text format (escaped, `\N` for NULL),
    /// written escaped into `out`.
    pub fn canonical_copy_field(self, field: &[u8], out: &mut Vec<u8>, scratch: &mut Scratch) {
        if self.kind == CanonKind::Plain || field == b"\\N" {
            out.extend_from_slice(field);
            return;
        }
        if self.kind == CanonKind::Padded && !self.array {
            // COPY writes a space as itself and never as part of an escape.
            out.extend_from_slice(trim_pad(field));
            return;
        }
        scratch.value.clear();
        super::copy::unescape(field, &mut scratch.value);
        let v = self.canonical(&scratch.value, &mut scratch.buf);
        escape_copy(v, out);
    }
}

/// Buffers reused by [`Canon::canonical_copy_field`].
#[derive(Debug, Default)]
pub struct Scratch {
    value: Vec<u8>,
    buf: Vec<u8>,
}

/// A bpchar value without its trailing spaces (the cast to text's `rtrim`).
fn trim_pad(v: &[u8]) -> &[u8] {
    let end = v.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
    &v[..end]
}

/// Writes `v` as COPY's text format escapes it.
fn escape_copy(v: &[u8], out: &mut Vec<u8>) {
    for &b in v {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            8 => out.extend_from_slice(b"\\b"),
            12 => out.extend_from_slice(b"\\f"),
            11 => out.extend_from_slice(b"\\v"),
            _ => out.push(b),
        }
    }
}

/// The canonical text of one element (not an array) into `out`; `None` when it does not parse.
fn element(v: &[u8], kind: CanonKind, out: &mut Vec<u8>) -> Option<()> {
    match kind {
        CanonKind::Plain => out.extend_from_slice(v),
        CanonKind::Padded => out.extend_from_slice(trim_pad(v)),
        CanonKind::Jsonb => {
            let mut p = Parser { s: v, i: 0 };
            p.json_value(out, 0)?;
            p.ws();
            if p.i != v.len() {
                return None;
            }
        }
        CanonKind::Hstore => hstore(v, out)?,
    }
    Some(())
}

/// An array as `array_out` prints it (`{a,"b c",NULL}`, nested braces for more dimensions,
/// `[lb:ub]=` before them when a lower bound is not 1) with each element canonical.
fn array(v: &[u8], kind: CanonKind, out: &mut Vec<u8>) -> Option<()> {
    let mut i = 0;
    if v.first() == Some(&b'[') {
        let eq = memchr::memchr(b'=', v)?;
        out.extend_from_slice(&v[..=eq]);
        i = eq + 1;
    }
    let mut el = Vec::new();
    let mut canon = Vec::new();
    let mut depth = 0usize;
    // After `{` or `,`: an element or a nested `{`.
    let mut expect_item = false;
    loop {
        let &c = v.get(i)?;
        match c {
            b'{' => {
                if depth > 0 && !expect_item {
                    return None;
                }
                depth += 1;
                out.push(b'{');
                i += 1;
                expect_item = true;
                if v.get(i) == Some(&b'}') {
                    // An empty array (or dimension).
                    expect_item = false;
                }
            }
            b'}' => {
                if expect_item || depth == 0 {
                    return None;
                }
                depth -= 1;
                out.push(b'}');
                i += 1;
                if depth == 0 {
                    return (i == v.len()).then_some(());
                }
            }
            b',' => {
                if expect_item || depth == 0 {
                    return None;
                }
                out.push(b',');
                i += 1;
                expect_item = true;
            }
            _ => {
                if !expect_item {
                    return None;
                }
                el.clear();
                let quoted = c == b'"';
                if quoted {
                    i += 1;
                    loop {
                        match *v.get(i)? {
                            b'"' => {
                                i += 1;
                                break;
                            }
                            b'\\' => {
                                el.push(*v.get(i + 1)?);
                                i += 2;
                            }
                            b => {
                                el.push(b);
                                i += 1;
                            }
                        }
                    }
                } else {
                    let end = v[i..]
                        .iter()
                        .position(|&b| b == b',' || b == b'}')
                        .map_or(v.len(), |p| i + p);
                    el.extend_from_slice(&v[i..end]);
                    i = end;
                }
                if !quoted && el == b"NULL" {
                    out.extend_from_slice(b"NULL");
                } else {
                    canon.clear();
                    element(&el, kind, &mut canon)?;
                    quote_element(&canon, out);
                }
                expect_item = false;
            }
        }
    }
}

/// Writes an array element as `array_out` does (delimiter `,`): quoted when empty, `NULL` in
/// any case, or holding `"`, `\`, braces, the delimiter or white space.
fn quote_element(e: &[u8], out: &mut Vec<u8>) {
    let needs = e.is_empty()
        || e.eq_ignore_ascii_case(b"NULL")
        || e.iter().any(|&b| {
            matches!(
                b,
                b'"' | b'\\' | b'{' | b'}' | b',' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c
            )
        });
    if !needs {
        out.extend_from_slice(e);
        return;
    }
    out.push(b'"');
    for &b in e {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// The order jsonb and hstore keep keys in: shorter first (in bytes), then by bytes.
fn key_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// A JSON string token (quotes included), as printed.
    fn string_token(&mut self) -> Option<&'a [u8]> {
        let s = self.s;
        let start = self.i;
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        loop {
            match *self.s.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(&s[start..self.i]);
                }
                b'\\' => self.i += 2,
                _ => self.i += 1,
            }
        }
    }

    /// One JSON value written as jsonb prints it (`, ` and `: ` between items, objects'
    /// keys in UTF-8 order; strings, numbers and literals as they were printed).
    fn json_value(&mut self, out: &mut Vec<u8>, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match *self.s.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut members: Vec<(Vec<u8>, &[u8], Vec<u8>)> = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let raw = self.string_token()?;
                        let key = json_unescape(raw)?;
                        self.ws();
                        if self.s.get(self.i) != Some(&b':') {
                            return None;
                        }
                        self.i += 1;
                        let mut value = Vec::new();
                        self.json_value(&mut value, depth + 1)?;
                        members.push((key, raw, value));
                        self.ws();
                        match *self.s.get(self.i)? {
                            b',' => self.i += 1,
                            b'}' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                members.sort_by(|a, b| key_order(&a.0, &b.0));
                out.push(b'{');
                for (n, (_, raw, value)) in members.iter().enumerate() {
                    if n > 0 {
                        out.extend_from_slice(b", ");
                    }
                    out.extend_from_slice(raw);
                    out.extend_from_slice(b": ");
                    out.extend_from_slice(value);
                }
                out.push(b'}');
            }
            b'[' => {
                self.i += 1;
                out.push(b'[');
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    let mut first = true;
                    loop {
                        if !first {
                            out.extend_from_slice(b", ");
                        }
                        first = false;
                        self.json_value(out, depth + 1)?;
                        self.ws();
                        match *self.s.get(self.i)? {
                            b',' => self.i += 1,
                            b']' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                out.push(b']');
            }
            b'"' => {
                let t = self.string_token()?;
                out.extend_from_slice(t);
            }
            _ => {
                let start = self.i;
                while let Some(&b) = self.s.get(self.i) {
                    if matches!(b, b',' | b']' | b'}' | b':' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
                if self.i == start {
                    return None;
                }
                out.extend_from_slice(&self.s[start..self.i]);
            }
        }
        Some(())
    }
}

/// The bytes of a JSON string token's value (what jsonb orders keys by).
fn json_unescape(raw: &[u8]) -> Option<Vec<u8>> {
    let inner = &raw[1..raw.len() - 1];
    if !inner.contains(&b'\\') {
        return Some(inner.to_vec());
    }
    serde_json::from_slice::<String>(raw)
        .ok()
        .map(String::into_bytes)
}

/// An hstore as `hstore_out` prints it (`"k"=>"v", "k2"=>NULL`) with its pairs in UTF-8 order
/// of their keys.
fn hstore(v: &[u8], out: &mut Vec<u8>) -> Option<()> {
    // A quoted hstore string at `*i`: (token as printed, unescaped bytes).
    fn quoted<'a>(v: &'a [u8], i: &mut usize) -> Option<(&'a [u8], Vec<u8>)> {
        let start = *i;
        if v.get(*i) != Some(&b'"') {
            return None;
        }
        *i += 1;
        let mut bytes = Vec::new();
        loop {
            match *v.get(*i)? {
                b'"' => {
                    *i += 1;
                    return Some((&v[start..*i], bytes));
                }
                b'\\' => {
                    bytes.push(*v.get(*i + 1)?);
                    *i += 2;
                }
                b => {
                    bytes.push(b);
                    *i += 1;
                }
            }
        }
    }
    let mut pairs: Vec<(Vec<u8>, &[u8])> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let start = i;
        let (_, key) = quoted(v, &mut i)?;
        if !v[i..].starts_with(b"=>") {
            return None;
        }
        i += 2;
        if v[i..].starts_with(b"NULL") {
            i += 4;
        } else {
            quoted(v, &mut i)?;
        }
        pairs.push((key, &v[start..i]));
        if i < v.len() {
            if !v[i..].starts_with(b", ") {
                return None;
            }
            i += 2;
            if i == v.len() {
                return None;
            }
        }
    }
    pairs.sort_by(|a, b| key_order(&a.0, &b.0));
    for (n, (_, pair)) in pairs.iter().enumerate() {
        if n > 0 {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(pair);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(kind: CanonKind, array: bool, v: &str) -> String {
        let mut buf = Vec::new();
        let c = Canon { kind, array };
        String::from_utf8(c.canonical(v.as_bytes(), &mut buf).to_vec()).unwrap()
    }

    #[test]
    fn types_map_to_forms() {
        assert_eq!(Canon::of_type("character").kind, CanonKind::Padded);
        assert_eq!(
            Canon::of_type("character[]"),
            Canon {
                kind: CanonKind::Padded,
                array: true
            }
        );
        assert_eq!(Canon::of_type("jsonb").kind, CanonKind::Jsonb);
        assert_eq!(Canon::of_type("hstore[]").kind, CanonKind::Hstore);
        for plain in ["json", "text", "character varying", "integer[]", "\"char\""] {
            assert_eq!(Canon::of_type(plain), Canon::PLAIN, "{plain}");
        }
        assert_eq!(Canon::of_base(Some("bpchar"), true).kind, CanonKind::Padded);
        assert_eq!(Canon::of_base(None, false), Canon::PLAIN);
    }

    #[test]
    fn char_values_lose_their_pad_spaces_only() {
        use CanonKind::Padded;
        assert_eq!(canon(Padded, false, "é  "), "é");
        assert_eq!(canon(Padded, false, " a b  "), " a b");
        assert_eq!(canon(Padded, false, "    "), "");
        assert_eq!(canon(Padded, false, "a\t"), "a\t");
        // Arrays: each element trimmed and quoted again as array_out quotes it.
        assert_eq!(
            canon(Padded, true, r#"{"é  ","ab  ",NULL,"    ","NULL","é,  "}"#),
            r#"{é,ab,NULL,"","NULL","é,"}"#
        );
        assert_eq!(
            canon(Padded, true, r#"{{"x   ","y z "},{"\\   ","\"   "}}"#),
            r#"{{x,"y z"},{"\\","\""}}"#
        );
        assert_eq!(canon(Padded, true, "[0:1]={\"a  \",b}"), "[0:1]={a,b}");
        assert_eq!(canon(Padded, true, "{}"), "{}");
        assert_eq!(canon(Padded, true, r#"{"nul "}"#), "{nul}");
        assert_eq!(canon(Padded, true, r#"{"null"}"#), r#"{"null"}"#);
        // Not an array as printed: left alone.
        assert_eq!(canon(Padded, true, "{a,"), "{a,");
        assert_eq!(canon(Padded, true, "{a}}"), "{a}}");
        assert_eq!(canon(Padded, true, "{a{b}}"), "{a{b}}");
    }

    #[test]
    fn jsonb_keys_take_the_utf8_order_and_everything_else_stays() {
        use CanonKind::Jsonb;
        // As a LATIN1 database prints it: é is one byte there.
        assert_eq!(
            canon(Jsonb, false, r#"{"é": 1, "ab": 2}"#),
            r#"{"ab": 2, "é": 1}"#
        );
        assert_eq!(
            canon(
                Jsonb,
                false,
                r#"{"é": 1, "n": {"ü": [1, {"é": null, "aa": "é\"\\"}], "b": 1.50}, "ab": 2}"#
            ),
            r#"{"n": {"b": 1.50, "ü": [1, {"aa": "é\"\\", "é": null}]}, "ab": 2, "é": 1}"#
        );
        // Escaped keys order by their value: `a"` (2 bytes) before `ab`.
        assert_eq!(
            canon(Jsonb, false, r#"{"é": 0, "ab": 1, "a\"": 2, "\u0001": 3}"#),
            r#"{"\u0001": 3, "a\"": 2, "ab": 1, "é": 0}"#
        );
        for same in [r#""é""#, "1.0e5", "null", "[]", "{}", "[1, [2, {}]]"] {
            assert_eq!(canon(Jsonb, false, same), same);
        }
        // Not JSON: left alone.
        assert_eq!(canon(Jsonb, false, r#"{"é": 1"#), r#"{"é": 1"#);
        assert_eq!(canon(Jsonb, false, r#"{"é": 1} x"#), r#"{"é": 1} x"#);
        // In arrays.
        assert_eq!(
            canon(
                Jsonb,
                true,
                r#"{"{\"é\": 1, \"ab\": 2}",NULL,[],"\"a b\""}"#
            ),
            r#"{"{\"ab\": 2, \"é\": 1}",NULL,[],"\"a b\""}"#
        );
        // Too deep: compared as printed.
        let deep = format!(
            "{}é{}",
            "[".repeat(MAX_DEPTH + 5),
            "]".repeat(MAX_DEPTH + 5)
        );
        assert_eq!(canon(Jsonb, false, &deep), deep);
    }

    #[test]
    fn values_that_differ_keep_differing() {
        use CanonKind::{Hstore, Jsonb, Padded};
        let pairs = [
            (Padded, false, "é ", "è "),
            (Padded, false, "a", " a"),
            (Padded, true, "{a}", r#"{"a b"}"#),
            (Padded, true, "{NULL}", r#"{"NULL"}"#),
            (Padded, true, "{a,b}", "{{a,b}}"),
            (Jsonb, false, r#"{"é": 1}"#, r#"{"é": 2}"#),
            (Jsonb, false, r#"{"é": 1}"#, r#"{"e": 1}"#),
            (Jsonb, false, r#"[1, 2]"#, r#"[2, 1]"#),
            (Hstore, false, r#""é"=>"1""#, r#""é"=>NULL"#),
        ];
        for (kind, array, a, b) in pairs {
            assert_ne!(canon(kind, array, a), canon(kind, array, b), "{a} {b}");
        }
    }

    #[test]
    fn hstore_pairs_take_the_utf8_order() {
        use CanonKind::Hstore;
        assert_eq!(
            canon(Hstore, false, r#""é"=>"1", "ab"=>"2", "x y"=>NULL"#),
            r#""ab"=>"2", "é"=>"1", "x y"=>NULL"#
        );
        assert_eq!(
            canon(Hstore, false, r#""é"=>"", "a\"b"=>"x\\", "ab"=>"=>""#),
            r#""ab"=>"=>", "é"=>"", "a\"b"=>"x\\""#
        );
        assert_eq!(canon(Hstore, false, ""), "");
        assert_eq!(canon(Hstore, false, r#""é"=>"#), r#""é"=>"#);
        // ASCII keys are in the same order in every charset: left as printed.
        assert_eq!(
            canon(Hstore, false, r#""b"=>"1", "a"=>"2""#),
            r#""b"=>"1", "a"=>"2""#
        );
    }

    #[test]
    fn copy_fields_are_unescaped_and_escaped_again() {
        let mut out = Vec::new();
        let mut s = Scratch::default();
        let padded = Canon::of_type("character");
        padded.canonical_copy_field(b"a\\t  ", &mut out, &mut s);
        assert_eq!(out, b"a\\t");
        out.clear();
        padded.canonical_copy_field(b"\\N", &mut out, &mut s);
        assert_eq!(out, b"\\N");
        out.clear();
        Canon::of_type("jsonb").canonical_copy_field(
            "{\"é\": \"a\\\\\\\\n\\n\", \"ab\": 2}".as_bytes(),
            &mut out,
            &mut s,
        );
        assert_eq!(out, "{\"ab\": 2, \"é\": \"a\\\\\\\\n\\n\"}".as_bytes());
    }
}
