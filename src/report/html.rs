//! `report.html`: the scan as a picture. Self-contained (inline CSS and SVG), no script.

use super::advice;
use crate::scan::{ColumnResult, Counts, ScanResult};
use std::io::Write;

const COLORS: [(&str, &str); 4] = [
    ("changeless", "#9cc9a0"),
    ("convertible", "#6fa8dc"),
    ("truncation", "#f6b26b"),
    ("lossy", "#e06666"),
];

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn values(c: &Counts) -> [u64; 4] {
    [c.changeless, c.convertible, c.truncation, c.lossy]
}

/// One stacked bar as SVG rects; widths proportional to the counts.
fn bar(w: &mut dyn Write, c: &Counts, y: u32, width: f64, height: u32) -> std::io::Result<()> {
    let total = c.total().max(1) as f64;
    let mut x = 0.0;
    for ((name, color), v) in COLORS.iter().zip(values(c)) {
        if v == 0 {
            continue;
        }
        // A non-zero problem count stays visible however small it is.
        let ww = (width * v as f64 / total).max(if v > 0 { 2.0 } else { 0.0 });
        writeln!(
            w,
            r#"<rect x="{x:.1}" y="{y}" width="{ww:.1}" height="{height}" fill="{color}"><title>{name}: {v}</title></rect>"#
        )?;
        x += ww;
    }
    Ok(())
}

fn column_label(c: &ColumnResult) -> String {
    format!("{}.{}.{}", c.owner, c.table_name, c.column_name)
}

pub fn write_html(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    let totals = r.totals();
    let p = &r.parameters;
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    )?;
    writeln!(w, "<title>charmig scan: {}</title>", esc(&p.source))?;
    writeln!(
        w,
        "<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}\
         td,th{{padding:3px 6px;font-size:14px;border-bottom:1px solid #ddd;text-align:right}}td:first-child,th:first-child{{text-align:left}}\
         .legend span{{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}}\
         .bad{{color:#b00;font-weight:bold}}.ok{{color:#070;font-weight:bold}}</style></head><body>"
    )?;
    writeln!(w, "<h1>charmig scan</h1>")?;
    writeln!(
        w,
        "<p>{} &rarr; <b>{}</b> &middot; database charset <b>{}</b>{} &middot; {}, {} &middot; {}</p>",
        esc(&p.source),
        esc(&advice::target_word(r)),
        esc(&r.source.charset),
        p.assume
            .as_ref()
            .map(|a| format!(" (assumed <b>{}</b>)", esc(a)))
            .unwrap_or_default(),
        advice::plural(r.tables.len() as u64, "table", "tables"),
        advice::plural(r.columns.len() as u64, "column", "columns"),
        esc(&r.finished_at)
    )?;
    let class = if r.exit_code() == 0 { "ok" } else { "bad" };
    writeln!(w, "<p class=\"{class}\">{}</p>", esc(&advice::headline(r)))?;
    writeln!(w, "<h2>What to do next</h2><ol>")?;
    for step in advice::next_steps(r) {
        writeln!(
            w,
            "<li><pre style=\"white-space:pre-wrap;font-family:inherit;margin:0\">{}</pre></li>",
            esc(&step)
        )?;
    }
    writeln!(w, "</ol>")?;
    write!(w, "<p class=\"legend\">")?;
    for (name, color) in COLORS {
        write!(w, "<span style=\"background:{color}\"></span>{name}")?;
    }
    writeln!(w, "</p>")?;

    writeln!(w, "<h2>All cells</h2>")?;
    writeln!(
        w,
        r#"<svg width="820" height="34" role="img" aria-label="cells per category">"#
    )?;
    bar(w, &totals, 4, 800.0, 26)?;
    writeln!(w, "</svg>")?;
    writeln!(w, "<table><tr><th>Category</th><th>Cells</th></tr>")?;
    for ((name, _), v) in COLORS.iter().zip(values(&totals)) {
        writeln!(w, "<tr><td>{name}</td><td>{v}</td></tr>")?;
    }
    writeln!(w, "</table>")?;

    let mut cols: Vec<&ColumnResult> = r.columns.iter().collect();
    cols.sort_by(|a, b| {
        (b.counts.problems() + b.findings)
            .cmp(&(a.counts.problems() + a.findings))
            .then(b.counts.convertible.cmp(&a.counts.convertible))
            .then_with(|| column_label(a).cmp(&column_label(b)))
    });
    let shown: Vec<&ColumnResult> = cols.into_iter().take(40).collect();
    writeln!(
        w,
        "<h2>Columns (worst first{})</h2>",
        if r.columns.len() > 40 {
            ", first 40"
        } else {
            ""
        }
    )?;
    let row_h = 22;
    writeln!(
        w,
        r#"<svg width="900" height="{}" role="img" aria-label="categories per column" font-size="12">"#,
        shown.len() as u32 * row_h + 4
    )?;
    for (i, c) in shown.iter().enumerate() {
        let y = i as u32 * row_h + 2;
        writeln!(
            w,
            r#"<text x="0" y="{}">{}</text>"#,
            y + 14,
            esc(&column_label(c))
        )?;
        writeln!(w, r#"<g transform="translate(330,0)">"#)?;
        bar(w, &c.counts, y + 2, 560.0, 16)?;
        writeln!(w, "</g>")?;
    }
    writeln!(w, "</svg>")?;
    writeln!(
        w,
        "<table><tr><th>Column</th><th>Type</th><th>Rows</th><th>Nulls</th><th>Changeless</th>\
         <th>Convertible</th><th>Truncation</th><th>Lossy</th><th>Max bytes</th><th>Limit</th><th>Flags</th></tr>"
    )?;
    for c in &shown {
        let mut flags = Vec::new();
        let base = format!(
            "auto: read as {}",
            c.auto_base.as_deref().unwrap_or("WIN1252")
        );
        for (n, v) in [
            ("stray cp1252", c.flags.stray_cp1252),
            ("UTF-8 pass-through", c.flags.utf8_passthrough),
            ("double-encoded", c.flags.double_encoded),
            ("U+FFFD", c.flags.replacement_char),
            ("CESU-8", c.flags.cesu8_surrogates),
            ("auto: read as UTF-8", c.flags.auto_utf8),
            (base.as_str(), c.flags.auto_win1252),
        ] {
            if v > 0 {
                flags.push(format!("{n}: {v}"));
            }
        }
        writeln!(
            w,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td><td{}>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&column_label(c)),
            esc(&c.data_type),
            c.rows,
            c.nulls,
            c.counts.changeless,
            c.counts.convertible,
            if c.counts.truncation > 0 {
                " class=\"bad\""
            } else {
                ""
            },
            c.counts.truncation,
            if c.counts.lossy > 0 {
                " class=\"bad\""
            } else {
                ""
            },
            c.counts.lossy,
            c.max_post_bytes.unwrap_or(0),
            c.limit
                .map(|l| l.bytes.to_string())
                .unwrap_or_else(|| "-".into()),
            flags
                .iter()
                .map(|f| esc(f))
                .collect::<Vec<_>>()
                .join("<br>")
        )?;
    }
    writeln!(w, "</table>")?;

    if !r.exceptions.is_empty() {
        writeln!(w, "<h2>Exceptions (first 200; all in exceptions.csv)</h2>")?;
        writeln!(
            w,
            "<table><tr><th>Column</th><th>Row</th><th>Category</th><th>Reason</th><th>Bytes</th><th>After</th><th>Limit</th><th>Value</th></tr>"
        )?;
        for e in r.exceptions.iter().take(200) {
            writeln!(
                w,
                "<tr><td>{}.{}.{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td style=\"text-align:left\"><code>{}</code></td></tr>",
                esc(&e.owner),
                esc(&e.table_name),
                esc(&e.column_name),
                esc(&e.rowid),
                e.category.as_str(),
                esc(&e.reason),
                e.current_bytes,
                e.post_bytes,
                e.limit.map(|l| l.to_string()).unwrap_or_else(|| "-".into()),
                esc(&e.preview)
            )?;
        }
        writeln!(w, "</table>")?;
    }
    if !r.long_names.is_empty() {
        writeln!(
            w,
            "<h2>Names too long for the target once in UTF-8 (limit {} bytes)</h2><ul>",
            r.long_names[0].limit
        )?;
        for n in &r.long_names {
            writeln!(
                w,
                "<li class=\"bad\">{} {} ({} bytes in UTF-8): rename to <code>{}</code></li>",
                esc(&n.kind),
                esc(&n.name),
                n.utf8_bytes,
                esc(&n.rename_to)
            )?;
        }
        writeln!(w, "</ul>")?;
    }
    if !r.skipped.is_empty() {
        writeln!(w, "<h2>Skipped</h2><ul>")?;
        for s in &r.skipped {
            writeln!(
                w,
                "<li{}>{}: {}</li>",
                if s.error { " class=\"bad\"" } else { "" },
                esc(&s.object),
                esc(&s.reason)
            )?;
        }
        writeln!(w, "</ul>")?;
    }
    if !r.not_affected.is_empty() {
        writeln!(w, "<h2>Not affected (national charset)</h2><ul>")?;
        for n in &r.not_affected {
            writeln!(
                w,
                "<li>{}.{}.{} ({})</li>",
                esc(&n.owner),
                esc(&n.table_name),
                esc(&n.column_name),
                esc(&n.data_type)
            )?;
        }
        writeln!(w, "</ul>")?;
    }
    writeln!(w, "</body></html>")
}
