//! `report.html`: the scan as a page a DBA opens in a browser. One self-contained file
//! (inline CSS and a small inline script, nothing fetched), usable with thousands of columns:
//! columns worst first, a filter box and a "problems only" switch, the columns without
//! problems and the long lists in collapsible `<details>`. Without script everything is still
//! shown; the script only filters. The page is checked in headless Chromium by
//! tests/report_browser.rs.

use super::advice;
use super::term;
use crate::scan::{ColumnResult, Counts, ScanResult};
use std::io::Write;

const COLORS: [(&str, &str); 4] = [
    ("changeless", "#9cc9a0"),
    ("convertible", "#6fa8dc"),
    ("truncation", "#f6b26b"),
    ("lossy", "#e06666"),
];

/// Exceptions shown in the page (all of them are in exceptions.csv).
const EXCEPTIONS_SHOWN: usize = 200;

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

/// A name from the database: control characters made visible, then HTML-escaped.
fn name(s: &str) -> String {
    esc(&term::escape(s))
}

fn values(c: &Counts) -> [u64; 4] {
    [c.changeless, c.convertible, c.truncation, c.lossy]
}

/// A stacked bar of `<i>` segments, widths in percent; a non-zero problem count stays visible
/// (at least 3 px) however small it is.
fn bar(c: &Counts, class: &str) -> String {
    let total = c.total().max(1) as f64;
    let mut s = format!("<div class=\"{class}\" role=\"img\" aria-label=\"");
    let label: Vec<String> = COLORS
        .iter()
        .zip(values(c))
        .filter(|(_, v)| *v > 0)
        .map(|((n, _), v)| format!("{n} {v}"))
        .collect();
    s.push_str(&label.join(", "));
    s.push_str("\">");
    for ((n, color), v) in COLORS.iter().zip(values(c)) {
        if v == 0 {
            continue;
        }
        s.push_str(&format!(
            "<i class=\"{n}\" style=\"width:{:.3}%;background:{color}\" title=\"{n}: {v}\"></i>",
            100.0 * v as f64 / total
        ));
    }
    s.push_str("</div>");
    s
}

fn column_label(c: &ColumnResult) -> String {
    format!("{}.{}.{}", c.owner, c.table_name, c.column_name)
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222}\
h1{margin:0 0 .2em}h2{margin-top:1.4em}\
table{border-collapse:collapse}td,th{padding:3px 6px;font-size:14px;border-bottom:1px solid #ddd;text-align:right;vertical-align:middle;white-space:nowrap}td.v{white-space:normal}\
td:first-child,th:first-child,td.l,th.l{text-align:left}th{background:#f3f3f3;position:sticky;top:0}\
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}\
.bad{color:#b00;font-weight:bold}.ok{color:#070;font-weight:bold}\
.bar,.bigbar{display:flex;background:#eee;overflow:hidden}.bar{width:180px;height:14px}.bigbar{width:100%;max-width:900px;height:26px}\
.bar i,.bigbar i{display:block;height:100%}.bar i.truncation,.bar i.lossy,.bigbar i.truncation,.bigbar i.lossy{min-width:3px}\
.tools{margin:.5em 0;display:flex;gap:1em;align-items:center;flex-wrap:wrap}#filter{width:28em;padding:4px;font-size:14px}\
details{margin:.8em 0}summary{cursor:pointer;font-weight:bold;font-size:1.1em}code{font-size:13px}";

/// Filters the column rows by the text in the box (and the problems-only switch); a
/// `#filter=TEXT` in the address fills the box. `data-ready` on the body says it ran.
const SCRIPT: &str = r#"window.onerror=function(m){document.body.setAttribute('data-script-error',String(m));};
(function(){
var f=document.getElementById('filter'),p=document.getElementById('problems'),s=document.getElementById('shown');
var rows=document.querySelectorAll('tr[data-k]');
function apply(){
 var q=f.value.trim().toLowerCase(),only=p.checked,n=0;
 for(var i=0;i<rows.length;i++){
  var r=rows[i],ok=(!q||r.getAttribute('data-k').indexOf(q)>=0)&&(!only||r.classList.contains('p'));
  r.style.display=ok?'':'none';if(ok)n++;
 }
 s.textContent=n+' of '+rows.length+' columns shown';
 var d=document.getElementById('clean-columns');
 if(d&&q&&d.querySelector('tr[data-k]:not([style*="none"])'))d.open=true;
}
f.addEventListener('input',apply);p.addEventListener('change',apply);
var h=decodeURIComponent(location.hash.slice(1));
if(h.indexOf('filter=')===0)f.value=h.slice(7);
apply();
document.body.setAttribute('data-ready','1');
})();"#;

fn column_rows(w: &mut dyn Write, cols: &[&ColumnResult]) -> std::io::Result<()> {
    writeln!(
        w,
        "<table><thead><tr><th>Column</th><th class=\"l\">Type</th><th class=\"l\">Cells</th><th>Rows</th><th>Nulls</th>\
         <th>Changeless</th><th>Convertible</th><th>Truncation</th><th>Lossy</th><th>Max bytes</th><th>Limit</th>\
         <th class=\"l\">Flags</th></tr></thead><tbody>"
    )?;
    for c in cols {
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
        let bad = |v: u64| if v > 0 { " class=\"bad\"" } else { "" };
        let key = format!("{} {}", column_label(c), c.data_type).to_lowercase();
        writeln!(
            w,
            "<tr data-k=\"{}\"{}><td>{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td{}>{}</td><td{}>{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td></tr>",
            name(&key),
            if c.counts.problems() + c.findings > 0 {
                " class=\"p\""
            } else {
                ""
            },
            name(&column_label(c)),
            name(&c.data_type),
            bar(&c.counts, "bar"),
            c.rows,
            c.nulls,
            c.counts.changeless,
            c.counts.convertible,
            bad(c.counts.truncation),
            c.counts.truncation,
            bad(c.counts.lossy),
            c.counts.lossy,
            c.max_post_bytes.unwrap_or(0),
            c.limit
                .map(|l| l.bytes.to_string())
                .unwrap_or_else(|| "-".into()),
            esc(&flags.join(", "))
        )?;
    }
    writeln!(w, "</tbody></table>")
}

pub fn write_html(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    let totals = r.totals();
    let p = &r.parameters;
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(w, "<title>charmig scan: {}</title>", name(&p.source))?;
    writeln!(w, "<style>{STYLE}</style></head><body>")?;
    writeln!(w, "<h1>charmig scan</h1>")?;
    writeln!(
        w,
        "<p id=\"meta\">{} &rarr; <b>{}</b> &middot; database charset <b>{}</b>{} &middot; {}, {} &middot; {}</p>",
        name(&p.source),
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
    writeln!(
        w,
        "<p id=\"verdict\" class=\"{class}\">{}</p>",
        esc(&advice::headline(r))
    )?;
    writeln!(w, "<h2>What to do next</h2><ol id=\"next\">")?;
    for step in advice::next_steps(r) {
        writeln!(
            w,
            "<li><pre style=\"white-space:pre-wrap;font-family:inherit;margin:0\">{}</pre></li>",
            esc(&step)
        )?;
    }
    writeln!(w, "</ol>")?;

    writeln!(w, "<h2>All cells</h2>")?;
    write!(w, "<p class=\"legend\">")?;
    for (n, color) in COLORS {
        write!(w, "<span style=\"background:{color}\"></span>{n}")?;
    }
    writeln!(w, "</p>")?;
    writeln!(w, "{}", bar(&totals, "bigbar"))?;
    writeln!(
        w,
        "<table id=\"totals\"><thead><tr><th>Category</th><th>Cells</th><th>Share</th></tr></thead><tbody>"
    )?;
    let all = totals.total().max(1) as f64;
    for ((n, _), v) in COLORS.iter().zip(values(&totals)) {
        writeln!(
            w,
            "<tr><td>{n}</td><td>{v}</td><td>{:.2}%</td></tr>",
            100.0 * v as f64 / all
        )?;
    }
    writeln!(w, "</tbody></table>")?;

    let mut cols: Vec<&ColumnResult> = r.columns.iter().collect();
    cols.sort_by(|a, b| {
        (b.counts.problems() + b.findings)
            .cmp(&(a.counts.problems() + a.findings))
            .then(b.counts.lossy.cmp(&a.counts.lossy))
            .then(b.counts.convertible.cmp(&a.counts.convertible))
            .then_with(|| column_label(a).cmp(&column_label(b)))
    });
    let (problem, clean): (Vec<&ColumnResult>, Vec<&ColumnResult>) = cols
        .into_iter()
        .partition(|c| c.counts.problems() + c.findings > 0);
    writeln!(w, "<h2 id=\"columns\">Columns, worst first</h2>")?;
    writeln!(
        w,
        "<div class=\"tools\"><input id=\"filter\" type=\"search\" placeholder=\"Filter: schema, table, column or type\" \
         aria-label=\"Filter columns\"><label><input id=\"problems\" type=\"checkbox\"> only columns with \
         findings</label><span id=\"shown\">{n} of {n} columns shown</span></div>",
        n = r.columns.len()
    )?;
    writeln!(
        w,
        "<section id=\"problem-columns\"><h3>{} columns with findings (truncation, lossy, pass-through, double-encoded)</h3>",
        problem.len()
    )?;
    if problem.is_empty() {
        writeln!(w, "<p class=\"ok\">None.</p>")?;
    } else {
        column_rows(w, &problem)?;
    }
    writeln!(w, "</section>")?;
    writeln!(
        w,
        "<details id=\"clean-columns\"{}><summary>{} columns without findings</summary>",
        if clean.len() <= 50 { " open" } else { "" },
        clean.len()
    )?;
    if !clean.is_empty() {
        column_rows(w, &clean)?;
    }
    writeln!(w, "</details>")?;

    if !r.exceptions.is_empty() {
        writeln!(
            w,
            "<details id=\"exceptions\" open><summary>Exceptions: {} of {} listed (all in exceptions.csv)</summary>",
            r.exceptions.len().min(EXCEPTIONS_SHOWN),
            r.exceptions.len()
        )?;
        writeln!(
            w,
            "<table><thead><tr><th>Column</th><th class=\"l\">Row</th><th class=\"l\">Category</th><th class=\"l\">Reason</th><th>Bytes</th>\
             <th>After</th><th>Limit</th><th class=\"l\">Value</th></tr></thead><tbody>"
        )?;
        for e in r.exceptions.iter().take(EXCEPTIONS_SHOWN) {
            writeln!(
                w,
                "<tr><td>{}.{}.{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td>\
                 <td class=\"l v\"><code>{}</code></td></tr>",
                name(&e.owner),
                name(&e.table_name),
                name(&e.column_name),
                name(&e.rowid),
                e.category.as_str(),
                name(&e.reason),
                e.current_bytes,
                e.post_bytes,
                e.limit.map(|l| l.to_string()).unwrap_or_else(|| "-".into()),
                name(&e.preview)
            )?;
        }
        writeln!(w, "</tbody></table></details>")?;
    }
    if !r.skipped.is_empty() {
        writeln!(
            w,
            "<details id=\"skipped\"{}><summary>Skipped: {}</summary><ul>",
            if r.has_errors() { " open" } else { "" },
            r.skipped.len()
        )?;
        for s in &r.skipped {
            writeln!(
                w,
                "<li{}>{}: {}</li>",
                if s.error { " class=\"bad\"" } else { "" },
                name(&s.object),
                name(&s.reason)
            )?;
        }
        writeln!(w, "</ul></details>")?;
    }
    if !r.not_affected.is_empty() {
        writeln!(
            w,
            "<details id=\"not-affected\"><summary>Not affected (national charset): {}</summary><ul>",
            r.not_affected.len()
        )?;
        for n in &r.not_affected {
            writeln!(
                w,
                "<li>{}.{}.{} ({})</li>",
                name(&n.owner),
                name(&n.table_name),
                name(&n.column_name),
                name(&n.data_type)
            )?;
        }
        writeln!(w, "</ul></details>")?;
    }
    writeln!(w, "<script>{SCRIPT}</script>")?;
    writeln!(w, "</body></html>")
}
