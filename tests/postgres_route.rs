//! The README's route for a mixed-origin database, end to end with charmig alone: a LATIN1
//! database where Windows clients wrote cp1252 bytes and a web application wrote UTF-8 bytes
//! through a LATIN1 connection (é, ł, š, ß), quoted CamelCase names, a composite key, a
//! foreign key, a trigger, a serial sequence and a table without key. The route is
//!
//! ```text
//! scan (plain: exit 1, pass-through listed) → repair --apply (cp1252 cells only) → scan again
//! (charmig's own tables never listed) → repair --restore (bytes back) → scan --assume auto
//! → plan → schema → copy --scan --plan --verify → schema --after-copy → verify
//! ```
//!
//! and at the end every text value in the target must be the text the writer meant, spelled
//! out by hand below.

mod common;

use common::pg::{charmig, cluster, stderr};

const SRC: &str = "route_src_latin1";
const TGT: &str = "route_tgt_utf8";

/// (region, no, body bytes as stored, body as meant): cp1252-origin rows.
const NOTES: &[(&str, i32, &[u8], &str)] = &[
    ("Nord", 1, b"It\x92s done", "It’s done"),
    ("Nord", 2, b"\x80 12", "€ 12"),
    ("Süd", 1, b"caf\xe9", "café"),
    ("Süd", 2, b"\x93quoted\x94", "“quoted”"),
];

/// (id, name bytes as stored, name as meant): UTF-8 written through a LATIN1 connection.
const USERS: &[(i32, &[u8], &str)] = &[
    (1, b"Jos\xc3\xa9", "José"),
    (2, b"\xc5\x81ukasz", "Łukasz"),
    (3, b"Ko\xc5\xa1ice", "Košice"),
    (4, b"Stra\xc3\x9fe", "Straße"),
    (5, b"M\xfcller", "Müller"),
];

fn run(args: &[&str]) -> (i32, String) {
    let o = charmig(args);
    let code = o.status.code().unwrap_or(-1);
    (
        code,
        format!("{}\n{}", String::from_utf8_lossy(&o.stdout), stderr(&o)),
    )
}

fn stored(db: &mut postgres::Client, sql: &str) -> Vec<Vec<u8>> {
    db.query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| r.get::<_, Vec<u8>>(0))
        .collect()
}

#[test]
fn mixed_origin_database_moves_with_every_value_right() {
    let c = cluster();
    let mut src = c.create_db(SRC, "LATIN1");
    src.batch_execute(
        r#"CREATE TABLE "Users" (id serial PRIMARY KEY, "FullName" varchar(40) NOT NULL);
           CREATE TABLE "WinNotes" ("Region" varchar(10), "No" int, "Body" text,
               author int REFERENCES "Users" (id), PRIMARY KEY ("Region", "No"));
           CREATE TABLE log_lines (line text);
           CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN NEW.line := NEW.line || '!'; RETURN NEW; END $$;
           CREATE TRIGGER log_touch BEFORE INSERT ON log_lines FOR EACH ROW EXECUTE FUNCTION touch();
           CREATE INDEX users_name ON "Users" ("FullName");"#,
    )
    .unwrap();
    for (id, name, _) in USERS {
        src.execute(
            r#"INSERT INTO "Users" VALUES ($1, convert_from($2, 'LATIN1'))"#,
            &[id, &name.to_vec()],
        )
        .unwrap();
    }
    src.execute(r#"SELECT setval('"Users_id_seq"', 5)"#, &[])
        .unwrap();
    for (region, no, body, _) in NOTES {
        src.execute(
            r#"INSERT INTO "WinNotes" VALUES ($1, $2, convert_from($3, 'LATIN1'), 1)"#,
            &[region, no, &body.to_vec()],
        )
        .unwrap();
    }
    // The trigger appends '!' on insert: the rows already hold it, the copy must not add more.
    src.batch_execute(
        "INSERT INTO log_lines VALUES ('first'), ('second'); ALTER TABLE log_lines DISABLE TRIGGER log_touch;",
    )
    .unwrap();
    src.batch_execute("ALTER TABLE log_lines ENABLE TRIGGER log_touch;")
        .unwrap();
    drop(c.create_db(TGT, "UTF8"));
    let (from, to) = (c.url(SRC), c.url(TGT));
    let tmp = tempfile::tempdir().unwrap();
    let dir = |n: &str| tmp.path().join(n).to_str().unwrap().to_string();
    let users_before = stored(
        &mut src,
        r#"SELECT convert_to("FullName", 'LATIN1') FROM "Users" ORDER BY id"#,
    );

    // 1. A plain scan lists every pass-through cell and exits 1.
    let (code, out) = run(&["scan", "--db", &from, "--out", &dir("plain")]);
    assert_eq!(code, 1, "{out}");
    let plain = std::fs::read_to_string(tmp.path().join("plain/exceptions.csv")).unwrap();
    let passthrough = plain
        .lines()
        .filter(|l| l.contains("utf8_passthrough"))
        .count();
    assert_eq!(passthrough, 4, "José, Łukasz, Košice, Straße:\n{plain}");

    // 2. The default repair (cp1252) touches no UTF-8-origin cell.
    let (code, out) = run(&[
        "repair",
        "--scan",
        &dir("plain/scan.json"),
        "--db",
        &from,
        "--apply",
    ]);
    assert!(code == 0 || code == 1, "{out}");
    let users_after = stored(
        &mut src,
        r#"SELECT convert_to("FullName", 'LATIN1') FROM "Users" ORDER BY id"#,
    );
    assert_eq!(
        users_after, users_before,
        "a UTF-8 cell was rewritten:\n{out}"
    );

    // 3. A scan after the repair does not list charmig's own tables.
    let (_, out) = run(&["scan", "--db", &from, "--out", &dir("rescan")]);
    let columns = std::fs::read_to_string(tmp.path().join("rescan/columns.csv")).unwrap();
    assert!(
        !columns.to_lowercase().contains("charmig"),
        "{columns}\n{out}"
    );

    // 4. Restore: every stored byte as it was.
    let (code, out) = run(&["repair", "--restore", "--db", &from]);
    assert_eq!(code, 0, "{out}");
    let bodies = stored(
        &mut src,
        r#"SELECT convert_to("Body", 'LATIN1') FROM "WinNotes" ORDER BY "Region", "No""#,
    );
    let mut want: Vec<(&str, i32, &[u8])> = NOTES.iter().map(|n| (n.0, n.1, n.2)).collect();
    want.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    assert_eq!(
        bodies,
        want.iter().map(|w| w.2.to_vec()).collect::<Vec<_>>(),
        "restore is not byte-exact"
    );

    // 5–6. Read every value as it was written, plan for a PostgreSQL target.
    let (code, out) = run(&[
        "scan",
        "--db",
        &from,
        "--assume",
        "auto",
        "--out",
        &dir("auto"),
    ]);
    assert_eq!(code, 0, "auto reading leaves nothing to fix:\n{out}");
    let (code, out) = run(&[
        "plan",
        "--scan",
        &dir("auto/scan.json"),
        "--db",
        &from,
        "--out",
        &dir("plan"),
        "--dialect",
        "postgres",
    ]);
    assert!(code == 0 || code == 1, "{out}");

    // 7–9. The target's schema, the copy as the scan decided, the objects kept for after it.
    let (code, out) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&[
        "copy",
        "--from",
        &from,
        "--to",
        &to,
        "--scan",
        &dir("auto/scan.json"),
        "--plan",
        &dir("plan"),
        "--verify",
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&["schema", "--from", &from, "--to", &to, "--after-copy"]);
    assert_eq!(code, 0, "{out}");

    // 10. verify: the target is the source.
    let (code, out) = run(&[
        "verify",
        "--from",
        &from,
        "--to",
        &to,
        "--scan",
        &dir("auto/scan.json"),
        "--out",
        &dir("verify"),
    ]);
    let summary =
        std::fs::read_to_string(tmp.path().join("verify/summary.txt")).unwrap_or_default();
    assert_eq!(code, 0, "{out}\n{summary}");
    assert!(summary.contains("migration verified"), "{summary}");

    // Every text value is what its writer meant.
    let mut tgt = c.admin(TGT);
    let users: Vec<(i32, String)> = tgt
        .query(r#"SELECT id, "FullName" FROM "Users" ORDER BY id"#, &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        users,
        USERS
            .iter()
            .map(|u| (u.0, u.2.to_string()))
            .collect::<Vec<_>>()
    );
    for (region, no, _, meant) in NOTES {
        let body: String = tgt
            .query_one(
                r#"SELECT "Body" FROM "WinNotes" WHERE "Region" = $1 AND "No" = $2"#,
                &[region, no],
            )
            .unwrap()
            .get(0);
        assert_eq!(&body, meant, "{region} {no}");
    }
    let lines: Vec<String> = tgt
        .query("SELECT line FROM log_lines ORDER BY line", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        lines,
        ["first!", "second!"],
        "the trigger fired during the copy"
    );
    // The sequence continues past the source's last value; the foreign key and trigger are live.
    let next: i32 = tgt
        .query_one(r#"SELECT nextval('"Users_id_seq"')::int"#, &[])
        .unwrap()
        .get(0);
    assert!(next > 5, "sequence at {next}");
    assert!(
        tgt.execute(r#"INSERT INTO "WinNotes" VALUES ('Ost', 1, 'x', 999)"#, &[])
            .is_err(),
        "the foreign key is not enforced on the target"
    );
    tgt.execute("INSERT INTO log_lines VALUES ('third')", &[])
        .unwrap();
    let third: String = tgt
        .query_one("SELECT line FROM log_lines WHERE line LIKE 'third%'", &[])
        .unwrap()
        .get(0);
    assert_eq!(third, "third!", "the trigger is not enabled on the target");
}
