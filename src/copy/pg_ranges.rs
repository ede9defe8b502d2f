//! A table copied in block ranges into PostgreSQL (`--via client`, see [`super::split`]): the
//! range log `charmig.charmig_copy_ranges` in the target, one row per range (table, first
//! block, end block, state, rows, checksum, the source rows' fingerprint, the source table's
//! file node), and each range's transaction.
//!
//! Invariant: the target table holds exactly the rows of the ranges logged `done`.
//! - Starting a table empties it (`TRUNCATE ONLY`, or `DELETE` when foreign keys reference
//!   it) and writes its ranges `pending`, in one committed transaction.
//! - Each range is read from the source in the run's snapshot and loaded with one `COPY` in
//!   a target transaction of its own, which also marks the range `done` with its rows: a run
//!   killed mid-range leaves nothing of that range, and its row says `running`.
//! - A resumed run reads in a new snapshot. It keeps the finished ranges only when the source
//!   still holds exactly their rows: same file node (no `VACUUM FULL`, `CLUSTER` or rewriting
//!   `ALTER TABLE` since), and, range by range, the same count and hash sum of the row
//!   versions' (ctid, xmin) (a row version is never changed in place; an `UPDATE` or `DELETE`
//!   changes the set). The table then ends up equal to the new snapshot, as a whole-table copy
//!   would. Otherwise the target cannot tell which of its rows came from the changed range:
//!   the table is emptied and copied again, and the log says why. The same when this run reads
//!   a column otherwise (a column converted two ways), or when the target no longer holds the
//!   finished ranges' row count (emptied or changed by hand since).
//! - A range is taken only when not `done`, and marked `done` only by the run that took it, so
//!   two runs at once (one lost its run lock with its connection) never load it twice.

use super::pg_client::{ClientConfig, binary_layout, load_rows};
use super::pg_target::{TargetConn, pg_err};
use super::split::{BlockRange, SplitStart};
use super::text::OnLossy;
use super::{CopyTable, TableState};
use postgres::Client;
use std::collections::HashSet;

const WHERE_RANGE: &str = "WHERE table_owner = $1 AND table_name = $2 AND first_block = $3";

/// One range as the log holds it.
struct Logged {
    range: BlockRange,
    state: String,
    rows: Option<i64>,
    checksum: Option<String>,
    fingerprint: Option<String>,
    filenode: i64,
    /// How the run that logged it reads each column (see [`reading`]).
    reading: Option<String>,
}

fn block(n: u64) -> i64 {
    n as i64
}

/// Forgets the ranges of a table (copied whole since).
pub fn forget(client: &mut impl postgres::GenericClient, t: &CopyTable) -> Result<(), String> {
    client
        .execute(
            "DELETE FROM charmig.charmig_copy_ranges WHERE table_owner = $1 AND table_name = $2",
            &[&t.owner, &t.name],
        )
        .map(|_| ())
        .map_err(|e| pg_err(&e))
}

/// The tables the range log holds ranges of.
pub fn split_tables(client: &mut Client) -> Result<HashSet<(String, String)>, String> {
    let rows = client
        .query(
            "SELECT DISTINCT table_owner, table_name FROM charmig.charmig_copy_ranges",
            &[],
        )
        .map_err(|e| pg_err(&e))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

fn logged(client: &mut Client, t: &CopyTable) -> Result<Vec<Logged>, String> {
    let rows = client
        .query(
            "SELECT first_block, end_block, state, rows_copied, checksum, fingerprint, filenode, reading FROM charmig.charmig_copy_ranges \
              WHERE table_owner = $1 AND table_name = $2 ORDER BY first_block",
            &[&t.owner, &t.name],
        )
        .map_err(|e| pg_err(&e))?;
    Ok(rows
        .iter()
        .map(|r| Logged {
            range: BlockRange {
                first: r.get::<_, i64>(0) as u64,
                end: r.get::<_, Option<i64>>(1).map(|e| e as u64),
            },
            state: r.get(2),
            rows: r.get(3),
            checksum: r.get(4),
            fingerprint: r.get(5),
            filenode: r.get(6),
            reading: r.get(7),
        })
        .collect())
}

/// How this run reads each column of `t` (`"body"=WIN1252, n=LATIN9`): finished ranges
/// read otherwise cannot be kept, or the table would hold a column converted two ways.
fn reading(conn: &mut TargetConn, cfg: &ClientConfig, t: &CopyTable) -> Result<String, String> {
    use super::reading::Reading;
    let tt = conn.table(t)?;
    let encodings = cfg.encodings(t, &tt)?;
    // Columns whose type prints no stored characters (numbers, dates…) are left out: their
    // reading changes nothing the copy writes.
    let free = free_columns(cfg, t)?;
    let ascii = |c: &str| free.iter().any(|f| f == c);
    Ok(tt
        .columns
        .iter()
        .zip(&encodings)
        .filter(|(c, _)| !ascii(c))
        .map(|(c, (label, r))| {
            let auto = match r {
                Reading::Auto(_) if !label.eq_ignore_ascii_case("auto") => " (auto)",
                _ => "",
            };
            // The charset's own name: `latin1` and `LATIN1` read alike.
            let label = crate::charset::resolve(label, crate::charset::Dialect::Postgres)
                .map_or(label.to_string(), |cs| {
                    cs.name(crate::charset::Dialect::Postgres).to_string()
                });
            format!("{}={label}{auto}", crate::dialect::postgres::shown_ident(c))
        })
        .collect::<Vec<_>>()
        .join(", "))
}

/// Whether two logged readings read every column alike: items compared by column, labels by
/// their charset's name, columns whose type prints no stored characters (`free`: what an
/// older charmig still logged) left out.
fn same_reading(then: &str, now: &str, free: &[String]) -> bool {
    let items = |r: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = r
            .split(", ")
            .filter(|i| !i.is_empty())
            .map(|i| {
                let (c, l) = i.rsplit_once('=').unwrap_or((i, ""));
                let (base, auto) = match l.strip_suffix(" (auto)") {
                    Some(b) => (b, " (auto)"),
                    None => (l, ""),
                };
                let label = crate::charset::resolve(base, crate::charset::Dialect::Postgres)
                    .map_or(base.to_ascii_lowercase(), |cs| {
                        cs.name(crate::charset::Dialect::Postgres).to_string()
                    });
                (c.to_string(), format!("{label}{auto}"))
            })
            .filter(|(c, _)| {
                !free
                    .iter()
                    .any(|f| crate::dialect::postgres::shown_ident(f) == *c)
            })
            .collect();
        v.sort();
        v
    };
    items(then) == items(now)
}

/// The source table's columns whose type prints no stored characters.
fn free_columns(cfg: &ClientConfig, t: &CopyTable) -> Result<Vec<String>, String> {
    cfg.source
        .charset_free_columns(cfg.source_index(t)?)
        .map_err(|e| e.to_string())
}

/// Why the finished ranges of an earlier run cannot be kept, if they cannot.
fn cannot_keep(
    conn: &mut TargetConn,
    cfg: &ClientConfig,
    t: &CopyTable,
    src: usize,
    logged: &[Logged],
    filenode: i64,
    reading: &str,
) -> Result<Option<String>, String> {
    let done: Vec<&Logged> = logged.iter().filter(|l| l.state == "done").collect();
    if done.is_empty() {
        return Ok(None);
    }
    if logged.iter().any(|l| l.filenode != filenode) {
        return Ok(Some(
            "the source table was rewritten since the earlier run (VACUUM FULL, CLUSTER or ALTER TABLE): \
             the rows of its finished ranges may have moved"
                .into(),
        ));
    }
    fn read_as(l: &Logged) -> Option<&str> {
        l.reading.as_deref().map(|r| r.trim_end_matches(REPLACED))
    }
    let free = free_columns(cfg, t)?;
    if let Some(l) = done
        .iter()
        .find(|l| !read_as(l).is_some_and(|then| same_reading(then, reading, &free)))
    {
        return Ok(Some(match read_as(l) {
            None => "the earlier run did not record how it read the columns".to_string(),
            Some(then) => read_otherwise(then, reading),
        }));
    }
    if matches!(cfg.on_lossy, OnLossy::Fail)
        && let Some(l) = done
            .iter()
            .find(|l| l.reading.as_deref().is_some_and(|r| r.ends_with(REPLACED)))
    {
        return Ok(Some(format!(
            "the earlier run loaded {} with --on-lossy replace (U+FFFD where the source holds bytes without meaning), \
             which this run refuses",
            l.range.describe()
        )));
    }
    if cfg.verify && done.iter().any(|l| l.checksum.is_none()) {
        return Ok(Some(
            "--verify needs the checksum of every range, which the earlier run (without --verify) did not take"
                .into(),
        ));
    }
    // The target must still hold exactly the finished ranges' rows: a table emptied since
    // (by hand, by a copy that emptied it with the tables it is linked to, a crash of an
    // unlogged table) would otherwise end up without them.
    let expected: i64 = done.iter().map(|l| l.rows.unwrap_or(-1)).sum();
    let holds = conn.count(t)?;
    if i64::try_from(holds).ok() != Some(expected) {
        return Ok(Some(format!(
            "the target holds {} rows, not the {expected} of the ranges the earlier run finished (emptied or changed since?)",
            holds
        )));
    }
    for l in done {
        let now = cfg
            .source
            .range_fingerprint(src, l.range.first, l.range.end)
            .map_err(|e| e.to_string())?;
        if l.fingerprint.as_deref() != Some(now.as_str()) {
            return Ok(Some(format!(
                "rows of {} changed in the source since the earlier run copied them (rows:hash {} then, {now} now)",
                l.range.describe(),
                l.fingerprint.as_deref().unwrap_or("-")
            )));
        }
    }
    Ok(None)
}

/// Starts or resumes a split table (see [`super::CopyTarget::start_split`]).
pub fn start(
    conn: &mut TargetConn,
    cfg: &ClientConfig,
    t: &CopyTable,
    planned: &[BlockRange],
    restart: bool,
) -> Result<SplitStart, String> {
    let src = cfg.source_index(t)?;
    let filenode = cfg.source.hold_for_split(src).map_err(|e| e.to_string())?;
    let logged = match restart {
        true => Vec::new(),
        false => logged(&mut conn.client, t)?,
    };
    let reading = reading(conn, cfg, t)?;
    let why = match logged.is_empty() {
        true => None,
        false => cannot_keep(conn, cfg, t, src, &logged, filenode, &reading)?,
    };
    let done = logged.iter().filter(|l| l.state == "done").count();
    // With no range done there is nothing to keep: the table is emptied and its ranges logged
    // again (this run's file node and reading), as if it were new.
    if done > 0 && why.is_none() {
        return Ok(SplitStart {
            todo: logged
                .iter()
                .filter(|l| l.state != "done")
                .map(|l| l.range)
                .collect(),
            total: logged.len(),
            note: format!(
                "resuming in {} ranges: {done} done by an earlier run, kept (the source holds the same rows in them)",
                logged.len()
            ),
        });
    }
    let ranges: Vec<BlockRange> = match planned.is_empty() {
        true => logged.iter().map(|l| l.range).collect(),
        false => planned.to_vec(),
    };
    if ranges.is_empty() {
        return Err("no ranges to copy the table in".into());
    }
    reset(conn, t, &ranges, filenode, &reading)?;
    let n = ranges.len();
    Ok(SplitStart {
        todo: ranges,
        total: n,
        note: match why {
            Some(w) => format!("emptied and copied again in {n} ranges: {w}"),
            None => format!("copying in {n} block ranges on several connections"),
        },
    })
}

/// Appended to a finished range's `reading` when it was loaded with `--on-lossy replace`.
const REPLACED: &str = "; --on-lossy replace";

/// `then` and `now` (readings, see [`reading`]) told apart by the columns that differ.
fn read_otherwise(then: &str, now: &str) -> String {
    let then: Vec<&str> = then.split(", ").collect();
    let changed: Vec<&str> = now.split(", ").filter(|c| !then.contains(c)).collect();
    format!(
        "this run reads columns otherwise than the earlier run did ({}; then: {})",
        changed.join(", "),
        then.iter()
            .filter(|c| !now.split(", ").any(|n| n == **c))
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The reading a finished table is logged with: how this run reads each column, marked when
/// bytes without meaning became U+FFFD (`--on-lossy replace`).
pub(super) fn logged_reading(
    conn: &mut TargetConn,
    cfg: &ClientConfig,
    t: &CopyTable,
) -> Result<String, String> {
    let r = reading(conn, cfg, t)?;
    Ok(match cfg.on_lossy {
        OnLossy::Replace => format!("{r}{REPLACED}"),
        OnLossy::Fail => r,
    })
}

/// Why a table an earlier run logged done cannot be kept by this run, if so: it was read
/// otherwise (another `--scan` or `--assume`), or loaded with `--on-lossy replace` that this
/// run refuses. A log row of a charmig that recorded no reading is trusted.
pub(super) fn done_table_changed(
    conn: &mut TargetConn,
    cfg: &ClientConfig,
    t: &CopyTable,
    replaced_matters: bool,
) -> Result<Option<String>, String> {
    let then: Option<String> = conn
        .client
        .query_opt(
            "SELECT reading FROM charmig.charmig_copy_log WHERE table_owner = $1 AND table_name = $2",
            &[&t.owner, &t.name],
        )
        .map_err(|e| pg_err(&e))?
        .and_then(|r| r.get(0));
    let Some(then) = then else {
        return Ok(None);
    };
    // A reading this run cannot make (a column the target lacks now…): copied again, where
    // the copy says what is wrong.
    let now = match reading(conn, cfg, t) {
        Ok(r) => r,
        Err(e) => return Ok(Some(format!("its columns cannot be read as before ({e})"))),
    };
    let read = then.trim_end_matches(REPLACED);
    if !same_reading(read, &now, &free_columns(cfg, t)?) {
        return Ok(Some(read_otherwise(read, &now)));
    }
    if replaced_matters && matches!(cfg.on_lossy, OnLossy::Fail) && then.ends_with(REPLACED) {
        return Ok(Some(
            "the earlier run loaded it with --on-lossy replace (U+FFFD where the source holds bytes without meaning), \
             which this run refuses"
                .into(),
        ));
    }
    Ok(None)
}

/// Empties the table and logs its ranges `pending`, in one committed transaction.
fn reset(
    conn: &mut TargetConn,
    t: &CopyTable,
    ranges: &[BlockRange],
    filenode: i64,
    reading: &str,
) -> Result<(), String> {
    let run_id = conn.run_id.clone();
    let res = (|| -> Result<(), String> {
        conn.begin_truncate(t)?;
        forget(&mut conn.client, t)?;
        for r in ranges {
            conn.client
                .execute(
                    "INSERT INTO charmig.charmig_copy_ranges (table_owner, table_name, first_block, end_block, state, filenode, run_id, reading) \
                     VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7)",
                    &[&t.owner, &t.name, &block(r.first), &r.end.map(block), &filenode, &run_id, &reading],
                )
                .map_err(|e| pg_err(&e))?;
        }
        conn.commit()
    })();
    if res.is_err() {
        conn.rollback();
    }
    res
}

/// Loads one range in its own transaction, which marks it done (see the module's invariant).
pub fn copy_range(
    conn: &mut TargetConn,
    cfg: &ClientConfig,
    t: &CopyTable,
    r: &BlockRange,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, String> {
    let src = cfg.source_index(t)?;
    let reading = reading(conn, cfg, t)?;
    let run_id = conn.run_id.clone();
    // Only a range not done is taken, and only by this run's own mark is it made done: two
    // runs at once (one lost its run lock with its connection) never both load a range.
    let taken = conn
        .client
        .execute(
            &format!(
                "UPDATE charmig.charmig_copy_ranges SET state = 'running', started = clock_timestamp(), finished = NULL, \
                 error = NULL, run_id = $4 {WHERE_RANGE} AND state <> 'done'"
            ),
            &[&t.owner, &t.name, &block(r.first), &run_id],
        )
        .map_err(|e| pg_err(&e))?;
    if taken != 1 {
        return Err(another_run(conn, t, r));
    }
    let filter = crate::source::postgres::ctid_filter(r.first, r.end);
    let res = (|| -> Result<u64, String> {
        conn.client.batch_execute("BEGIN").map_err(|e| pg_err(&e))?;
        // The rows the range holds in this snapshot, kept for a resumed run to compare: taken
        // on another source connection while the range loads.
        let (fingerprint, loaded) = std::thread::scope(|s| {
            let fp = s.spawn(|| cfg.source.range_fingerprint(src, r.first, r.end));
            let loaded = load_rows(conn, cfg, t, Some(&filter), false, progress);
            let fp = fp
                .join()
                .map_err(|_| "the fingerprint reader panicked".to_string())
                .and_then(|f| f.map_err(|e| e.to_string()));
            (fp, loaded)
        });
        let l = loaded?;
        let fingerprint = fingerprint?;
        let counted = fingerprint
            .split(':')
            .next()
            .and_then(|n| n.parse::<u64>().ok());
        if l.read != l.written || counted != Some(l.read) {
            return Err(format!(
                "row counts differ: {} read from the source ({} in the snapshot), {} written",
                l.read,
                counted.map_or("?".into(), |n| n.to_string()),
                l.written
            ));
        }
        stall_for_tests();
        let n = conn
            .client
            .execute(
                &format!(
                    "UPDATE charmig.charmig_copy_ranges SET state = 'done', rows_copied = $4, checksum = $5, fingerprint = $6, \
                     finished = clock_timestamp(), error = NULL, reading = $8 {WHERE_RANGE} AND state = 'running' AND run_id = $7"
                ),
                &[
                    &t.owner,
                    &t.name,
                    &block(r.first),
                    &(l.written as i64),
                    &l.checksum.map(|c| c.to_string()),
                    &fingerprint,
                    &run_id,
                    // How this run read the columns (the run that logged the range pending may
                    // have read them otherwise, and been killed before loading it); a range
                    // loaded with `--on-lossy replace` may hold U+FFFD: marked, so a run that
                    // refuses such cells does not keep it.
                    &format!(
                        "{reading}{}",
                        match cfg.on_lossy {
                            OnLossy::Replace => REPLACED,
                            OnLossy::Fail => "",
                        }
                    ),
                ],
            )
            .map_err(|e| pg_err(&e))?;
        if n != 1 {
            return Err(another_run(conn, t, r));
        }
        conn.commit()?;
        Ok(l.written)
    })();
    if res.is_err() {
        conn.rollback();
    }
    res
}

/// The error of a range another run took or reset meanwhile (this run's rows of it were not
/// committed).
fn another_run(conn: &mut TargetConn, t: &CopyTable, r: &BlockRange) -> String {
    let now = conn
        .client
        .query_opt(
            &format!("SELECT state || ' by run ' || run_id FROM charmig.charmig_copy_ranges {WHERE_RANGE}"),
            &[&t.owner, &t.name, &block(r.first)],
        )
        .ok()
        .flatten()
        .map_or("no longer in the log".to_string(), |row| row.get(0));
    format!(
        "another charmig copy took this range meanwhile ({now} in charmig.charmig_copy_ranges): this run left it alone; \
         let one copy run at a time against a target (this one lost its run lock), then run the copy again (it resumes)"
    )
}

/// Records a failed range (its transaction was rolled back), unless another run has it now.
pub fn failed(conn: &mut TargetConn, t: &CopyTable, r: &BlockRange, error: &str) {
    conn.rollback();
    let run_id = conn.run_id.clone();
    let _ = conn.client.execute(
        &format!(
            "UPDATE charmig.charmig_copy_ranges SET state = 'failed', error = $4, finished = clock_timestamp() {WHERE_RANGE} \
             AND state <> 'done' AND run_id = $5"
        ),
        &[&t.owner, &t.name, &block(r.first), &error, &run_id],
    );
}

/// Every range is done: checks the whole table with `--verify` (its count, and its checksum
/// against the sum of the ranges'), then logs it done. Without `--verify` each range's count
/// was checked in its own transaction.
pub fn finish(conn: &mut TargetConn, cfg: &ClientConfig, t: &CopyTable) -> Result<u64, String> {
    let rows = conn
        .client
        .query(
            "SELECT state, coalesce(rows_copied, 0), checksum FROM charmig.charmig_copy_ranges \
              WHERE table_owner = $1 AND table_name = $2",
            &[&t.owner, &t.name],
        )
        .map_err(|e| pg_err(&e))?;
    let open = rows
        .iter()
        .filter(|r| r.get::<_, &str>(0) != "done")
        .count();
    if rows.is_empty() || open > 0 {
        return Err(format!(
            "{open} of {} ranges not done in charmig.charmig_copy_ranges",
            rows.len()
        ));
    }
    let total: u64 = rows.iter().map(|r| r.get::<_, i64>(1) as u64).sum();
    if cfg.verify {
        let (dst_sum, dst) = conn.checksum_and_count(t)?;
        if dst != total {
            return Err(format!(
                "row counts differ after the copy: the ranges wrote {total}, the target holds {dst}"
            ));
        }
        let mut sum: i128 = 0;
        for r in &rows {
            let c: Option<String> = r.get(2);
            sum += c
                .and_then(|c| c.parse::<i128>().ok())
                .ok_or("a range has no checksum")?;
        }
        let dst = dst_sum;
        if dst != sum.to_string() {
            return Err(format!(
                "content checksums differ after the copy: source {sum}, target {dst}"
            ));
        }
        cfg.notes.lock().expect("notes").push(format!(
            "{}: {} in {} ranges, checksum {dst} verified",
            t.display(),
            super::plural(total, "row"),
            rows.len()
        ));
    }
    let tt = conn.table(t)?;
    let way = match binary_layout(cfg, t, &tt)? {
        Some(_) => "binary COPY",
        None => "text COPY",
    };
    // `done` and the reading in one transaction: a kill between them would leave `done`
    // with an earlier run's reading.
    let reading = logged_reading(conn, cfg, t)?;
    conn.begin()?;
    let res = conn
        .log(t, TableState::Done, Some(total), None)
        .and_then(|()| conn.log_reading(t, &reading))
        .and_then(|()| conn.commit());
    if res.is_err() {
        conn.rollback();
    }
    res?;
    cfg.loaded(way);
    Ok(total)
}

/// Test hook (tests/postgres_copy_split.rs): with `CHARMIG_TEST_STALL_AFTER_RANGES=N` the
/// process commits N ranges; every further range then waits, its rows written but not
/// committed, until the process is killed (or until the file `CHARMIG_TEST_STALL_RELEASE`
/// names exists). Makes "killed after N ranges" deterministic.
fn stall_for_tests() {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COMMITS: AtomicU64 = AtomicU64::new(0);
    let Some(n) = std::env::var("CHARMIG_TEST_STALL_AFTER_RANGES")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    if COMMITS.fetch_add(1, Ordering::SeqCst) >= n {
        let release = std::env::var_os("CHARMIG_TEST_STALL_RELEASE");
        while !release
            .as_ref()
            .is_some_and(|f| std::path::Path::new(f).exists())
        {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

#[cfg(test)]
mod reading_tests {
    use super::same_reading;

    #[test]
    fn readings_compare_by_column_and_charset_name() {
        let free = vec!["id".to_string()];
        assert!(same_reading("id=LATIN1, note=latin1", "note=LATIN1", &free));
        assert!(same_reading("a=WIN1252, b=auto", "b=auto, a=WIN1252", &[]));
        assert!(!same_reading("note=LATIN1", "note=WIN1252", &free));
        assert!(!same_reading("note=LATIN1", "note=auto", &free));
        assert!(!same_reading("note=LATIN1 (auto)", "note=LATIN1", &free));
        assert!(!same_reading(
            "note=LATIN1",
            "note=LATIN1, other=LATIN1",
            &free
        ));
    }
}
