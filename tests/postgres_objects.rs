//! The problem-object report against a throwaway PostgreSQL cluster: every finding below is
//! planted by the setup SQL, and every count follows from the rows inserted.

mod common;

use charmig::objects::ObjectReport;
use common::pg::{charmig, cluster, stderr};

fn section<'a>(r: &'a ObjectReport, id: &str) -> &'a charmig::objects::Section {
    r.sections
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no section {id}"))
}

fn run_objects(db: &str, extra: &[&str]) -> (i32, ObjectReport, String) {
    let out = std::env::temp_dir().join(format!("charmig-pgobj-{}-{db}", std::process::id()));
    let url = cluster().url(db);
    let mut args = vec!["objects", "--db", &url, "--out"];
    let out_s = out.display().to_string();
    args.push(&out_s);
    args.extend(extra);
    let o = charmig(&args);
    let json = std::fs::read_to_string(out.join("objects.json"))
        .unwrap_or_else(|e| panic!("objects.json: {e}; {}", stderr(&o)));
    let csv = std::fs::read_to_string(out.join("objects.csv")).unwrap();
    let _ = std::fs::remove_dir_all(&out);
    (
        o.status.code().unwrap_or(-1),
        serde_json::from_str(&json).unwrap(),
        csv,
    )
}

#[test]
fn planted_problems_are_found_and_counted() {
    let c = cluster();
    let mut db = c.create_db("objdb", "LATIN1");
    db.batch_execute(
        "CREATE TABLE parent (id int PRIMARY KEY, name text);
         CREATE TABLE child (id int PRIMARY KEY, parent_id int, qty int);
         INSERT INTO parent VALUES (1, 'one');
         -- parent_id 99 and 98 have no parent; NULL never violates a foreign key.
         -- qty -1 and 0 violate qty > 0; NULL does not.
         INSERT INTO child VALUES (1, 1, 5), (2, 99, -1), (3, 98, 0), (4, NULL, NULL);
         ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID;
         ALTER TABLE child ADD CONSTRAINT child_qty_pos CHECK (qty > 0) NOT VALID;
         ALTER TABLE child ADD CONSTRAINT child_id_pos CHECK (id > 0);
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
         CREATE TRIGGER child_touch BEFORE UPDATE ON child FOR EACH ROW EXECUTE FUNCTION touch();
         CREATE TRIGGER child_touch2 BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION touch();
         ALTER TABLE child DISABLE TRIGGER child_touch;
         CREATE SEQUENCE almost_full MAXVALUE 100;
         SELECT setval('almost_full', 95);
         CREATE SEQUENCE half_full MAXVALUE 100;
         SELECT setval('half_full', 50);
         CREATE TABLE dups (v int);
         INSERT INTO dups VALUES (1), (1);
         -- 1500 x 0xE9 is 1500 bytes in LATIN1 and 3000 in UTF-8; 1000 x 0xE9 becomes 2000.
         CREATE TABLE longkeys (id int PRIMARY KEY, k text, p char(2000));
         CREATE INDEX longkeys_k ON longkeys (k);
         CREATE INDEX longkeys_p ON longkeys (p);
         INSERT INTO longkeys VALUES
           (1, repeat(convert_from('\\xe9'::bytea, 'LATIN1'), 1500), 'x'),
           (2, repeat(convert_from('\\xe9'::bytea, 'LATIN1'), 1000), NULL),
           -- char(2000): 800 x é = 1600 bytes in UTF-8, plus 1200 blanks of padding = 2800.
           (3, 'abc', repeat(convert_from('\\xe9'::bytea, 'LATIN1'), 800));
         ANALYZE parent;",
    )
    .unwrap();
    // Fails on the duplicate and leaves an invalid index behind (outside a transaction block).
    assert!(
        db.batch_execute("CREATE UNIQUE INDEX CONCURRENTLY dups_v ON dups (v)")
            .is_err()
    );

    let (code, r, csv) = run_objects("objdb", &[]);
    assert_eq!(code, 1, "problems were found");
    assert_eq!(r.dictionary, "pg_catalog");

    let s = section(&r, "not_valid_constraints");
    let found: Vec<(&str, &str, &str)> = s
        .rows
        .iter()
        .map(|row| (row[0].as_str(), row[2].as_str(), row[3].as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("public.child_parent_fk", "FOREIGN KEY", "2"),
            ("public.child_qty_pos", "CHECK", "2")
        ]
    );

    let s = section(&r, "invalid_indexes");
    assert_eq!(
        s.rows.iter().map(|row| row[0].as_str()).collect::<Vec<_>>(),
        vec!["public.dups_v"]
    );
    assert!(
        s.rows[0][2].contains("CREATE UNIQUE INDEX dups_v ON public.dups"),
        "qualified DDL: {}",
        s.rows[0][2]
    );

    let s = section(&r, "disabled_triggers");
    assert_eq!(
        s.rows.iter().map(|row| row[0].as_str()).collect::<Vec<_>>(),
        vec!["public.child_touch"]
    );

    let s = section(&r, "sequences_near_max");
    assert_eq!(
        s.rows,
        vec![vec![
            "public.almost_full".to_string(),
            "95".into(),
            "100".into(),
            "94.9".into(),
            "no".into()
        ]]
    );

    let s = section(&r, "btree_entry_limit");
    let found: Vec<(&str, &str, &str)> = s
        .rows
        .iter()
        .map(|row| (row[0].as_str(), row[3].as_str(), row[4].as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("public.longkeys_k", "1", "3000"),
            ("public.longkeys_p", "1", "2800")
        ]
    );

    let s = section(&r, "statistics");
    let tables: Vec<&str> = s.rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(
        tables,
        vec!["public.child", "public.dups", "public.longkeys"],
        "parent was analyzed"
    );
    assert!(s.rows.iter().all(|row| row[1] == "never"));

    assert!(
        csv.contains("not_valid_constraints,problem,public.child_parent_fk,"),
        "{csv}"
    );
    assert!(r.not_checked.is_empty(), "{:?}", r.not_checked);

    // --schema limits the report; a schema without findings gives exit code 0.
    db.batch_execute("CREATE SCHEMA clean; CREATE TABLE clean.t (id int); ANALYZE clean.t")
        .unwrap();
    let (code, r, _) = run_objects("objdb", &["--schema", "clean"]);
    assert_eq!(code, 0, "{:?}", r.sections);
    assert_eq!(r.problems(), 0);
}

#[test]
fn unknown_database_is_a_clear_error() {
    let url = cluster().url("no_such_db");
    let o = charmig(&["objects", "--db", &url, "--out", "/nonexistent-charmig-out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("database \"no_such_db\" does not exist (SQLSTATE 3D000)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn plan_steps_run_through_the_source_executor() {
    use charmig::plan::model::{Phase, Step};
    use charmig::source::db::{ConnectOptions, DbSource};
    let c = cluster();
    let mut db = c.create_db("applydb", "LATIN1");
    db.batch_execute(
        "CREATE TABLE t (id int PRIMARY KEY);
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
         CREATE TRIGGER t_f BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();",
    )
    .unwrap();
    let src = charmig::source::postgres::PgSource::connect(&ConnectOptions {
        url: c.url("applydb"),
        jobs: 1,
        ..Default::default()
    })
    .unwrap();
    let step = |id: &str, sql: &str| Step {
        id: id.into(),
        phase: Phase::BeforeCopy,
        action: "disable_trigger".into(),
        object: "public.t_f".into(),
        sql: sql.into(),
        reverse: None,
        comment: String::new(),
    };
    let mut ex = src.executor().unwrap();
    ex.prepare().unwrap();
    assert!(ex.done_steps("p1").unwrap().is_empty());
    ex.run_step(
        "p1",
        &step("01-0001", "ALTER TABLE public.t DISABLE TRIGGER t_f"),
    )
    .unwrap();
    let e = ex
        .run_step(
            "p1",
            &step("01-0002", "ALTER TABLE public.t DISABLE TRIGGER no_such"),
        )
        .unwrap_err();
    assert!(e.contains("42704"), "{e}");
    assert_eq!(
        ex.done_steps("p1").unwrap().into_iter().collect::<Vec<_>>(),
        vec!["01-0001".to_string()]
    );
    drop(ex);
    let enabled: String = db
        .query_one(
            "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 't_f'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(enabled, "D");
}
