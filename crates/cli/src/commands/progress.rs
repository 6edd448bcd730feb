//! Import progress on the terminal: a bar with files, bytes, records and ETA when stderr is a
//! terminal, plain lines every few seconds otherwise (logs, CI); one line when the spend is
//! complete before the transcripts (a first import stores its usage first).

use ai_observer_engine::wire::import::ImportProgress;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct ProgressDisplay {
    bar: Option<ProgressBar>,
    last_line: Mutex<Option<Instant>>,
    started: Instant,
    spend_told: AtomicBool,
}

impl ProgressDisplay {
    pub fn new(bytes_total: u64) -> ProgressDisplay {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(bytes_total);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{bar:30}] {bytes}/{total_bytes} {msg} ETA {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        ProgressDisplay { bar, last_line: Mutex::new(None), started: Instant::now(), spend_told: AtomicBool::new(false) }
    }

    pub fn update(&self, progress: &ImportProgress) {
        if progress.spend_ready && progress.files_done < progress.files_total && !self.spend_told.swap(true, Ordering::SeqCst) {
            let line = format!("spend complete after {:.1} s; reading the transcripts", self.started.elapsed().as_secs_f64());
            match &self.bar {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            }
        }
        let message = format!("files {}/{} · records {}", progress.files_done, progress.files_total, progress.records);
        match &self.bar {
            Some(bar) => {
                bar.set_length(progress.bytes_total.max(1));
                bar.set_position(progress.bytes_done.min(progress.bytes_total));
                bar.set_message(message);
            }
            None => {
                let Ok(mut last) = self.last_line.lock() else { return };
                let due = last.is_none_or(|at| at.elapsed() >= Duration::from_secs(2)) || progress.files_done == progress.files_total;
                if due {
                    *last = Some(Instant::now());
                    eprintln!("importing: {message} · {}/{} bytes", progress.bytes_done, progress.bytes_total);
                }
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
