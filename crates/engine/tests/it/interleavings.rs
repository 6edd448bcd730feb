//! Issue 12, the property: whatever order the two sources arrive in, spend is the same as loading
//! everything once. OTLP requests of the real captures arrive in any subset, any order, some of
//! them twice; the session files grow in any number of pieces (cut anywhere, mid-line too), read by
//! the watcher after some pieces, and are imported again at the end. The result, by tool and by
//! model, equals a fresh store that received the same OTLP requests once, in capture order, and
//! imported the finished files once; and no keyed log or metric row is stored twice.

use crate::support::TestServer;
use crate::support::fixtures::{Capture, captures, fixtures_root};
use crate::support::imports::options_for;
use crate::support::spend::group_counts;
use ai_observer_engine::importers::plan::{ImportOptions, plan};
use ai_observer_engine::importers::run::import;
use ai_observer_engine::model::UsageSource;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

const RUNS: [&str; 3] = ["claude-proto-toolcall", "codex-binary-toolcall", "gemini-toolcall"];
const ALL_TIME: &str = "from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&tz=UTC";

/// A session file of the runs: where it goes under a home, and its bytes.
struct SessionFileBytes {
    relative: PathBuf,
    bytes: Vec<u8>,
}

fn session_files() -> Vec<SessionFileBytes> {
    let mut files = Vec::new();
    for run in RUNS {
        let home = fixtures_root().join(run).join("sessions");
        let mut stack = vec![home.clone()];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|extension| extension == "jsonl") {
                    files.push(SessionFileBytes {
                        relative: path.strip_prefix(&home).unwrap().to_path_buf(),
                        bytes: std::fs::read(&path).unwrap(),
                    });
                }
            }
        }
    }
    files.sort_by(|left, right| left.relative.cmp(&right.relative));
    files
}

/// One step of a schedule.
#[derive(Debug, Clone)]
enum Step {
    /// Post capture `n`.
    Post(usize),
    /// Grow file `n` to `bytes` (a prefix of the finished file), then let the watcher read if `read`.
    Grow { file: usize, bytes: usize, read: bool },
}

/// `bulk`: every read is a bulk import (its usage matched when it ends, `WriteBatch::bulk`),
/// as the first import of a large history is.
fn options(home: &Path, source: UsageSource, force: bool, bulk: bool) -> ImportOptions {
    ImportOptions { force, always_bulk: bulk, ..options_for(&[home.to_path_buf()], source) }
}

async fn import_home(server: &TestServer, options: &ImportOptions) {
    let plan = plan(server.engine.store(), options).await.unwrap();
    // A read that ends inside a line reports nothing for it: the rest comes with the next read.
    import(&server.engine.import_context(), &plan, options, None, Arc::new(AtomicBool::new(false))).await.unwrap();
}

async fn post(server: &TestServer, capture: &Capture) {
    assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{} {}", capture.run, capture.name);
}

/// Spend by tool and by (tool, model), as `[requests, input, cacheRead, cacheCreation, output,
/// reasoning]` and the cost, plus the number of keyed log and metric rows stored twice.
async fn observed(server: &TestServer) -> (Vec<(String, String, [i64; 6], String)>, (i64, i64)) {
    let mut rows = Vec::new();
    let by_tool = server.get_json(&format!("/api/spend?groupBy=tool&{ALL_TIME}")).await;
    for tool_group in by_tool["groups"].as_array().unwrap() {
        let tool = tool_group["key"].as_str().unwrap().to_owned();
        let by_model = server.get_json(&format!("/api/spend?groupBy=model&tool={tool}&{ALL_TIME}")).await;
        for group in by_model["groups"].as_array().unwrap().iter().chain([tool_group]) {
            let counts = group_counts(group);
            let key = if std::ptr::eq(group, tool_group) { "*".to_owned() } else { group["key"].as_str().unwrap().to_owned() };
            rows.push((tool.clone(), key, counts, group["costUsd"].as_f64().map_or("no price".to_owned(), |cost| format!("{cost:.9}"))));
        }
    }
    rows.sort();
    let duplicates = server
        .engine
        .store()
        .read(|connection| {
            Ok(connection.query_row(
                "SELECT (SELECT count(*) FROM (SELECT RecordKey FROM otel_logs WHERE RecordKey IS NOT NULL GROUP BY 1 HAVING count(*) > 1)),
                        (SELECT count(*) FROM (SELECT RecordKey FROM otel_metrics WHERE RecordKey IS NOT NULL GROUP BY 1 HAVING count(*) > 1))",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?)
        })
        .await
        .unwrap();
    (rows, duplicates)
}

fn append(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap().write_all(bytes).unwrap();
}

/// Runs `schedule`, finishes every file, imports again (forced when `force_last`), and returns what
/// spend shows next to what loading the same requests and the finished files once shows.
async fn run_schedule(
    schedule: &[Step],
    force_last: bool,
    bulk: bool,
) -> ((Vec<(String, String, [i64; 6], String)>, (i64, i64)), Vec<(String, String, [i64; 6], String)>) {
    let all_captures = captures(&RUNS);
    let files = session_files();
    let home = tempfile::tempdir().unwrap();
    let mut written = vec![0usize; files.len()];
    let server = TestServer::start().await;
    let mut posted = vec![false; all_captures.len()];
    for step in schedule {
        match step {
            Step::Post(index) => {
                post(&server, &all_captures[*index]).await;
                posted[*index] = true;
            }
            Step::Grow { file, bytes, read } => {
                let target = (*bytes).max(written[*file]);
                append(&home.path().join(&files[*file].relative), &files[*file].bytes[written[*file]..target]);
                written[*file] = target;
                if *read {
                    import_home(&server, &options(home.path(), UsageSource::Watch, false, bulk)).await;
                }
            }
        }
    }
    for (index, file) in files.iter().enumerate() {
        append(&home.path().join(&file.relative), &file.bytes[written[index]..]);
    }
    import_home(&server, &options(home.path(), UsageSource::Watch, false, bulk)).await;
    import_home(&server, &options(home.path(), UsageSource::Import, force_last, bulk)).await;
    let found = observed(&server).await;
    server.stop().await;

    let reference = TestServer::start().await;
    for (capture, _) in all_captures.iter().zip(&posted).filter(|(_, posted)| **posted) {
        post(&reference, capture).await;
    }
    import_home(&reference, &options(home.path(), UsageSource::Import, false, false)).await;
    let (expected, _) = observed(&reference).await;
    reference.stop().await;
    (found, expected)
}

/// Schedules: each capture posted or not, in any order, some twice; each file grown in up to four
/// pieces cut at any byte; the two interleaved at random.
fn schedules() -> impl Strategy<Value = (Vec<Step>, bool, bool)> {
    let capture_count = captures(&RUNS).len();
    let file_sizes: Vec<usize> = session_files().iter().map(|file| file.bytes.len()).collect();
    let posts = (
        proptest::collection::vec(any::<bool>(), capture_count),
        Just((0..capture_count).collect::<Vec<_>>()).prop_shuffle(),
        proptest::collection::vec(0..capture_count, 0..4),
    )
        .prop_map(|(chosen, order, repeats)| {
            let mut posts: Vec<usize> = order.into_iter().filter(|index| chosen[*index]).collect();
            posts.extend(repeats);
            posts
        });
    let growth = file_sizes
        .iter()
        .enumerate()
        .map(|(file, size)| {
            let size = *size;
            proptest::collection::vec((1..size, any::<bool>()), 0..4).prop_map(move |mut cuts| {
                cuts.sort_unstable();
                cuts.into_iter().map(|(bytes, read)| Step::Grow { file, bytes, read }).collect::<Vec<_>>()
            })
        })
        .collect::<Vec<_>>();
    (posts, growth, proptest::collection::vec(any::<u8>(), 64), any::<bool>(), any::<bool>()).prop_map(
        |(posts, growth, choices, force_last, bulk)| {
            let mut queues: Vec<std::collections::VecDeque<Step>> =
                std::iter::once(posts.into_iter().map(Step::Post).collect()).chain(growth.into_iter().map(Into::into)).collect();
            let mut schedule = Vec::new();
            let mut choice = choices.into_iter().cycle();
            while queues.iter().any(|queue| !queue.is_empty()) {
                let open: Vec<usize> = (0..queues.len()).filter(|index| !queues[*index].is_empty()).collect();
                let pick = open[usize::from(choice.next().unwrap_or(0)) % open.len()];
                schedule.extend(queues[pick].pop_front());
            }
            (schedule, force_last, bulk)
        },
    )
}

proptest! {
    // Each case runs two stores; the default count keeps the suite quick, PROPTEST_CASES runs more.
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 16, ..ProptestConfig::default() })]

    #[test]
    fn any_interleaving_of_the_two_sources_gives_the_spend_of_loading_everything_once((schedule, force_last, bulk) in schedules()) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let ((found, duplicates), expected) = runtime.block_on(run_schedule(&schedule, force_last, bulk));
        prop_assert_eq!(duplicates, (0, 0), "keyed log and metric rows stored twice");
        prop_assert_eq!(found, expected);
    }
}
