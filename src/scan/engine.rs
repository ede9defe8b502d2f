//! The parallel scan engine.
//!
//! Producers (one per job, each with its own source connection where the source has one)
//! read parts of tables and hand undecoded chunks through a bounded channel to workers, which
//! decode and classify them. Memory is bounded by the channel; results are merged per table
//! at the end. Every aggregate is a sum or a maximum, and exceptions are kept by their
//! position in the table (part, chunk, row), so the result does not depend on `--jobs`.

use super::result::*;
use super::{PlannedTable, ScanError, ScanOptions, ScanPlan, plan};
use crate::charset::{Category, Flags, classify, decode_preview};
use crate::source::{Batch, Chunk, Part, Source, snapshot::encode_hex};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::{Instant, SystemTime};

/// Receives progress from the engine; the CLI draws a bar from it.
pub trait Progress: Sync {
    fn start(&self, _total_bytes: u64) {}
    fn advance(&self, _bytes: u64, _rows: u64) {}
    fn finish(&self) {}
}

/// Progress that goes nowhere.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Where a row sits in its table: (part, chunk, row). Orders exceptions deterministically.
type RowKey = (u32, u32, u32);

#[derive(Default, Clone)]
struct ColAgg {
    nulls: u64,
    counts: Counts,
    counts_char: Counts,
    max_post: Option<u64>,
    flags: FlagCounts,
    findings: u64,
    exceptions: Vec<Held>,
    /// Hex characters held in `exceptions` now.
    held_hex: usize,
    /// Once `exceptions` is full: keys above this cannot make the cut.
    threshold: Option<RowKey>,
}

/// A listed cell while the scan runs: where it sits, its full hex length, and whether its hex
/// was cut to an excerpt.
#[derive(Clone)]
struct Held {
    key: RowKey,
    full_hex: usize,
    cut: bool,
    exc: Exception,
}

#[derive(Default)]
struct TableAgg {
    rows: u64,
    bytes: u64,
    cols: Vec<ColAgg>,
    error: Option<(RowKey, String)>,
}

impl TableAgg {
    fn fail(&mut self, key: RowKey, message: String) {
        if self.error.as_ref().is_none_or(|(k, _)| key < *k) {
            self.error = Some((key, message));
        }
    }
}

/// Keeps the first `max` listed cells in row order, and cuts the hex of every cell whose
/// predecessors (in row order) already hold `budget` hex characters. Both only depend on the
/// final order: a cell's predecessors can only grow as more cells arrive, so a cell cut now is
/// cut in the final result too, and the result does not depend on `--jobs`.
fn trim_exceptions(v: &mut Vec<Held>, max: usize, budget: usize) -> (Option<RowKey>, usize) {
    v.sort_by_key(|h| h.key);
    v.truncate(max);
    let mut before = 0usize;
    let mut held = 0usize;
    for h in v.iter_mut() {
        if before >= budget && !h.cut {
            let keep = 2 * HEX_EXCERPT_BYTES;
            if h.exc.hex.len() > keep {
                let mut end = keep;
                while !h.exc.hex.is_char_boundary(end) {
                    end -= 1;
                }
                // A new small string, then the large one dropped whole: truncating in place
                // (even with shrink_to_fit) leaves a hole the next large hex cannot reuse.
                let mut cut = String::with_capacity(end + '…'.len_utf8());
                cut.push_str(&h.exc.hex[..end]);
                cut.push('…');
                h.exc.hex = cut;
                h.cut = true;
            }
        }
        before += h.full_hex;
        held += h.exc.hex.len();
    }
    let threshold = if v.len() >= max {
        v.last().map(|h| h.key)
    } else {
        None
    };
    (threshold, held)
}

struct Work {
    table: usize,
    part: u32,
    chunk_no: u32,
    chunk: Box<dyn Chunk>,
}

struct Shared<'a> {
    source: &'a dyn Source,
    plan: &'a ScanPlan,
    opts: &'a ScanOptions,
    /// Tables (by plan index) that already failed: producers stop reading them.
    failed: Vec<AtomicBool>,
    progress: &'a dyn Progress,
}

/// Runs a scan over a source.
pub fn run(
    source: &dyn Source,
    opts: &ScanOptions,
    progress: &dyn Progress,
) -> Result<ScanResult, ScanError> {
    let started = SystemTime::now();
    let clock = Instant::now();
    let catalog = source.catalog();
    let plan = plan(catalog, opts, &source.charset_origin())?;
    let jobs = opts.jobs.max(1);

    // Parts of every table, biggest tables first so the last table does not run alone.
    let mut parts: Vec<(usize, Part)> = Vec::new();
    let mut part_errors: Vec<(usize, String)> = Vec::new();
    let mut order: Vec<usize> = (0..plan.tables.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(source.size_hint(plan.tables[i].table)));
    let mut total = 0u64;
    for &pi in &order {
        let pt = &plan.tables[pi];
        let cols: Vec<usize> = pt.columns.iter().map(|c| c.index).collect();
        match source.parts(pt.table, &cols) {
            Ok(ps) => {
                total += source.size_hint(pt.table);
                parts.extend(ps.into_iter().map(|p| (pi, p)));
            }
            Err(e) => part_errors.push((pi, e.to_string())),
        }
    }
    progress.start(total);

    let shared = Shared {
        source,
        plan: &plan,
        opts,
        failed: (0..plan.tables.len())
            .map(|_| AtomicBool::new(false))
            .collect(),
        progress,
    };
    let next_part = AtomicUsize::new(0);
    let producer_errors: Mutex<Vec<(usize, RowKey, String)>> = Mutex::new(Vec::new());
    let (tx, rx) = sync_channel::<Work>(jobs * 2);
    let rx = Mutex::new(rx);
    let worker_aggs: Vec<HashMap<usize, TableAgg>> = std::thread::scope(|s| {
        let producers = jobs.min(parts.len()).max(1);
        for _ in 0..producers {
            let tx = tx.clone();
            let (shared, parts, next_part, producer_errors) =
                (&shared, &parts, &next_part, &producer_errors);
            s.spawn(move || {
                loop {
                    let i = next_part.fetch_add(1, Ordering::Relaxed);
                    let Some((pi, part)) = parts.get(i) else {
                        break;
                    };
                    let pt = &shared.plan.tables[*pi];
                    let cols: Vec<usize> = pt.columns.iter().map(|c| c.index).collect();
                    let mut chunk_no = 0u32;
                    let mut stopped = false;
                    let res = shared.source.read(part, &cols, &mut |chunk| {
                        if shared.failed[*pi].load(Ordering::Relaxed) {
                            return false;
                        }
                        let w = Work {
                            table: *pi,
                            part: part.index,
                            chunk_no,
                            chunk,
                        };
                        chunk_no += 1;
                        if tx.send(w).is_err() {
                            stopped = true;
                            return false;
                        }
                        true
                    });
                    if let Err(e) = res {
                        shared.failed[*pi].store(true, Ordering::Relaxed);
                        producer_errors.lock().unwrap().push((
                            *pi,
                            (part.index, chunk_no, 0),
                            e.to_string(),
                        ));
                    }
                    if stopped {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let handles: Vec<_> = (0..jobs)
            .map(|_| s.spawn(|| worker(&shared, &rx)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("scan worker panicked"))
            .collect()
    });

    // Merge.
    let max = opts.max_exceptions;
    let mut merged: HashMap<usize, TableAgg> = HashMap::new();
    for aggs in worker_aggs {
        for (pi, a) in aggs {
            let m = merged.entry(pi).or_default();
            m.rows += a.rows;
            m.bytes += a.bytes;
            if m.cols.is_empty() {
                m.cols = vec![ColAgg::default(); a.cols.len()];
            }
            for (mc, c) in m.cols.iter_mut().zip(a.cols) {
                mc.nulls += c.nulls;
                mc.counts.merge(&c.counts);
                mc.counts_char.merge(&c.counts_char);
                mc.max_post = mc.max_post.max(c.max_post);
                mc.flags.merge(&c.flags);
                mc.findings += c.findings;
                mc.exceptions.extend(c.exceptions);
            }
            if let Some((k, e)) = a.error {
                m.fail(k, e);
            }
        }
    }
    for (pi, k, e) in producer_errors.into_inner().unwrap() {
        merged.entry(pi).or_default().fail(k, e);
    }
    for (pi, e) in part_errors {
        merged.entry(pi).or_default().fail((0, 0, 0), e);
    }

    let mut result = ScanResult {
        format: SCAN_FORMAT.into(),
        charmig_version: env!("CARGO_PKG_VERSION").into(),
        source: catalog.source.clone(),
        parameters: Parameters {
            source: source.describe(),
            target: opts.target.name().into(),
            assume: opts.assume.as_ref().map(|a| a.label()),
            assume_columns: opts
                .assume_columns
                .iter()
                .map(|(k, a)| format!("{k}={}", a.label()))
                .collect(),
            schemas: opts.schemas.clone(),
            tables: opts.tables.clone(),
            excludes: opts.excludes.clone(),
            char_semantics: opts.char_semantics,
            max_exceptions: max as u64,
            jobs,
            max_exception_bytes: opts.max_exception_bytes as u64,
            own_tables_excluded: catalog
                .tables
                .iter()
                .filter(|t| crate::own::is_own_table(&t.owner, &t.name))
                .count() as u64,
        },
        started_at: super::time::rfc3339(started),
        finished_at: super::time::now(),
        elapsed_seconds: clock.elapsed().as_secs_f64(),
        tables: Vec::new(),
        columns: Vec::new(),
        not_affected: plan.not_affected.clone(),
        skipped: plan.skipped.clone(),
        exceptions: Vec::new(),
        // Every table in scope, also one without character columns (its name and its
        // constraints' names are moved too).
        long_names: {
            let in_scope: std::collections::HashSet<(&str, &str)> = catalog
                .tables
                .iter()
                .filter(|t| {
                    super::filter::table_in_scope(t, opts)
                        && !t.name.starts_with("BIN$")
                        && !crate::own::is_own_table(&t.owner, &t.name)
                })
                .map(|t| (t.owner.as_str(), t.name.as_str()))
                .collect();
            super::names::long_names(catalog, &|owner, table| in_scope.contains(&(owner, table)))
        },
        index_keys: {
            let scanned: std::collections::HashSet<(&str, &str)> = plan
                .tables
                .iter()
                .map(|pt| {
                    let t = &catalog.tables[pt.table];
                    (t.owner.as_str(), t.name.as_str())
                })
                .collect();
            crate::plan::oracle_rules::scan_key_callouts(catalog, &|owner, table| {
                scanned.contains(&(owner, table))
            })
        },
    };
    for l in source.left_out() {
        let t = crate::catalog::Table {
            owner: l.owner.clone(),
            name: l.table.clone(),
            num_rows: None,
            columns: Vec::new(),
        };
        if super::filter::table_in_scope(&t, opts) {
            result.skipped.push(Skipped {
                object: l.object(),
                reason: l.reason,
                error: false,
            });
        }
    }
    for (pi, pt) in plan.tables.iter().enumerate() {
        let table = &catalog.tables[pt.table];
        let mut agg = merged.remove(&pi).unwrap_or_default();
        if let Some((_, e)) = agg.error {
            // Database errors already name the table: say it once.
            let prefix = format!("{}: ", table.qualified());
            let e = e.strip_prefix(&prefix).unwrap_or(&e);
            result.skipped.push(Skipped {
                object: table.qualified(),
                reason: format!("not scanned: {e}"),
                error: true,
            });
            continue;
        }
        if agg.cols.is_empty() {
            agg.cols = vec![ColAgg::default(); pt.columns.len()];
        }
        result.tables.push(TableResult {
            owner: table.owner.clone(),
            table_name: table.name.clone(),
            rows: agg.rows,
            num_rows: table.num_rows,
            bytes_read: agg.bytes,
        });
        for (pc, mut c) in pt.columns.iter().zip(agg.cols) {
            let col = &table.columns[pc.index];
            trim_exceptions(&mut c.exceptions, max, opts.max_exception_bytes);
            let hex_cut = c.exceptions.iter().filter(|h| h.cut).count() as u64;
            result.columns.push(ColumnResult {
                owner: table.owner.clone(),
                table_name: table.name.clone(),
                column_name: col.name.clone(),
                column_id: col.column_id,
                data_type: col.data_type.clone(),
                kind: col.kind(catalog.source.dialect),
                semantics: col.semantics,
                data_length: col.data_length,
                char_length: col.char_length,
                source_charset: pc.charset_name.clone(),
                auto_base: pc.auto_base.clone(),
                assumed: pc.assumed,
                limit: pc.profile.limit,
                rows: agg.rows,
                nulls: c.nulls,
                counts: c.counts,
                max_post_bytes: c.max_post,
                char_semantics: c.counts_char,
                flags: c.flags,
                exceptions_listed: c.exceptions.len() as u64,
                findings: c.findings,
                hex_cut,
            });
            result
                .exceptions
                .extend(c.exceptions.into_iter().map(|h| h.exc));
        }
    }
    progress.finish();
    Ok(result)
}

fn worker(shared: &Shared, rx: &Mutex<Receiver<Work>>) -> HashMap<usize, TableAgg> {
    let mut aggs: HashMap<usize, TableAgg> = HashMap::new();
    let mut batch = Batch::default();
    loop {
        let work = match rx.lock().unwrap().recv() {
            Ok(w) => w,
            Err(_) => return aggs,
        };
        let pt = &shared.plan.tables[work.table];
        let agg = aggs.entry(work.table).or_default();
        if agg.cols.is_empty() {
            agg.cols = vec![ColAgg::default(); pt.columns.len()];
        }
        batch.reset(pt.columns.len());
        let size = work.chunk.size();
        if let Err(e) = work.chunk.decode(&mut batch) {
            shared.failed[work.table].store(true, Ordering::Relaxed);
            agg.fail((work.part, work.chunk_no, 0), e.to_string());
            continue;
        }
        classify_batch(shared, pt, &batch, (work.part, work.chunk_no), agg);
        agg.rows += batch.rows() as u64;
        agg.bytes += size;
        shared.progress.advance(size, batch.rows() as u64);
    }
}

fn classify_batch(
    shared: &Shared,
    pt: &PlannedTable,
    batch: &Batch,
    key: (u32, u32),
    agg: &mut TableAgg,
) {
    let max = shared.opts.max_exceptions;
    let budget = shared.opts.max_exception_bytes;
    let catalog = shared.source.catalog();
    let table = &catalog.tables[pt.table];
    for (ci, pc) in pt.columns.iter().enumerate() {
        let c = &mut agg.cols[ci];
        let p = &pc.profile;
        for row in 0..batch.rows() {
            let Some(bytes) = batch.cell(row, ci) else {
                c.nulls += 1;
                continue;
            };
            let v = classify(bytes, p);
            c.counts.add(v.category, 1);
            c.counts_char.add(v.category_char, 1);
            if v.category != Category::Lossy {
                c.max_post = c.max_post.max(Some(v.post_bytes as u64));
            }
            let mut finding = false;
            if !v.flags.is_empty() {
                count_flags(&mut c.flags, v.flags);
                finding = v.flags.intersects(Flags::FINDINGS);
                c.findings += u64::from(finding);
            }
            let wanted = v.category >= Category::Truncation
                || finding
                || v.flags.intersects(shared.opts.capture_flags);
            if wanted && max > 0 {
                let rk = (key.0, key.1, row as u32);
                if c.threshold.is_some_and(|t| rk > t) {
                    continue;
                }
                let col = &table.columns[pc.index];
                let exc = exception(table, &col.name, batch.rowid(row), bytes, &v, pc);
                c.held_hex += exc.hex.len();
                c.exceptions.push(Held {
                    key: rk,
                    full_hex: exc.hex.len(),
                    cut: false,
                    exc,
                });
                if c.exceptions.len() >= 2 * max.max(1)
                    || (c.threshold.is_none() && c.exceptions.len() >= max)
                    || c.held_hex > budget + (budget / 4).max(1 << 18)
                {
                    (c.threshold, c.held_hex) = trim_exceptions(&mut c.exceptions, max, budget);
                }
            }
        }
    }
}

fn count_flags(f: &mut FlagCounts, flags: Flags) {
    f.stray_cp1252 += u64::from(flags.contains(Flags::STRAY_CP1252));
    f.utf8_passthrough += u64::from(flags.contains(Flags::UTF8_PASSTHROUGH));
    f.replacement_char += u64::from(flags.contains(Flags::REPLACEMENT_CHAR));
    f.cesu8_surrogates += u64::from(flags.contains(Flags::CESU8_SURROGATES));
    f.auto_utf8 += u64::from(flags.contains(Flags::AUTO_UTF8));
    f.auto_win1252 += u64::from(flags.contains(Flags::AUTO_WIN1252));
    f.double_encoded += u64::from(flags.contains(Flags::DOUBLE_ENCODED));
}

fn exception(
    table: &crate::catalog::Table,
    column: &str,
    rowid: &[u8],
    bytes: &[u8],
    v: &crate::charset::Verdict,
    pc: &super::PlannedColumn,
) -> Exception {
    let limit = pc.profile.limit;
    let mut hex = String::new();
    // Truncation cells are VARCHAR2/CHAR values (at most 32767 bytes) kept whole: `truncate`
    // cuts from them. Lossy cells can be CLOBs of any size: their hex is an excerpt.
    let cap = if v.category == Category::Truncation {
        HEX_MAX_BYTES
    } else {
        HEX_LOSSY_MAX_BYTES
    };
    encode_hex(&bytes[..bytes.len().min(cap)], &mut hex);
    if bytes.len() > cap {
        hex.push('…');
    }
    // A value that is valid UTF-8 as a whole, read as single-byte data: what explains it is
    // its origin, whatever the category its bytes get under the single-byte reading (C3 9F,
    // ß, is lossy in LATIN1 because 0x9F is a C1 byte).
    let passthrough =
        v.flags.contains(Flags::UTF8_PASSTHROUGH) && std::str::from_utf8(bytes).is_ok();
    let detail = match (v.category, v.first_undefined) {
        _ if passthrough => finding_detail(bytes, v.flags, pc, table, column),
        (Category::Lossy, Some(off)) => {
            let b = bytes.get(off).copied().unwrap_or(0);
            format!(
                "byte 0x{b:02X} at offset {off} is not defined in {}",
                pc.charset_name
            )
        }
        (Category::Truncation, _) => {
            let l = limit.map_or(0, |l| l.bytes);
            let what = if pc.profile.trim_trailing_blanks {
                " (without trailing blanks)"
            } else {
                ""
            };
            format!("{} bytes after conversion{what}, limit {l}", v.post_bytes)
        }
        _ => finding_detail(bytes, v.flags, pc, table, column),
    };
    // A pass-through cell is shown as UTF-8 reads it (what it was meant to say).
    let preview = if passthrough {
        utf8_preview(bytes)
    } else {
        decode_preview(bytes, &pc.profile, 60)
    };
    Exception {
        owner: table.owner.clone(),
        table_name: table.name.clone(),
        column_name: column.to_string(),
        rowid: String::from_utf8_lossy(rowid).into_owned(),
        category: v.category,
        reason: if passthrough {
            "utf8_passthrough".into()
        } else {
            cell_reason(v.category, limit, v.flags)
        },
        current_bytes: bytes.len() as u64,
        post_bytes: v.post_bytes as u64,
        limit: limit.map(|l| l.bytes as u64),
        hex,
        preview,
        flags: v.flags.names(),
        detail,
    }
}

/// A value as UTF-8 reads it, invalid bytes as `\xNN`.
fn utf8_preview(bytes: &[u8]) -> String {
    let p = crate::charset::ColumnProfile::new(
        crate::charset::Encoding::Utf8,
        crate::charset::Target::Al32Utf8,
        false,
        None,
        None,
    );
    decode_preview(bytes, &p, 60)
}

/// What a finding cell (pass-through, double-encoded, U+FFFD) means and what to do.
fn finding_detail(
    bytes: &[u8],
    flags: Flags,
    pc: &super::PlannedColumn,
    table: &crate::catalog::Table,
    column: &str,
) -> String {
    let cs = &pc.charset_name;
    if flags.contains(Flags::UTF8_PASSTHROUGH) {
        let spec = crate::catalog::printable(&format!("{}.{}.{}", table.owner, table.name, column));
        return format!(
            "UTF-8 bytes read as {cs}: converted as they are they become \"{}\" (double-encoded); \
             --assume-column '{spec}=auto' reads such values as UTF-8",
            decode_preview(bytes, &pc.profile, 60)
        );
    }
    if flags.contains(Flags::DOUBLE_ENCODED) {
        let undone = std::str::from_utf8(bytes)
            .ok()
            .and_then(crate::charset::undouble);
        return match undone {
            Some(t) => format!(
                "double-encoded text (UTF-8 read as cp1252/latin1 and encoded again); undone it reads \"{}\"",
                crate::catalog::printable(&t.chars().take(60).collect::<String>())
            ),
            None => "holds double-encoded text (UTF-8 read as cp1252/latin1 and encoded again, such as Ã© for é)"
                .into(),
        };
    }
    if flags.contains(Flags::REPLACEMENT_CHAR) {
        return "U+FFFD already in the data: an earlier conversion lost the character here".into();
    }
    String::new()
}
