//! The scan progress bar: on stderr when it is a terminal, silent otherwise.

use crate::scan::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct ScanProgress {
    bar: Option<ProgressBar>,
    rows: AtomicU64,
}

impl ScanProgress {
    pub fn new() -> ScanProgress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
                )
                .expect("static template"),
            );
            b
        });
        ScanProgress {
            bar,
            rows: AtomicU64::new(0),
        }
    }
}

impl Progress for ScanProgress {
    fn start(&self, total_bytes: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total_bytes);
        }
    }
    fn advance(&self, bytes: u64, rows: u64) {
        let total = self.rows.fetch_add(rows, Ordering::Relaxed) + rows;
        if let Some(b) = &self.bar {
            b.inc(bytes);
            b.set_message(format!("{total} rows"));
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
