//! The route `charmig schema` → `charmig copy --jobs 2` → `charmig verify` on databases shaped
//! like real ones, and each single tamper of the target that verify must name.
//!
//! - LATIN9 (`tests/fixtures/real_shapes/latin9.sql`): quoted schemas with spaces, dots,
//!   accents, a newline, a 63-byte UTF-8 name; composite, cross-schema, self-referencing and
//!   cyclic foreign keys (one deferrable); keyless tables with duplicate rows; a table keyed by
//!   accented text; CHAR(n) with trailing blanks; varchar(n) full of accented letters; identity
//!   (ALWAYS, BY DEFAULT), generated stored, serial/bigserial columns; one sequence shared by
//!   two tables; domains with CHECKs; an enum with accented labels; arrays, json/jsonb, bytea,
//!   numeric edge values, timestamptz; range and list partitions with defaults and an index on
//!   the parent; unlogged, zero-row and zero-column tables; views over views with accented
//!   aliases; a materialized view; expression and partial indexes; an exclusion constraint
//!   through btree_gist installed in its own schema; BEFORE/AFTER, statement-level, disabled
//!   and row-changing triggers; accented comments; NULLs everywhere.
//! - WIN1252: cp1252-only letters in names and values; table inheritance and row-level
//!   security, which `charmig schema` lists as not supported and verify must then report.
//! - LATIN1 with names longer than 63 bytes in UTF-8, and SQL_ASCII with non-ASCII names:
//!   refused before anything is created, each name given with its fix.

mod common;

use common::pg::cluster;
use common::tools::{psql, tool};

use common::pg::{run_all as run, verify_into as verify};

/// The route, each step asserted: schema exit 0, copy exit 0 with its after-copy phase.
fn route(from: &str, to: &str, log: &std::path::Path) {
    let (code, out) = run(&["schema", "--from", from, "--to", to]);
    assert_eq!(code, 0, "schema:\n{out}");
    let (code, out) = run(&[
        "copy",
        "--from",
        from,
        "--to",
        to,
        "--jobs",
        "2",
        "--log-file",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "copy:\n{out}");
    assert!(out.contains("schema after-copy"), "copy:\n{out}");
    assert!(!out.contains("FAILED"), "copy:\n{out}");
}

fn texts(db: &mut postgres::Client, sql: &str) -> Vec<Option<String>> {
    db.query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// (name, tamper, undo, words the report must hold): each tamper alone must make verify exit
/// 1 naming its object; the undo puts the target back.
const TAMPERS: &[(&str, &str, &str, &[&str])] = &[
    (
        "dropped expression index",
        r#"DROP INDEX "Ventes 2024".clients_nom_lower"#,
        r#"CREATE INDEX clients_nom_lower ON "Ventes 2024"."Clients" (lower(nom))"#,
        &["clients_nom_lower", "missing on target"],
    ),
    (
        "dropped index of a partitioned table",
        "DROP INDEX public.mesures_val",
        "CREATE INDEX mesures_val ON public.mesures (val)",
        &["mesures_val"],
    ),
    (
        "changed value in a table keyed by text",
        r#"UPDATE "réf.données"."Pays" SET nom = 'Francé' WHERE code = 'FR'"#,
        r#"UPDATE "réf.données"."Pays" SET nom = 'France' WHERE code = 'FR'"#,
        &["Pays", "checksum"],
    ),
    (
        "changed value in a partition",
        "UPDATE public.mesures SET val = 2 WHERE id = 1",
        "UPDATE public.mesures SET val = 1.5 WHERE id = 1",
        &["mesures_2023"],
    ),
    (
        "deleted duplicate row of a keyless table",
        "DELETE FROM public.nokey WHERE ctid = (SELECT min(ctid) FROM public.nokey WHERE x = 'dup')",
        "INSERT INTO public.nokey VALUES ('dup', 'ab', 1)",
        &["nokey", "4 source rows, 3 target rows"],
    ),
    (
        "deleted row of a zero-column table",
        "DELETE FROM public.empty0 WHERE ctid = (SELECT min(ctid) FROM public.empty0)",
        "INSERT INTO public.empty0 DEFAULT VALUES",
        &["empty0", "2 source rows, 1 target rows"],
    ),
    (
        "shortened column",
        r#"ALTER TABLE "réf.données"."Pays" ALTER nom TYPE varchar(19)"#,
        r#"ALTER TABLE "réf.données"."Pays" ALTER nom TYPE varchar(20)"#,
        &["Pays.nom", "character varying(19)"],
    ),
    (
        "disabled trigger",
        "ALTER TABLE public.a DISABLE TRIGGER a_maj",
        "ALTER TABLE public.a ENABLE TRIGGER a_maj",
        &["a_maj", "enabled"],
    ),
    (
        "trigger the source has disabled, enabled",
        "ALTER TABLE public.s ENABLE TRIGGER s_trace",
        "ALTER TABLE public.s DISABLE TRIGGER s_trace",
        &["s_trace"],
    ),
    (
        "shared sequence set back",
        "SELECT pg_catalog.setval('public.shared_seq', 50)",
        "SELECT pg_catalog.setval('public.shared_seq', 102)",
        &["shared_seq", "behind the source"],
    ),
    (
        "dropped foreign key of a cycle",
        "ALTER TABLE public.a DROP CONSTRAINT a_b_fk",
        "ALTER TABLE public.a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES public.b",
        &["a_b_fk", "missing on target"],
    ),
    (
        "foreign key NOT VALID",
        "ALTER TABLE public.a DROP CONSTRAINT a_b_fk; \
         ALTER TABLE public.a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES public.b NOT VALID",
        "ALTER TABLE public.a VALIDATE CONSTRAINT a_b_fk",
        &["a_b_fk", "NOT VALIDATED"],
    ),
    (
        "dropped exclusion constraint",
        r#"ALTER TABLE public.resa DROP CONSTRAINT "resa_salle_période_excl""#,
        r#"ALTER TABLE public.resa ADD CONSTRAINT "resa_salle_période_excl" EXCLUDE USING gist (salle ext.gist_text_ops WITH =, "période" WITH &&)"#,
        &["resa_salle_période_excl"],
    ),
    (
        "changed default",
        r#"ALTER TABLE "Ventes 2024"."Clients" ALTER "créé" SET DEFAULT clock_timestamp()"#,
        r#"ALTER TABLE "Ventes 2024"."Clients" ALTER "créé" SET DEFAULT now()"#,
        &["Clients.créé", "clock_timestamp()"],
    ),
    (
        "changed view over a view",
        r#"CREATE OR REPLACE VIEW public.v2 AS SELECT "Nom complet" AS "prénom" FROM public.v1 WHERE "État" <> 'créé'"#,
        r#"CREATE OR REPLACE VIEW public.v2 AS SELECT "Nom complet" AS "prénom" FROM public.v1 WHERE "État" <> 'annulé'"#,
        &["v2"],
    ),
    (
        "dropped domain CHECK",
        r#"ALTER DOMAIN "réf.données".code_postal DROP CONSTRAINT code_postal_check"#,
        r#"ALTER DOMAIN "réf.données".code_postal ADD CONSTRAINT code_postal_check CHECK (VALUE ~ '^[0-9]{5}$')"#,
        &["code_postal", "code_postal_check"],
    ),
    (
        "enum label added",
        r#"ALTER TYPE "réf.données"."état" ADD VALUE 'clôturé'"#,
        // An enum label cannot be dropped: the type is made again (the columns keep their text).
        r#"ALTER TABLE "Ventes 2024"."Clients" ALTER "état" DROP DEFAULT;
           ALTER TYPE "réf.données"."état" RENAME TO "état_x";
           CREATE TYPE "réf.données"."état" AS ENUM ('créé', 'validé', 'annulé', 'à revoir');
           DROP VIEW public.v2; DROP VIEW public.v1; DROP INDEX "Ventes 2024".clients_actifs;
           ALTER TABLE "Ventes 2024"."Clients" ALTER "état" TYPE "réf.données"."état" USING "état"::text::"réf.données"."état";
           ALTER TABLE "Ventes 2024"."Clients" ALTER "état" SET DEFAULT 'créé';
           DROP TYPE "réf.données"."état_x";
           CREATE INDEX clients_actifs ON "Ventes 2024"."Clients" (nom) WHERE "état" <> 'annulé';
           CREATE VIEW public.v1 AS SELECT id, nom AS "Nom complet", "état" AS "État" FROM "Ventes 2024"."Clients";
           CREATE VIEW public.v2 AS SELECT "Nom complet" AS "prénom" FROM public.v1 WHERE "État" <> 'annulé'"#,
        &["état", "clôturé"],
    ),
    (
        "materialized view left empty",
        "REFRESH MATERIALIZED VIEW public.mv WITH NO DATA",
        "REFRESH MATERIALIZED VIEW public.mv",
        &["mv", "populated"],
    ),
    (
        "unlogged table made logged",
        "ALTER TABLE public.cache SET LOGGED",
        "ALTER TABLE public.cache SET UNLOGGED",
        &["cache", "persistence"],
    ),
    (
        "changed table comment",
        r#"COMMENT ON TABLE "Ventes 2024"."Clients" IS 'autre'"#,
        r#"COMMENT ON TABLE "Ventes 2024"."Clients" IS 'Clients de l''année « été »'"#,
        &["comment differs", "Clients", "« été »"],
    ),
    (
        "dropped column comment",
        r#"COMMENT ON COLUMN "Ventes 2024"."Clients".nom IS NULL"#,
        r#"COMMENT ON COLUMN "Ventes 2024"."Clients".nom IS 'Nom, accentué: é'"#,
        &["comment missing on target", "column nom"],
    ),
    (
        "revoked grant",
        "REVOKE SELECT ON public.v1 FROM PUBLIC",
        "GRANT SELECT ON public.v1 TO PUBLIC",
        &[
            "grant missing on target",
            "GRANT SELECT ON TABLE \"public\".\"v1\" TO PUBLIC",
        ],
    ),
    (
        "extra grant",
        "GRANT INSERT ON public.nokey TO PUBLIC",
        "REVOKE INSERT ON public.nokey FROM PUBLIC",
        &["grant extra on target", "nokey"],
    ),
    (
        "logged table made unlogged",
        "ALTER TABLE public.nokey SET UNLOGGED",
        "ALTER TABLE public.nokey SET LOGGED",
        &["nokey", "persistence"],
    ),
];

#[test]
fn latin9_shapes_take_the_route_and_every_tamper_is_named() {
    let c = cluster();
    let (src_name, tgt_name) = ("shapes_latin9", "shapes_latin9_utf8");
    let mut src = c.create_db(src_name, "LATIN9");
    src.batch_execute("SET client_encoding = 'UTF8'").unwrap();
    src.batch_execute(include_str!("fixtures/real_shapes/latin9.sql"))
        .unwrap();
    let mut tgt = c.create_db(tgt_name, "UTF8");
    let (from, to) = (c.url(src_name), c.url(tgt_name));
    let tmp = tempfile::tempdir().unwrap();
    route(&from, &to, &tmp.path().join("copy.log"));
    let report = tmp.path().join("verify");
    let (code, out) = verify(&from, &to, &report);
    assert_eq!(code, 0, "untouched copy:\n{out}");
    assert!(out.contains("migration verified"), "{out}");

    // What the route must have made, read in the target.
    let one = |db: &mut postgres::Client, sql: &str| texts(db, sql).remove(0);
    assert_eq!(
        one(
            &mut tgt,
            "SELECT extname::text FROM pg_extension WHERE extname = 'btree_gist'"
        ),
        Some("btree_gist".into()),
        "the exclusion constraint's operator class needs btree_gist"
    );
    // The BEFORE INSERT trigger upper-cases and appends ' €': it must not fire on the copy.
    assert_eq!(
        texts(&mut tgt, "SELECT note FROM public.a ORDER BY id"),
        vec![Some("PREMIèRE €".into()), Some("DEUXIèME €".into())]
    );
    assert_eq!(
        one(&mut tgt, "SELECT count(*)::text FROM public.journal"),
        Some("1".into()),
        "the statement trigger fired during the copy"
    );
    assert_eq!(
        texts(
            &mut tgt,
            "SELECT octet_length(y)::text FROM public.nokey WHERE z = 2"
        ),
        vec![Some("6".into())],
        "char(5) keeps its blanks"
    );
    assert_eq!(
        one(&mut tgt, "SELECT v FROM public.pleins WHERE k = 'éèêëàâ'"),
        Some("ŒœŠšŽžŸ€éè".into())
    );
    assert_eq!(
        one(&mut tgt, "SELECT sum(n)::text FROM public.mv"),
        Some("4".into()),
        "the materialized view is refreshed"
    );
    assert_eq!(
        one(
            &mut tgt,
            "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 's_trace'"
        ),
        Some("D".into()),
        "a trigger disabled in the source stays disabled"
    );
    let seq = |db: &mut postgres::Client| {
        one(
            db,
            "SELECT nextval('public.shared_seq')::text || '/' || nextval('public.s_big_seq')::text",
        )
    };
    assert_eq!(seq(&mut tgt), Some("103/1000".into()));
    tgt.batch_execute(
        "SELECT setval('public.shared_seq', 102); SELECT setval('public.s_big_seq', 1000, false);",
    )
    .unwrap();

    for (name, tamper, undo, words) in TAMPERS {
        tgt.batch_execute(tamper)
            .unwrap_or_else(|e| panic!("{name}: tamper: {e}"));
        let (code, out) = verify(&from, &to, &report);
        assert_eq!(code, 1, "{name}: verify must find it:\n{out}");
        assert!(out.contains("migration NOT verified"), "{name}:\n{out}");
        for w in *words {
            assert!(
                out.contains(w),
                "{name}: the report must name {w:?}:\n{out}"
            );
        }
        tgt.batch_execute(undo)
            .unwrap_or_else(|e| panic!("{name}: undo: {e}"));
    }
    let (code, out) = verify(&from, &to, &report);
    assert_eq!(code, 0, "every tamper undone:\n{out}");
}

/// WIN1252 with cp1252-only letters; inheritance and row-level security are not created by
/// `charmig schema` (listed, exit 1), and verify reports them until fix.sql adds them.
#[test]
fn win1252_inheritance_and_row_security_are_listed_then_caught_by_verify() {
    let c = cluster();
    let (src_name, tgt_name) = ("shapes_win1252", "shapes_win1252_utf8");
    let mut src = c.create_db(src_name, "WIN1252");
    src.batch_execute("SET client_encoding = 'UTF8'").unwrap();
    src.batch_execute(
        r#"CREATE SCHEMA "Büro “Nord”";
           CREATE TABLE "Büro “Nord”"."Prix €" ("clé" varchar(8) PRIMARY KEY, "libellé ‘x’" varchar(12),
               montant numeric(10,2) DEFAULT 0.00, c char(4) DEFAULT 'Œ');
           INSERT INTO "Büro “Nord”"."Prix €" VALUES ('€uro', 'Œuvre—€…ŸŽž', 1.5, 'š'), ('œuf', '“cité”', NULL, NULL),
               ('ŠŽ', repeat('é', 12), -0.01, 'abcd');
           CREATE TABLE public.parent (id int PRIMARY KEY, t text);
           CREATE TABLE public.enfant (extra text) INHERITS (public.parent);
           INSERT INTO public.parent VALUES (1, 'père'); INSERT INTO public.enfant VALUES (2, 'fils', '„x“');
           CREATE TABLE public.secret (id int, owner_name text);
           ALTER TABLE public.secret ENABLE ROW LEVEL SECURITY;
           CREATE POLICY "p_propriétaire" ON public.secret USING (owner_name = current_user);
           INSERT INTO public.secret VALUES (1, 'postgres');"#,
    )
    .unwrap();
    let mut tgt = c.create_db(tgt_name, "UTF8");
    let (from, to) = (c.url(src_name), c.url(tgt_name));
    let tmp = tempfile::tempdir().unwrap();
    let (code, out) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("not created (not supported): table inheritance on public.enfant"),
        "{out}"
    );
    assert!(
        out.contains("not created (not supported): row-level security on public.secret"),
        "{out}"
    );
    let log = tmp.path().join("copy.log");
    let (code, out) = run(&[
        "copy",
        "--from",
        &from,
        "--to",
        &to,
        "--jobs",
        "2",
        "--log-file",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        texts(
            &mut tgt,
            r#"SELECT "libellé ‘x’" FROM "Büro “Nord”"."Prix €" ORDER BY "clé""#
        ),
        // C collation, UTF-8 bytes: œuf (c5 93) < ŠŽ (c5 a0) < €uro (e2 82 ac).
        vec![
            Some("“cité”".into()),
            Some("éééééééééééé".into()),
            Some("Œuvre—€…ŸŽž".into())
        ]
    );
    let report = tmp.path().join("verify");
    let (code, out) = verify(&from, &to, &report);
    assert_eq!(
        code, 1,
        "inheritance and row-level security are missing:\n{out}"
    );
    assert!(out.contains("table public.enfant: inherits"), "{out}");
    assert!(
        out.contains("public.secret: row-level security missing on target")
            && out.contains("ENABLE ROW LEVEL SECURITY")
            && out.contains("CREATE POLICY \"p_propriétaire\""),
        "{out}"
    );
    assert!(
        !out.contains("after-copy phase has not run"),
        "no foreign key nor trigger: nothing of that phase is missing:\n{out}"
    );
    // fix.sql closes exactly those differences.
    psql(c, tgt_name, &std::fs::read(report.join("fix.sql")).unwrap());
    let (code, out) = verify(&from, &to, &report);
    assert_eq!(code, 0, "after fix.sql:\n{out}");
    assert!(out.contains("migration verified"), "{out}");
}

/// A LATIN1 name of 40 letters is 80 bytes in UTF-8: the target would cut it to 63. schema
/// and copy refuse, naming each such name and the fix, before anything is created or copied.
#[test]
fn names_over_63_utf8_bytes_and_sql_ascii_names_are_refused_with_their_fix() {
    let c = cluster();
    let long = "é".repeat(40);
    let col = format!("col_{}", "à".repeat(30));
    let mut src = c.create_db("shapes_long_latin1", "LATIN1");
    src.batch_execute("SET client_encoding = 'UTF8'").unwrap();
    src.batch_execute(&format!(
        r#"CREATE SCHEMA "{long}"; CREATE TABLE "{long}".t (id int PRIMARY KEY, "{col}" text);
           INSERT INTO "{long}".t VALUES (1, 'x');
           CREATE TABLE public.ok (id int);
           CREATE TYPE public.paire AS ("a{long}" int, b text);
           CREATE DOMAIN public.nom AS text CONSTRAINT "c{long}" CHECK (VALUE <> '');
           CREATE VIEW public.v AS SELECT id AS "x{long}" FROM public.ok;"#
    ))
    .unwrap();
    let mut tgt = c.create_db("shapes_long_utf8", "UTF8");
    let (from, to) = (c.url("shapes_long_latin1"), c.url("shapes_long_utf8"));
    let (code, out) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!(
            "schema \"{long}\": 80 bytes in UTF-8 (40 characters)"
        )),
        "{out}"
    );
    assert!(out.contains(&format!("column \"{col}\"")), "{out}");
    assert!(out.contains("rename it in the source"), "{out}");
    // Names inside other objects (were cut silently, schema exit 0).
    for what in [
        format!("attribute \"a{long}\" of type public.paire"),
        format!("constraint \"c{long}\" of domain public.nom"),
        format!("column \"x{long}\" of view public.v"),
    ] {
        assert!(out.contains(&what), "{what}: {out}");
    }
    let made: i64 = tgt
        .query_one(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'charmig')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(made, 0, "nothing may be created");
    // A target made by other means (the names cut there): copy refuses too.
    tgt.batch_execute(&format!(
        r#"CREATE SCHEMA "{long}"; CREATE TABLE "{long}".t (id int, "{col}" text); CREATE TABLE public.ok (id int);"#
    ))
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("copy.log");
    let (code, out) = run(&[
        "copy",
        "--from",
        &from,
        "--to",
        &to,
        "--log-file",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("too long for a UTF-8 target"), "{out}");
    assert!(out.contains(&format!("column \"{col}\"")), "{out}");

    // SQL_ASCII: names in bytes of no known charset.
    drop(c.create_db("shapes_sql_ascii", "SQL_ASCII"));
    // 0xe9 is é in LATIN1: written through a SQL_ASCII connection, stored as that one byte.
    psql(
        c,
        "shapes_sql_ascii",
        b"SET client_encoding = 'SQL_ASCII';\nCREATE TABLE \"caf\xe9\" (id int);\n",
    );
    drop(c.create_db("shapes_sql_ascii_utf8", "UTF8"));
    let (code, out) = run(&[
        "schema",
        "--from",
        &c.url("shapes_sql_ascii"),
        "--to",
        &c.url("shapes_sql_ascii_utf8"),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("the source is SQL_ASCII"), "{out}");
    assert!(out.contains(r#"table public."caf\xe9""#), "{out}");
}

/// A target whose locale maps letters otherwise than the source's: its generated columns would
/// be computed into other values (upper('é') is 'É' under C.UTF-8, 'é' under the source's C).
/// schema warns, copy refuses naming the column, `--allow-locale-change` copies and verify then
/// finds the values changed.
#[test]
fn a_target_locale_that_changes_generated_values_is_refused() {
    let c = cluster();
    let mut src = c.create_db("locale_src", "LATIN9");
    src.batch_execute(
        "CREATE TABLE public.\"Clients\" (id int PRIMARY KEY, nom text, nom_maj text GENERATED ALWAYS AS (upper(nom)) STORED);
         INSERT INTO public.\"Clients\" (id, nom) VALUES (1, 'Zo' || convert_from('\\xe9'::bytea, 'LATIN9')), (2, NULL);",
    )
    .unwrap();
    let mut tgt = c.create_database(
        "locale_tgt",
        "ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
    );
    let upper: String = tgt.query_one("SELECT upper('é')", &[]).unwrap().get(0);
    assert_eq!(upper, "É", "C.UTF-8 maps é");
    let (from, to) = (c.url("locale_src"), c.url("locale_tgt"));
    let (code, out) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: the source has locale C and the target locale C.UTF-8")
            && out.contains("public.Clients.nom_maj"),
        "{out}"
    );
    let (code, out) = run(&["copy", "--from", &from, "--to", &to]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("public.Clients.nom_maj = upper(nom)")
            && out.contains("--lc-collate=C --lc-ctype=C"),
        "{out}"
    );
    let n: i64 = tgt
        .query_one("SELECT count(*) FROM public.\"Clients\"", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "nothing copied");
    let (code, out) = run(&[
        "copy",
        "--from",
        &from,
        "--to",
        &to,
        "--allow-locale-change",
    ]);
    assert_eq!(code, 0, "{out}");
    let got: String = tgt
        .query_one("SELECT nom_maj FROM public.\"Clients\" WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(got, "ZOÉ", "the target computed its own value");
    let dir = std::env::temp_dir().join(format!("charmig-locale-{}", std::process::id()));
    let (code, out) = verify(&from, &to, &dir);
    assert_eq!(code, 1, "verify sees the changed values: {out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An ICU source: the refusal's createdb advice names the provider and its locale, and a
/// target created with exactly that advice is accepted and computes the source's values.
#[test]
fn the_locale_advice_for_an_icu_source_creates_a_target_copy_accepts() {
    let c = cluster();
    let mut src = c.create_database(
        "locale_icu_src",
        "ENCODING 'LATIN9' TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'de-DE' LC_COLLATE 'C' LC_CTYPE 'C'",
    );
    src.batch_execute(
        "CREATE TABLE public.\"Villes\" (id int PRIMARY KEY, nom text, nom_maj text GENERATED ALWAYS AS (upper(nom)) STORED);
         INSERT INTO public.\"Villes\" (id, nom) VALUES (1, 'Zo' || convert_from('\\xe92073747261df65'::bytea, 'LATIN9'));",
    )
    .unwrap();
    let upper: String = src
        .query_one("SELECT nom_maj FROM public.\"Villes\"", &[])
        .unwrap()
        .get(0);
    assert_eq!(upper, "ZOÉ STRASSE", "ICU maps é and ß");
    drop(c.create_db("locale_icu_tgt_c", "UTF8"));
    let from = c.url("locale_icu_src");
    let (code, out) = run(&[
        "schema",
        "--from",
        &from,
        "--to",
        &c.url("locale_icu_tgt_c"),
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&["copy", "--from", &from, "--to", &c.url("locale_icu_tgt_c")]);
    assert_eq!(code, 2, "{out}");
    let advice = out
        .split("createdb -E UTF8 -T template0 ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap_or_else(|| panic!("no createdb advice: {out}"));
    assert!(
        advice.contains("--locale-provider=icu --icu-locale=de-DE"),
        "{out}"
    );
    // The advice as a DBA would run it (retried while another test copies template0).
    let mut argv: Vec<String> = advice.split_whitespace().map(String::from).collect();
    argv.extend(["-E", "UTF8", "-T", "template0", "--maintenance-db"].map(String::from));
    argv.push(c.url("postgres"));
    argv.push("locale_icu_tgt".into());
    for attempt in 0.. {
        let o = std::process::Command::new(tool(c, "createdb"))
            .args(&argv)
            .output()
            .unwrap();
        if o.status.success() {
            break;
        }
        let e = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(
            attempt < 20 && e.contains("being accessed"),
            "createdb {argv:?}: {e}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let to = c.url("locale_icu_tgt");
    let (code, out) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("warning: the source has"), "{out}");
    let (code, out) = run(&["copy", "--from", &from, "--to", &to]);
    assert_eq!(code, 0, "{out}");
    let got: String = c
        .admin("locale_icu_tgt")
        .query_one("SELECT nom_maj FROM public.\"Villes\"", &[])
        .unwrap()
        .get(0);
    assert_eq!(got, upper, "the target computed the source's value");
}
