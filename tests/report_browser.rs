//! report.html in a real browser: headless Chromium (Debian's `chromium`; ./scripts/test.sh
//! installs it) loads the page, runs its script, and the DOM it dumps is checked for what a
//! DBA needs: the verdict, the legend and bars, the totals, columns worst first, the filter
//! box working, no script error; for the demo scan and for a scan of 3,000 columns. The file
//! must be self-contained (nothing fetched).
//!
//! Without a browser the tests fail (never skip), saying how to get one; CHARMIG_CHROMIUM
//! names another binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("CHARMIG_CHROMIUM") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if dir.join(name).is_file() {
                return dir.join(name);
            }
        }
    }
    panic!(
        "headless Chromium not found (chromium, chromium-browser, google-chrome on PATH, or CHARMIG_CHROMIUM): \
         run the tests with ./scripts/test.sh, which installs Debian's chromium, or `apt-get install chromium`"
    );
}

/// Runs Chromium on `url` with `extra` flags and a fresh profile; returns (stdout, stderr).
fn run_chromium(url: &str, extra: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start chromium: {e}"));
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || std::io::read_to_string(out).unwrap_or_default());
    let t_err = std::thread::spawn(move || std::io::read_to_string(err).unwrap_or_default());
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 90 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (t_out.join().unwrap(), t_err.join().unwrap());
    assert!(status.success(), "chromium failed on {url}:\n{stderr}");
    (stdout, stderr)
}

/// The DOM after load, failing on any script error (console or the page's own marker).
fn dom(file: &Path, hash: &str) -> String {
    let url = format!("file://{}{hash}", file.display());
    let (dom, log) = run_chromium(&url, &["--dump-dom"]);
    assert!(
        !log.contains("Uncaught") && !log.contains("SyntaxError"),
        "script error in {url}:\n{log}"
    );
    assert!(
        !dom.contains("data-script-error=\""),
        "script error in {url}: {dom}"
    );
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page's script did not run: {dom}"
    );
    dom
}

fn self_contained(html: &str) {
    for needle in ["http://", "https://", " src=", "@import", "url(", "<link"] {
        assert!(
            !html.contains(needle),
            "report.html fetches something: {needle}"
        );
    }
}

/// `data-k` of the column rows, in page order, and how many are hidden by the filter.
fn rows(dom: &str) -> (Vec<String>, usize) {
    let mut keys = Vec::new();
    let mut hidden = 0;
    for tr in dom.split("<tr ").skip(1) {
        let head = &tr[..tr.find('>').unwrap_or(tr.len())];
        if let Some(k) = head.split("data-k=\"").nth(1) {
            keys.push(k[..k.find('"').unwrap()].to_string());
            if head.contains("display: none") {
                hidden += 1;
            }
        }
    }
    (keys, hidden)
}

fn demo_report(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(["scan", "--snapshot"])
        .arg(root.join("demo/snapshot"))
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    dir.join("report.html")
}

#[test]
fn demo_report_renders_with_what_a_dba_needs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = demo_report(tmp.path());
    self_contained(&std::fs::read_to_string(&file).unwrap());
    let d = dom(&file, "");
    for needle in [
        "Needs action before the move:",
        "32 truncation",
        "16 lossy",
        "3 pass-through",
        "WE8ISO8859P15",
        "AL32UTF8",
        "id=\"filter\"",
        "id=\"problems\"",
        "9 of 9 columns shown",
        "6 columns with findings (truncation, lossy, pass-through, double-encoded)",
        "3 columns without findings",
        "Exceptions: 51 of 51 listed",
        "<td>truncation</td><td>32</td>",
        "<td>lossy</td><td>16</td>",
        "class=\"bigbar\"",
        "aria-label=\"changeless 471, convertible 548, truncation 32, lossy 16\"",
    ] {
        assert!(d.contains(needle), "missing {needle:?}");
    }
    let (keys, hidden) = rows(&d);
    assert_eq!(keys.len(), 9);
    assert_eq!(hidden, 0);
    // Worst first: 14 truncation cells, then 13 lossy, …
    assert_eq!(keys[0], "hr.employees.last_name varchar2");
    assert_eq!(keys[1], "hr.employees.notes clob");
    // Each column row carries its bar, with the problem segments present.
    assert_eq!(d.matches("<div class=\"bar\"").count(), 9);
    assert!(d.contains("title=\"truncation: 14\""));

    // The filter box (filled from the address) hides the other rows.
    let d = dom(&file, "#filter=sales.products");
    assert!(d.contains("3 of 9 columns shown"), "filter did not apply");
    let (keys, hidden) = rows(&d);
    assert_eq!((keys.len(), hidden), (9, 6));

    // A picture is drawn (the README's screenshot is made the same way).
    let png = tmp.path().join("report.png");
    run_chromium(
        &format!("file://{}", file.display()),
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,1000",
        ],
    );
    let bytes = std::fs::read(&png).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000,
        "{} bytes",
        bytes.len()
    );
}

#[test]
fn three_thousand_columns_stay_usable() {
    let tmp = tempfile::tempdir().unwrap();
    demo_report(tmp.path());
    let mut r = charmig::report::read_scan_json(&tmp.path().join("scan.json")).unwrap();
    let base = r.columns.clone();
    r.columns.clear();
    for i in 0..3000u64 {
        let mut c = base[(i % base.len() as u64) as usize].clone();
        c.owner = "APP".into();
        c.table_name = format!("T{:04}", i / 10);
        c.column_name = format!("C{i:04} <b>&\u{1b}[2J");
        // A few columns with problems, one clearly the worst.
        c.counts.truncation = if i % 97 == 0 { i / 97 } else { 0 };
        c.counts.lossy = if i == 2024 { 5000 } else { 0 };
        c.findings = 0;
        r.columns.push(c);
    }
    let file = tmp.path().join("big.html");
    let mut f = std::fs::File::create(&file).unwrap();
    charmig::report::write_html(&r, &mut f).unwrap();
    drop(f);
    let html = std::fs::read_to_string(&file).unwrap();
    self_contained(&html);
    assert!(
        !html.contains('\u{1b}'),
        "a control character reached the page"
    );

    // Its load finishing at all is the check (dom() gives up after 90 s): how fast is for a
    // benchmark, not a test on a shared machine.
    let d = dom(&file, "");
    assert!(d.contains("3000 of 3000 columns shown"));
    let (keys, hidden) = rows(&d);
    assert_eq!((keys.len(), hidden), (3000, 0));
    assert!(
        keys[0].starts_with("app.t0202.c2024"),
        "worst first: {}",
        keys[0]
    );
    assert!(keys[1].starts_with("app.t0291.c2910"), "then: {}", keys[1]);
    // Names are escaped, not markup: the `<b>` is text.
    assert!(d.contains("C2024 &lt;b&gt;&amp;\\x1b[2J"));
    // The long list of columns without problems is collapsed.
    assert!(d.contains("<details id=\"clean-columns\"><summary>"));
    let problems = (0..3000).filter(|i| i % 97 == 0 && *i > 0).count() + 1;
    assert!(d.contains(&format!(
        "{problems} columns with findings (truncation, lossy, pass-through, double-encoded)"
    )));

    // Filtering 3,000 rows down to one table's 10.
    let d = dom(&file, "#filter=app.t0123.");
    assert!(d.contains("10 of 3000 columns shown"));
    assert_eq!(rows(&d).1, 2990);
    // The filter opens the collapsed list when the match is there.
    assert!(d.contains("<details id=\"clean-columns\" open=\"\">"));
}
