//! `charmig copy --via client`'s binary path against the text path: a LATIN9 table holding
//! every common type (NULLs, empty strings, CHAR(n) padding, accented text, json, infinities,
//! NaN …) is copied once through binary COPY and once through the text path (`--verify` takes
//! it), and the two targets are identical value for value and byte for byte; a table with an
//! array goes the text way; a C1 byte is still refused naming its cell. The schema and a column
//! have accented names (the source's COPY is parsed before its session switches to LATIN9).

mod common;

use common::pg::{charmig, cluster, stderr};

const DDL: &str = "CREATE SCHEMA \"Mixed.Schéma\";
CREATE TABLE \"Mixed.Schéma\".\"All Types\" (
  id int8, k text, i2 int2, i4 int4, r real, d float8, n numeric(12,3), nu numeric, b bool,
  dt date, tm time, ttz timetz, ts timestamp(3), tstz timestamptz, iv interval, by bytea,
  u uuid, ip inet, cid cidr, mac macaddr, bits bit(4), vb varbit, m money,
  \"tête\" text, vc varchar(10), ch char(6), nm name, js json, jb jsonb, o oid,
  PRIMARY KEY (k, id));
CREATE TABLE \"Mixed.Schéma\".arr (id int PRIMARY KEY, tags text[], v text);";

/// `convert_from('\x..', 'LATIN9')`: the LATIN9 bytes, as stored in the source.
fn l9(hex: &str) -> String {
    format!("convert_from('\\x{hex}'::bytea, 'LATIN9')")
}

fn rows(db: &mut postgres::Client, table: &str) -> Vec<String> {
    db.query(
        &format!(
            "SELECT x::text || ' ' || md5(textsend(x::text)) FROM \"Mixed.Schéma\".{table} x ORDER BY 1"
        ),
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

#[test]
fn binary_copy_equals_the_text_copy_for_every_common_type() {
    let c = cluster();
    let mut src = c.create_db("bin_src", "LATIN9");
    src.batch_execute(DDL).unwrap();
    let e = l9("e9");
    let euro = l9("a4");
    src.batch_execute(&format!(
        "SET client_encoding = 'UTF8';
         INSERT INTO \"Mixed.Schéma\".\"All Types\" VALUES
          (1, 'caf' || {e}, -32768, 2147483647, 1.5e-7, 1e308, 123456789.125, 'NaN', true,
           '2024-02-29', '23:59:59.999999', '10:00+05:30', '2024-03-01 10:00:00.123', '2024-03-01 10:00:00+01',
           '1 year 2 mons 3 days 04:05:06.5', '\\x00ff5c0a', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
           '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', B'1010', B'101', 12.34,
           'tab\there\nnew \\ back ' || {euro}, 'vingt ' || {e}, {e} || 'a', 'nom' || {e},
           ('{{\"k\": \"' || {e} || '\"}}')::json, ('{{\"b\": [1, \"' || {euro} || '\"], \"a\": null}}')::jsonb, 42),
          (2, '', 0, 0, '-Infinity', 'NaN', 0, -0.5, false, 'infinity', '00:00', '00:00+00', '-infinity',
           'infinity', '-1 day', '', '00000000-0000-0000-0000-000000000000', '::1', '::/0',
           'ff:ff:ff:ff:ff:ff', B'0000', B'', -0.01, '', '', '', '', '\"\"', '[]', 0),
          (3, 'k3', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (4, 'k4', 1, 1, 1, 1, 1, 1, true, '1999-12-31', '12:00', '12:00-08', '1900-01-01', '2000-01-01 00:00:00-12',
           '0', '\\x80', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0.0.0.0', '0.0.0.0/32', '00:00:00:00:00:00',
           B'1111', B'0', 0, '   ', ' x ', 'ab  ', 'z', 'null', '{{}}', 4294967295);
         INSERT INTO \"Mixed.Schéma\".arr VALUES (1, ARRAY['a b', {e}, NULL], {euro}), (2, '{{}}', NULL);"
    ))
    .unwrap();
    let (su, mut outs) = (c.url("bin_src"), Vec::new());
    for (db, verify) in [("bin_tgt_b", false), ("bin_tgt_t", true)] {
        let mut t = c.create_db(db, "UTF8");
        let tu = c.url(db);
        t.batch_execute(DDL).unwrap();
        let log = std::env::temp_dir().join(format!("charmig-bin-{}-{db}.log", std::process::id()));
        let mut args = vec![
            "copy",
            "--from",
            &su,
            "--to",
            &tu,
            "--log-file",
            log.to_str().unwrap(),
        ];
        if verify {
            args.push("--verify");
        }
        let o = charmig(&args);
        let err = stderr(&o);
        assert!(o.status.success(), "{err}");
        let _ = std::fs::remove_file(&log);
        let want = if verify {
            "tables loaded: 2 through text COPY"
        } else {
            "tables loaded: 1 through binary COPY, 1 through text COPY"
        };
        assert!(err.contains(want), "{err}");
        outs.push((rows(&mut t, "\"All Types\""), rows(&mut t, "arr")));
    }
    assert_eq!(outs[0], outs[1], "binary and text copies differ");
    let all = &outs[0].0;
    assert_eq!(all.len(), 4);
    // The conversion happened (and CHAR(6) kept its padding).
    assert!(
        all[0].contains("café") && all[0].contains("€") && all[0].contains("\"éa    \""),
        "{}",
        all[0]
    );
    assert!(outs[0].1[0].contains("é"), "{:?}", outs[0].1);

    // A C1 byte (no meaning in LATIN9) is refused on the binary path too, naming the cell.
    src.batch_execute("DELETE FROM \"Mixed.Schéma\".arr; INSERT INTO \"Mixed.Schéma\".\"All Types\" (id, k, \"tête\") VALUES (5, 'bad', 'x')")
        .unwrap();
    src.execute(
        "UPDATE \"Mixed.Schéma\".\"All Types\" SET vc = convert_from('\\x6f6b9d'::bytea, 'LATIN9') WHERE id = 5",
        &[],
    )
    .unwrap();
    let log = std::env::temp_dir().join(format!("charmig-bin-{}-c1.log", std::process::id()));
    let o = charmig(&[
        "copy",
        "--from",
        &su,
        "--to",
        &c.url("bin_tgt_b"),
        "--restart",
        "--log-file",
        log.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_file(&log);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "column vc, row 5 (key k=bad, id=5): byte 0x9D at offset 2 of the value has no meaning in LATIN9"
        ),
        "{err}"
    );
}

/// The parallel workers charmig gives an index build never exceed the session's own setting:
/// a DBA's `max_parallel_maintenance_workers = 0` (here through the URL's options) stays 0,
/// the server's default 2 caps a request for 5, and a request for 1 lowers it.
#[test]
fn build_workers_never_raise_the_sessions_own_setting() {
    let c = cluster();
    let show = |db: &mut postgres::Client| -> String {
        db.query_one("SHOW max_parallel_maintenance_workers", &[])
            .unwrap()
            .get(0)
    };
    let mut db = c.admin("postgres");
    for (n, want) in [(5, "2"), (1, "1"), (0, "0"), (2, "2")] {
        db.batch_execute(&charmig::copy::pg_target::build_workers_sql(n))
            .unwrap();
        assert_eq!(show(&mut db), want, "asked for {n}");
    }
    let url = format!(
        "{}?options=-c%20max_parallel_maintenance_workers%3D0",
        c.url("postgres")
    );
    let mut zero = url
        .parse::<postgres::Config>()
        .unwrap()
        .connect(postgres::NoTls)
        .unwrap();
    zero.batch_execute(&charmig::copy::pg_target::build_workers_sql(1))
        .unwrap();
    assert_eq!(show(&mut zero), "0");
}

/// A `name` value of 40 × "é" is 40 bytes in LATIN1 and 80 in UTF-8: more than the 63 a
/// `name` holds, which PostgreSQL's text input cuts without a word (found by review: the
/// text path copied 31 × "é" and exited 0). Every way refuses it, naming the cell where it can;
/// a value that fits (31 × "é", 62 bytes) is copied whole.
#[test]
fn a_name_value_too_long_in_utf8_is_refused_on_every_path() {
    let c = cluster();
    let mut src = c.create_db("namesrc", "LATIN1");
    let e = "convert_from('\\xe9'::bytea, 'LATIN1')";
    src.batch_execute(&format!(
        "CREATE SCHEMA app;
         CREATE TABLE app.idents (id int PRIMARY KEY, nm name, tags text[]);
         CREATE TABLE app.plain (id int PRIMARY KEY, nm name);
         INSERT INTO app.idents VALUES (1, repeat({e}, 31), '{{a}}');
         INSERT INTO app.plain VALUES (1, repeat({e}, 31));"
    ))
    .unwrap();
    let mut tgt = c.create_db("nametgt", "UTF8");
    tgt.batch_execute(
        "CREATE SCHEMA app;
         CREATE TABLE app.idents (id int PRIMARY KEY, nm name, tags text[]);
         CREATE TABLE app.plain (id int PRIMARY KEY, nm name);",
    )
    .unwrap();
    let (su, tu) = (c.url("namesrc"), c.url("nametgt"));
    let log = std::env::temp_dir().join(format!("charmig-name-{}.log", std::process::id()));
    let copy = |extra: &[&str]| {
        let mut args = vec![
            "copy",
            "--from",
            &su,
            "--to",
            &tu,
            "--log-file",
            log.to_str().unwrap(),
            "--restart",
        ];
        args.extend_from_slice(extra);
        charmig(&args)
    };
    let o = copy(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got: String = tgt
        .query_one("SELECT nm::text FROM app.idents", &[])
        .unwrap()
        .get(0);
    assert_eq!(got, "é".repeat(31));
    src.batch_execute(&format!(
        "INSERT INTO app.idents VALUES (2, repeat({e}, 40), '{{b}}'); INSERT INTO app.plain VALUES (2, repeat({e}, 40))"
    ))
    .unwrap();
    // Text path (the array sends the table there).
    let o = copy(&["--table", "app.idents"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "column nm, row 2 (key id=2): the value is 80 bytes in UTF-8, more than the 63 a `name` holds"
        ),
        "{}",
        stderr(&o)
    );
    // Binary path: refused the same way (the target's binary input would refuse it too, but
    // without naming the cell).
    let o = copy(&["--table", "app.plain"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "column nm, row 2 (key id=2): the value is 80 bytes in UTF-8, more than the 63 a `name` holds"
        ),
        "{}",
        stderr(&o)
    );
    let n: i64 = tgt
        .query_one("SELECT count(*) FROM app.plain WHERE id = 2", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "{}", stderr(&o));
    // dblink cannot check the length: the table is refused before anything is read.
    tgt.batch_execute(&format!(
        "CREATE EXTENSION dblink;
         CREATE SERVER name_src FOREIGN DATA WRAPPER dblink_fdw OPTIONS (host '127.0.0.1', port '{}', dbname 'namesrc');
         CREATE USER MAPPING FOR postgres SERVER name_src OPTIONS (user 'postgres', password '{}')",
        c.port,
        common::pg::PASSWORD
    ))
    .unwrap();
    let o = copy(&["--via", "dblink", "name_src", "--table", "app.plain"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("column nm holds values of type name")
            && stderr(&o).contains("--via client"),
        "{}",
        stderr(&o)
    );
    // Through a domain (information_schema.sql_identifier is one) and inside an array.
    let ddl = "CREATE DOMAIN app.ident AS name;
               CREATE TABLE app.dom (id int PRIMARY KEY, nm app.ident);
               CREATE TABLE app.arr (id int PRIMARY KEY, nms name[]);";
    src.batch_execute(ddl).unwrap();
    tgt.batch_execute(ddl).unwrap();
    src.batch_execute(&format!(
        "INSERT INTO app.dom VALUES (1, repeat({e}, 40));
         INSERT INTO app.arr VALUES (1, ARRAY[repeat({e}, 40)::name]);"
    ))
    .unwrap();
    let o = copy(&["--table", "app.dom"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("column nm, row 1 (key id=1): the value is 80 bytes in UTF-8"),
        "{}",
        stderr(&o)
    );
    let o = copy(&["--table", "app.arr"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("column nms holds name values in an array"),
        "{}",
        stderr(&o)
    );
    let o = copy(&["--via", "dblink", "name_src", "--table", "app.dom"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("column nm holds values of type name"),
        "{}",
        stderr(&o)
    );
    let n: i64 = tgt
        .query_one(
            "SELECT (SELECT count(*) FROM app.dom) + (SELECT count(*) FROM app.arr)",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
    let _ = std::fs::remove_file(&log);
}
