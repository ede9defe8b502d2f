//! `charmig copy` of tables split into block (ctid) ranges, against a real PostgreSQL: a
//! LATIN9 table keyed by accented text and a keyless table copied in ranges (with the plan's
//! index builds after the last range) equal the source row by row, with and without
//! `--verify`; a copy killed after some ranges resumes with only the others, no row twice,
//! and starts the table over when the source changed a finished range in between (or was
//! rewritten by VACUUM FULL), when the run reads a column otherwise, or when the target lost
//! rows of the finished ranges; changes outside them are read (VACUUM and VACUUM FREEZE keep
//! them), also when resumed on one connection; two copies at once never load a range twice;
//! a value that does not convert in the last range stops the table naming the cell.

mod common;

use common::pg::{charmig, cluster, stderr};
use common::tools::{copy_schema, scan_and_plan, tmp};
use std::process::{Command, Stdio};

fn run_ok(args: &[&str]) -> String {
    let o = charmig(args);
    assert!(
        o.status.success(),
        "charmig {args:?} failed: {}",
        stderr(&o)
    );
    stderr(&o)
}

/// Every row of a table as text (the server decodes LATIN9 for the UTF8 session), sorted.
fn rows(db: &mut postgres::Client, table: &str) -> Vec<String> {
    db.query(&format!("SELECT t::text FROM {table} t ORDER BY 1"), &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The range log of a table: (first block, state, rows, run id, finished).
type Range = (i64, String, Option<i64>, String, Option<String>);
fn ranges(db: &mut postgres::Client, table: &str) -> Vec<Range> {
    let exists: bool = db
        .query_one(
            "SELECT to_regclass('charmig.charmig_copy_ranges') IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    if !exists {
        return Vec::new();
    }
    db.query(
        "SELECT first_block, state, rows_copied, run_id, finished::text FROM charmig.charmig_copy_ranges \
          WHERE table_name = $1 ORDER BY first_block",
        &[&table],
    )
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
    .collect()
}

fn table_state(db: &mut postgres::Client, table: &str) -> Option<String> {
    db.query_opt(
        "SELECT state FROM charmig.charmig_copy_log WHERE table_name = $1",
        &[&table],
    )
    .unwrap()
    .map(|r| r.get(0))
}

#[test]
fn split_tables_copy_equal_to_the_source_with_their_indexes_after_the_last_range() {
    let c = cluster();
    let mut src = c.create_db("splitsrc", "LATIN9");
    src.batch_execute(
        "CREATE SCHEMA app;
         CREATE TABLE app.villes (nom varchar(60) PRIMARY KEY, n int NOT NULL, note text, c char(4));
         CREATE INDEX villes_n_ix ON app.villes (n);
         CREATE TABLE app.\"journal sans clé\" (ligne text, n int8, quand timestamptz);
         INSERT INTO app.villes SELECT 'Orl' || convert_from('\\xe9'::bytea, 'LATIN9') || 'ans ' || g || ' ' || convert_from('\\xe0a4'::bytea, 'LATIN9'),
                g, CASE WHEN g % 7 = 0 THEN NULL ELSE repeat('caf' || convert_from('\\xe9'::bytea, 'LATIN9') || E' \\t ', 8) || g END,
                CASE WHEN g % 3 = 0 THEN convert_from('\\xbd'::bytea, 'LATIN9') END
           FROM generate_series(1, 20000) g;
         INSERT INTO app.\"journal sans clé\" SELECT repeat(convert_from('\\xfc'::bytea, 'LATIN9') || 'ber ', 10) || (g % 500), g % 500,
                timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute'
           FROM generate_series(1, 25000) g;
         ANALYZE;",
    )
    .unwrap();
    let mut tgt = c.create_db("splittgt", "UTF8");
    copy_schema(c, "splitsrc", "splittgt");
    let (su, tu) = (c.url("splitsrc"), c.url("splittgt"));
    let (_, plan) = scan_and_plan(&su, "split", &[]);
    let log = tmp("split.log");
    let args = [
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--log-file",
        log.to_str().unwrap(),
        "--jobs",
        "3",
        "--split-min-size",
        "0",
    ];
    let mut with_plan = args.to_vec();
    with_plan.extend(["--plan", plan.to_str().unwrap(), "--verify"]);
    let err = run_ok(&with_plan);
    // Three connections: each table holds more than a third of the bytes, both are split in
    // six ranges (two per connection).
    for t in ["app.villes", "app.\"journal sans clé\""] {
        assert!(
            err.contains(&format!("{t}: copying in 6 block ranges")),
            "{err}"
        );
    }
    assert!(
        err.contains("app.villes: 20000 rows in 6 ranges, checksum")
            && err.contains("app.\"journal sans clé\": 25000 rows in 6 ranges, checksum"),
        "{err}"
    );
    // The key and the index are built once every range is in.
    let lines: Vec<&str> = err.lines().collect();
    let last_range = lines
        .iter()
        .rposition(|l| l.contains("app.villes: blocks") && l.contains(" done, "))
        .unwrap();
    let first_step = lines
        .iter()
        .position(|l| l.contains("app.villes: plan step"))
        .unwrap();
    assert!(last_range < first_step, "{err}");
    // Its index, and its key in two halves (the unique index, then ADD CONSTRAINT … USING INDEX).
    assert_eq!(err.matches("app.villes: plan step").count(), 3, "{err}");
    for t in ["app.villes", "app.\"journal sans clé\""] {
        let (s, d) = (rows(&mut src, t), rows(&mut tgt, t));
        assert!(s.len() >= 20000);
        assert_eq!(s, d, "{t}: target rows differ from the source's");
    }
    let first: String = tgt
        .query_one("SELECT nom FROM app.villes WHERE n = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(first, "Orléans 1 à€");
    for (t, n) in [("villes", 20000), ("journal sans clé", 25000)] {
        let r = ranges(&mut tgt, t);
        assert_eq!(r.len(), 6, "{r:?}");
        assert!(r.iter().all(|x| x.1 == "done"), "{r:?}");
        assert_eq!(r.iter().map(|x| x.2.unwrap()).sum::<i64>(), n);
        assert!(r.iter().filter(|x| x.2.unwrap() > 0).count() >= 5, "{r:?}");
        assert_eq!(table_state(&mut tgt, t).as_deref(), Some("done"));
    }

    // Again from the start, without --verify (the binary path) and without the plan.
    let mut again = args.to_vec();
    again.push("--restart");
    let err = run_ok(&again);
    assert!(
        err.contains("tables loaded: 2 through binary COPY"),
        "{err}"
    );
    for t in ["app.villes", "app.\"journal sans clé\""] {
        assert_eq!(rows(&mut src, t), rows(&mut tgt, t), "{t}");
    }
    // --no-split copies them whole, and forgets their ranges.
    let mut whole = again.clone();
    whole.push("--no-split");
    let o = charmig(&{
        let mut w = whole.clone();
        w.retain(|a| *a != "--split-min-size" && *a != "0");
        w
    });
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("block ranges"), "{}", stderr(&o));
    assert!(ranges(&mut tgt, "villes").is_empty());
    assert_eq!(rows(&mut src, "app.villes"), rows(&mut tgt, "app.villes"));
}

/// A child process killed (SIGKILL) when dropped, also when an assertion fails first: a
/// stalled copy must not outlive its test.
struct Killed(std::process::Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a split copy that commits `after` ranges and then stalls; waits until every other
/// connection's range is in flight, and kills it (SIGKILL).
fn kill_after_ranges(args: &[&str], tgt: &mut postgres::Client, after: usize, running: usize) {
    drop(stall_after_ranges(args, tgt, after, running, None));
}

/// Starts a split copy that commits `after` ranges and then stalls (until `release` exists,
/// when given); returns once every other connection's range is in flight.
fn stall_after_ranges(
    args: &[&str],
    tgt: &mut postgres::Client,
    after: usize,
    running: usize,
    release: Option<&std::path::Path>,
) -> Killed {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_charmig"));
    cmd.args(args)
        .env("PGPASSFILE", "/nonexistent")
        .env("CHARMIG_TEST_STALL_AFTER_RANGES", after.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(f) = release {
        cmd.env("CHARMIG_TEST_STALL_RELEASE", f);
    }
    let mut child = Killed(cmd.spawn().unwrap());
    let start = std::time::Instant::now();
    loop {
        let r = ranges(tgt, "rows");
        let (done, flight) = (
            r.iter().filter(|x| x.1 == "done").count(),
            r.iter().filter(|x| x.1 == "running").count(),
        );
        // A stalled range has written its rows, uncommitted: seen as an idle-in-transaction
        // session after its COPY.
        let stalled: i64 = tgt
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE 'COPY \"big\".\"rows\"%'",
                &[],
            )
            .unwrap()
            .get(0);
        if done == after && flight == running && stalled as usize == running {
            return child;
        }
        assert!(
            start.elapsed().as_secs() < 60,
            "the copy did not stall: {r:?}"
        );
        if child.0.try_wait().unwrap().is_some() {
            let mut out = String::new();
            std::io::Read::read_to_string(child.0.stderr.as_mut().unwrap(), &mut out).unwrap();
            panic!("the copy ended before it stalled: {r:?}\n{out}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_split_copy_killed_after_some_ranges_resumes_the_others_only() {
    let c = cluster();
    let mut src = c.create_db("splitkillsrc", "LATIN9");
    src.batch_execute(
        "CREATE SCHEMA big;
         CREATE TABLE big.rows (id int PRIMARY KEY, body text, n int8);
         INSERT INTO big.rows SELECT g, repeat(convert_from('\\xe9a4bc'::bytea, 'LATIN9') || ' row ' || g || E'\\t', 4), g * 7
           FROM generate_series(1, 60000) g;
         ANALYZE;",
    )
    .unwrap();
    let mut tgt = c.create_db("splitkilltgt", "UTF8");
    copy_schema(c, "splitkillsrc", "splitkilltgt");
    let (su, tu) = (c.url("splitkillsrc"), c.url("splitkilltgt"));
    let log = tmp("splitkill.log");
    let args = split_copy(&su, &tu, &log);
    let summary = |db: &mut postgres::Client| -> (i64, i64, i64, i64) {
        let r = db
            .query_one(
                "SELECT count(*), count(DISTINCT id), coalesce(sum(id), 0)::int8, coalesce(sum(length(body)), 0)::int8 FROM big.rows",
                &[],
            )
            .unwrap();
        (r.get(0), r.get(1), r.get(2), r.get(3))
    };

    // Killed with two ranges committed and the two others in flight.
    kill_after_ranges(&args, &mut tgt, 2, 2);
    let before = ranges(&mut tgt, "rows");
    assert_eq!(before.len(), 4, "{before:?}");
    let done: Vec<&Range> = before.iter().filter(|r| r.1 == "done").collect();
    assert_eq!(done.len(), 2, "{before:?}");
    let in_done: i64 = done.iter().map(|r| r.2.unwrap()).sum();
    let got = summary(&mut tgt);
    assert!(in_done > 0);
    assert_eq!(
        (got.0, got.1),
        (in_done, in_done),
        "the target holds exactly the finished ranges' rows"
    );
    assert_eq!(table_state(&mut tgt, "rows").as_deref(), Some("running"));
    let o = charmig(&["copy", "--status", "--to", &tu]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("2 of 4 ranges done, 2 running"), "{out}");

    let mut resume = args.to_vec();
    resume.push("--resume");
    let err = run_ok(&resume);
    assert!(
        err.contains("big.rows: resuming in 4 ranges: 2 done by an earlier run, kept"),
        "{err}"
    );
    assert_eq!(
        err.matches("big.rows: blocks").count(),
        2,
        "only the two unfinished ranges are loaded: {err}"
    );
    let after = ranges(&mut tgt, "rows");
    for d in &done {
        assert!(
            after.contains(d),
            "finished range redone: {d:?} -> {after:?}"
        );
    }
    assert!(after.iter().all(|r| r.1 == "done"), "{after:?}");
    let got = summary(&mut tgt);
    assert_eq!(got.0, 60_000);
    assert_eq!(got, summary(&mut src), "counts, keys and lengths equal");
    assert_eq!(table_state(&mut tgt, "rows").as_deref(), Some("done"));

    // Killed again; then a row of a finished range changes in the source: the resumed run
    // cannot tell its old version from the others in the target, and starts the table over.
    let mut restart = args.to_vec();
    restart.push("--restart");
    kill_after_ranges(&restart, &mut tgt, 2, 2);
    // Which two ranges finish first depends on the machine: a row of the first finished one.
    let first_done = ranges(&mut tgt, "rows")
        .iter()
        .find(|r| r.1 == "done")
        .map(|r| r.0)
        .unwrap();
    let id: i32 = src
        .query_one(
            "SELECT id FROM big.rows WHERE (ctid::text::point)[0] >= $1 ORDER BY ctid LIMIT 1",
            &[&(first_done as f64)],
        )
        .unwrap()
        .get(0);
    src.execute(
        "UPDATE big.rows SET body = 'chang' || convert_from('\\xe9'::bytea, 'LATIN9') WHERE id = $1",
        &[&id],
    )
    .unwrap();
    let err = run_ok(&resume);
    assert!(
        err.contains(&format!(
            "big.rows: emptied and copied again in 4 ranges: rows of blocks {first_done}-"
        )) && err.contains("changed in the source since the earlier run copied them"),
        "{err}"
    );
    let got = summary(&mut tgt);
    assert_eq!(got.0, 60_000);
    assert_eq!(got, summary(&mut src));
    let body: String = tgt
        .query_one("SELECT body FROM big.rows WHERE id = $1", &[&id])
        .unwrap()
        .get(0);
    assert_eq!(body, "changé");
}

#[test]
fn a_lossy_cell_in_the_last_range_stops_the_table_naming_it() {
    let c = cluster();
    let mut src = c.create_db("splitlossysrc", "LATIN9");
    src.batch_execute(
        "CREATE SCHEMA app;
         CREATE TABLE app.notes (id int PRIMARY KEY, body text);
         INSERT INTO app.notes SELECT g, repeat('note ' || convert_from('\\xe9'::bytea, 'LATIN9'), 20) FROM generate_series(1, 20000) g;",
    )
    .unwrap();
    // The last row: 0x93 means nothing in LATIN9 (a Windows-1252 quote).
    common::pg::insert_raw(
        &mut src,
        "app.notes",
        "body",
        "LATIN9",
        &[(20001, Some(b"\x93quoted\x94"))],
    );
    let mut tgt = c.create_db("splitlossytgt", "UTF8");
    copy_schema(c, "splitlossysrc", "splitlossytgt");
    let (su, tu) = (c.url("splitlossysrc"), c.url("splitlossytgt"));
    let log = tmp("splitlossy.log");
    let args = split_copy(&su, &tu, &log);
    let o = charmig(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("app.notes: FAILED: blocks ")
            && err.contains("-end: column body, row ")
            && err.contains("(key id=20001): byte 0x93"),
        "{err}"
    );
    let r = ranges(&mut tgt, "notes");
    assert_eq!(r.last().unwrap().1, "failed", "{r:?}");
    assert_eq!(table_state(&mut tgt, "notes").as_deref(), Some("failed"));
    let n: i64 = tgt
        .query_one("SELECT count(*) FROM app.notes WHERE id = 20001", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "nothing of the failed range is in the target");

    // Resumed with the explicit choice: the failed range only.
    let mut replace = args.to_vec();
    replace.extend(["--on-lossy", "replace"]);
    let err = run_ok(&replace);
    assert!(
        err.contains("replaced: app.notes: 1 cell had bytes replaced with U+FFFD"),
        "{err}"
    );
    let body: String = tgt
        .query_one("SELECT body FROM app.notes WHERE id = 20001", &[])
        .unwrap()
        .get(0);
    assert_eq!(body, "\u{FFFD}quoted\u{FFFD}");
    let got: (i64, i64) = tgt
        .query_one("SELECT count(*), count(DISTINCT id) FROM app.notes", &[])
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert_eq!(got, (20001, 20001));

    // As if that run had been killed before its first range: a run that refuses such cells
    // (the default) does not keep the range holding U+FFFD; it copies the table again and
    // stops at the cell.
    tgt.batch_execute(
        "UPDATE charmig.charmig_copy_ranges SET state = 'pending' WHERE table_name = 'notes' AND first_block = 0;
         UPDATE charmig.charmig_copy_log SET state = 'failed' WHERE table_name = 'notes'",
    )
    .unwrap();
    let o = charmig(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("with --on-lossy replace (U+FFFD where the source holds bytes without meaning), which this run refuses")
            && err.contains("(key id=20001): byte 0x93"),
        "{err}"
    );
    let n: i64 = tgt
        .query_one("SELECT count(*) FROM app.notes WHERE id = 20001", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "the replaced cell is gone with its range");
}

/// A LATIN9 source `big.rows` of 60000 rows (accented text with €, 0xA4 in LATIN9) and an
/// empty UTF8 target with its schema; returns (source, target, source URL, target URL).
fn big_rows(
    c: &common::pg::Cluster,
    name: &str,
) -> (postgres::Client, postgres::Client, String, String) {
    let (s, t) = (format!("{name}src"), format!("{name}tgt"));
    let mut src = c.create_db(&s, "LATIN9");
    src.batch_execute(
        "CREATE SCHEMA big;
         CREATE TABLE big.rows (id int PRIMARY KEY, body text, n int8);
         INSERT INTO big.rows SELECT g, repeat(convert_from('\\xe9a4bc'::bytea, 'LATIN9') || ' row ' || g || E'\\t', 4), g * 7
           FROM generate_series(1, 60000) g;
         ANALYZE;",
    )
    .unwrap();
    let tgt = c.create_db(&t, "UTF8");
    copy_schema(c, &s, &t);
    (src, tgt, c.url(&s), c.url(&t))
}

/// (rows, distinct ids, every row as text in key order: decoded by each server for the
/// UTF8 session, so a LATIN9 source and its UTF8 copy compare equal).
fn content(db: &mut postgres::Client) -> (i64, i64, Vec<String>) {
    let r = db
        .query_one("SELECT count(*), count(DISTINCT id) FROM big.rows", &[])
        .unwrap();
    let all = db
        .query("SELECT t::text FROM big.rows t ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    (r.get(0), r.get(1), all)
}

/// `charmig copy` of `big_rows`' databases on two connections, every table split.
fn split_copy<'a>(su: &'a str, tu: &'a str, log: &'a std::path::Path) -> [&'a str; 11] {
    [
        "copy",
        "--from",
        su,
        "--to",
        tu,
        "--log-file",
        log.to_str().unwrap(),
        "--jobs",
        "2",
        "--split-min-size",
        "0",
    ]
}

#[test]
fn a_resume_does_not_trust_finished_ranges_the_target_no_longer_holds() {
    let c = cluster();
    let (mut src, mut tgt, su, tu) = big_rows(c, "splithand");
    let log = tmp("splithand.log");
    let args = split_copy(&su, &tu, &log);
    // Killed after two ranges; then the target table is emptied by hand (a DBA's TRUNCATE).
    kill_after_ranges(&args, &mut tgt, 2, 2);
    tgt.batch_execute("TRUNCATE big.rows").unwrap();
    let err = run_ok(&args);
    assert!(
        err.contains("big.rows: emptied and copied again in 4 ranges: ")
            && err.contains("the target holds 0 rows"),
        "{err}"
    );
    assert_eq!(content(&mut tgt), content(&mut src), "after a TRUNCATE");

    // Killed again; one row of a finished range deleted in the target (the DELETE keeps the
    // table's file: only its rows tell).
    let mut restart = args.to_vec();
    restart.push("--restart");
    kill_after_ranges(&restart, &mut tgt, 2, 2);
    let r = ranges(&mut tgt, "rows");
    let first_done = r.iter().find(|x| x.1 == "done").unwrap().0;
    let gone = tgt
        .execute(
            "DELETE FROM big.rows WHERE ctid = (SELECT min(ctid) FROM big.rows WHERE ctid >= format('(%s,0)', $1::int8)::tid)",
            &[&first_done],
        )
        .unwrap();
    assert_eq!(gone, 1);
    let err = run_ok(&args);
    assert!(err.contains("big.rows: emptied and copied again"), "{err}");
    assert_eq!(content(&mut tgt), content(&mut src), "after a DELETE");
}

#[test]
fn a_resume_reading_a_column_otherwise_copies_the_table_again_in_that_reading() {
    let c = cluster();
    let (mut src, mut tgt, su, tu) = big_rows(c, "splitread");
    // The last row holds Windows-1252 quotes, which mean nothing in LATIN9: the last range fails.
    common::pg::insert_raw(
        &mut src,
        "big.rows",
        "body",
        "LATIN9",
        &[(60001, Some(b"\x93quoted\x94 \xa4"))],
    );
    let log = tmp("splitread.log");
    let args = split_copy(&su, &tu, &log);
    let o = charmig(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let r = ranges(&mut tgt, "rows");
    assert!(r.iter().any(|x| x.1 == "done"), "{r:?}");
    let euros: i64 = tgt
        .query_one("SELECT count(*) FROM big.rows WHERE body LIKE '%€%'", &[])
        .unwrap()
        .get(0);
    assert!(euros > 0, "the finished ranges read 0xA4 as LATIN9's €");

    // As the error advises: the column read as Windows-1252, where 0xA4 is ¤.
    let mut again = args.to_vec();
    again.extend(["--assume-column", "big.rows.body=WIN1252"]);
    let err = run_ok(&again);
    assert!(
        err.contains("big.rows: emptied and copied again in 4 ranges: ") && err.contains("body"),
        "{err}"
    );
    let (n, euros, currency): (i64, i64, i64) = tgt
        .query_one(
            "SELECT count(*), count(*) FILTER (WHERE body LIKE '%€%'), count(*) FILTER (WHERE body LIKE '%¤%') FROM big.rows",
            &[],
        )
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .unwrap();
    assert_eq!(
        (n, euros, currency),
        (60001, 0, 60001),
        "every row read as the run asked, none as the earlier run did"
    );
    let last: String = tgt
        .query_one("SELECT body FROM big.rows WHERE id = 60001", &[])
        .unwrap()
        .get(0);
    assert_eq!(last, "“quoted” ¤");
}

#[test]
fn two_copies_at_once_never_load_a_range_twice() {
    let c = cluster();
    let (mut src, mut tgt, su, tu) = big_rows(c, "splittwice");
    // Keyless in the target during the load (as --plan's 01_before_copy leaves it), so the
    // second copy's rows do not wait for the first one's.
    tgt.batch_execute("ALTER TABLE big.rows DROP CONSTRAINT rows_pkey")
        .unwrap();
    // A DBA's limit on idle sessions: the run lock's connection is idle for the whole run.
    tgt.batch_execute("ALTER DATABASE splittwicetgt SET idle_session_timeout = '2s'")
        .unwrap();
    let log = tmp("splittwice.log");
    let release = tmp("splittwice.release");
    let _ = std::fs::remove_file(&release);
    let args = split_copy(&su, &tu, &log);
    let lock_holders = |db: &mut postgres::Client| -> Vec<i32> {
        db.query(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = 1835624241 \
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    // The first copy commits two ranges, the other two stall with their rows written.
    let mut first = stall_after_ranges(&args, &mut tgt, 2, 2, Some(&release));
    std::thread::sleep(std::time::Duration::from_millis(3000));
    let holders = lock_holders(&mut tgt);
    assert_eq!(
        holders.len(),
        1,
        "the run lock outlives idle_session_timeout"
    );
    // Its lock's connection then dies (a network cut): a second copy gets the lock and
    // finishes the table, loading the two ranges the first one still holds uncommitted.
    tgt.execute("SELECT pg_terminate_backend($1)", &[&holders[0]])
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let err = run_ok(&args);
    assert!(
        err.contains("big.rows: resuming in 4 ranges: 2 done"),
        "{err}"
    );
    assert_eq!(content(&mut tgt), content(&mut src));
    // The first copy goes on: its two ranges must not commit a second time.
    std::fs::write(&release, b"").unwrap();
    let start = std::time::Instant::now();
    while first.0.try_wait().unwrap().is_none() {
        assert!(start.elapsed().as_secs() < 60, "the first copy did not end");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (s, t) = (content(&mut src), content(&mut tgt));
    assert_eq!((t.0, t.1), (s.0, s.1), "no range twice");
    assert_eq!(t, s);
    let mut out = String::new();
    std::io::Read::read_to_string(first.0.stderr.as_mut().unwrap(), &mut out).unwrap();
    assert!(
        out.contains("another charmig copy took this range meanwhile (done by run copy-"),
        "{out}"
    );
    let r = ranges(&mut tgt, "rows");
    assert!(r.iter().all(|x| x.1 == "done"), "{r:?}");
    // The losing run's failure does not overwrite the winner's `done` in the table log.
    assert_eq!(table_state(&mut tgt, "rows").as_deref(), Some("done"));
    let _ = std::fs::remove_file(&release);
}

#[test]
fn a_resume_reads_source_changes_outside_the_finished_ranges_and_restarts_after_a_rewrite() {
    let c = cluster();
    let (mut src, mut tgt, su, tu) = big_rows(c, "splitchg");
    let log = tmp("splitchg.log");
    let args = split_copy(&su, &tu, &log);
    // Ranges are taken in block order on two connections: two commit, two stall, the last
    // always among them (it is taken once two ranges have ended).
    kill_after_ranges(&args, &mut tgt, 2, 2);
    let r = ranges(&mut tgt, "rows");
    assert_eq!(r.len(), 4, "{r:?}");
    assert_eq!(r[3].1, "running", "{r:?}");
    let third: i64 = r.iter().find(|x| x.1 != "done").unwrap().0;
    // Between the runs, outside the finished ranges: a row of an unfinished range deleted, one
    // updated (HOT where its page has room), rows appended past the last block (the last
    // range is open-ended: rows too long for the room left in the finished ranges' pages);
    // then VACUUM and VACUUM FREEZE, which move no row.
    src.execute(
        "DELETE FROM big.rows WHERE ctid = (SELECT min(ctid) FROM big.rows WHERE ctid >= format('(%s,0)', $1::int8)::tid)",
        &[&third],
    )
    .unwrap();
    src.batch_execute(
        "UPDATE big.rows SET n = -n, body = body || convert_from('\\xbd'::bytea, 'LATIN9') WHERE id = 59990;
         INSERT INTO big.rows SELECT g, repeat('nouveau ' || convert_from('\\xe9'::bytea, 'LATIN9'), 40) || g, g FROM generate_series(60001, 61000) g;",
    )
    .unwrap();
    src.batch_execute("VACUUM big.rows").unwrap();
    src.batch_execute("VACUUM FREEZE big.rows").unwrap();
    // Resumed on one connection (a 2-core machine where both servers run), the finished
    // ranges are kept all the same.
    let one = [
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--log-file",
        log.to_str().unwrap(),
        "--jobs",
        "1",
    ];
    let err = run_ok(&one);
    assert!(
        err.contains("big.rows: resuming in 4 ranges: 2 done by an earlier run, kept"),
        "{err}"
    );
    assert_eq!(content(&mut tgt), content(&mut src));
    assert_eq!(content(&mut tgt).0, 60_999);

    // A rewrite (VACUUM FULL) moves every row: the table starts over.
    let mut restart = args.to_vec();
    restart.push("--restart");
    kill_after_ranges(&restart, &mut tgt, 2, 2);
    src.batch_execute("DELETE FROM big.rows WHERE id % 10 = 0")
        .unwrap();
    src.batch_execute("VACUUM FULL big.rows").unwrap();
    let err = run_ok(&args);
    assert!(
        err.contains(
            "big.rows: emptied and copied again in 4 ranges: the source table was rewritten"
        ),
        "{err}"
    );
    assert_eq!(content(&mut tgt), content(&mut src));
}

/// Ranges logged pending by a run that read a column one way (then killed before loading any)
/// and loaded by a run that read it another way are logged with the reading they were loaded
/// with: a third run reading it the first way copies the table again instead of keeping them
/// (found by review: 30051 rows with € and 29949 with ¤ from the same byte, exit 0).
#[test]
fn ranges_are_logged_with_the_reading_they_were_loaded_with() {
    let c = cluster();
    let (_src, mut tgt, su, tu) = big_rows(c, "splitpend");
    let log = tmp("splitpend.log");
    let args = split_copy(&su, &tu, &log);
    let mut w = args.to_vec();
    w.extend(["--assume-column", "big.rows.body=WIN1252"]);
    run_ok(&w);
    // As if that run had been killed before any range finished.
    tgt.batch_execute(
        "TRUNCATE big.rows;
         UPDATE charmig.charmig_copy_ranges SET state = 'pending', rows_copied = NULL, checksum = NULL, fingerprint = NULL WHERE table_name = 'rows';
         UPDATE charmig.charmig_copy_log SET state = 'failed' WHERE table_name = 'rows'",
    )
    .unwrap();
    // Read as LATIN9 (0xA4 is €), killed after two ranges.
    kill_after_ranges(&args, &mut tgt, 2, 2);
    // As WIN1252 again (0xA4 is ¤): LATIN9's ranges are not kept.
    let err = run_ok(&w);
    assert!(
        err.contains("this run reads columns otherwise than the earlier run did"),
        "{err}"
    );
    let r: (i64, i64, i64) = tgt
        .query_one(
            "SELECT count(*), count(*) FILTER (WHERE body LIKE '%€%'), count(*) FILTER (WHERE body LIKE '%¤%') FROM big.rows",
            &[],
        )
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .unwrap();
    assert_eq!(r, (60000, 0, 60000));
}
