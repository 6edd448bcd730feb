//! Issue 14: a first import stores its usage before its transcripts (`importers::spend_first`).
//! A usage-only read of every captured session file finds exactly the usage records the full read
//! finds, and a first import says its spend is complete while no transcript is stored yet, with
//! every spend figure then equal to the import's final figures, also when telemetry of the same
//! requests came first.

use crate::support::TestServer;
use crate::support::fixtures::{capture_set, captured_homes, captures, copy_tree, expected};
use crate::support::imports::options_for;
use crate::support::spend::{ByKey, expected_counts, metric_sums, spend_by};
use ai_observer_engine::importers::discovery::{SessionFile, discover};
use ai_observer_engine::importers::line_reader::{LineEvent, LineReader, read_bounded};
use ai_observer_engine::importers::plan::{ImportOptions, plan};
use ai_observer_engine::importers::projects::ProjectResolver;
use ai_observer_engine::importers::run::import;
use ai_observer_engine::importers::{Emitted, ParseContext, importer_for};
use ai_observer_engine::model::{Tool, UsageSource};
use ai_observer_engine::pricing::PriceTable;
use ai_observer_engine::wire::import::ImportProgress;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

const ALL_TIME: &str = "from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&tz=UTC";

/// Every captured HOME under `tests/fixtures` (`<set>/<run>/sessions`).
fn every_captured_home() -> Vec<PathBuf> {
    let mut homes = Vec::new();
    for set in std::fs::read_dir(capture_set("")).unwrap().flatten().filter(|entry| entry.path().is_dir()) {
        for run in std::fs::read_dir(set.path()).unwrap().flatten() {
            let home = run.path().join("sessions");
            if home.is_dir() {
                homes.push(home);
            }
        }
    }
    homes.sort();
    homes
}

/// Line events of a file, or the whole file as one line for a JSON-document importer.
fn lines_of(file: &SessionFile) -> Vec<(u64, Vec<u8>)> {
    let importer = importer_for(file.tool).unwrap();
    let mut handle = std::fs::File::open(&file.path).unwrap();
    if importer.is_whole_file(file) {
        return vec![(1, read_bounded(&mut handle, u64::MAX).unwrap())];
    }
    let mut reader = LineReader::open(handle, 0, 1).unwrap();
    let mut lines = Vec::new();
    while let Some(event) = reader.next_event().unwrap() {
        match event {
            LineEvent::Line { number, text, .. } | LineEvent::Partial { number, text, .. } => lines.push((number, text)),
            LineEvent::TooLong { .. } => {}
        }
    }
    lines
}

/// Reads `file` as the full read does, or as the usage-only read does (only the lines the parser
/// keeps); returns what it emitted and how many lines it handed to the parser.
fn read(file: &SessionFile, prices: &PriceTable, usage_only: bool) -> (Emitted, usize) {
    let importer = importer_for(file.tool).unwrap();
    let projects = ProjectResolver::default();
    let context =
        ParseContext { file, source: UsageSource::Import, prices, projects: &projects, window: None, usage_only, counters_owed: false };
    let mut parser = importer.parser(file, None);
    let mut out = Emitted::default();
    let mut parsed = 0;
    for (number, text) in lines_of(file) {
        if text.iter().all(u8::is_ascii_whitespace) || (usage_only && !parser.may_carry_usage(&text)) {
            continue;
        }
        parsed += 1;
        let _ = parser.line(&context, number, &text, &mut out);
    }
    parser.finish(&context, &mut out);
    (out, parsed)
}

#[test]
fn a_usage_only_read_finds_every_usage_record_the_full_read_finds() {
    let prices = PriceTable::builtin().unwrap();
    let (mut files_read, mut records, mut lines_full, mut lines_usage) = (0, 0, 0, 0);
    for home in every_captured_home() {
        let environment = options_for(std::slice::from_ref(&home), UsageSource::Import).environment;
        for tool in [Tool::ClaudeCode, Tool::Codex, Tool::Gemini, Tool::QwenCode, Tool::Copilot] {
            for file in discover(tool, &environment, &mut Vec::new()) {
                let (full, full_lines) = read(&file, &prices, false);
                let (usage_only, usage_lines) = read(&file, &prices, true);
                assert_eq!(usage_only.batch.usage, full.batch.usage, "{}", file.path.display());
                assert!(
                    usage_only.batch.logs.is_empty() && usage_only.batch.metrics.is_empty() && usage_only.batch.limits.is_empty(),
                    "{}: a usage-only read built other rows",
                    file.path.display()
                );
                files_read += 1;
                records += full.batch.usage.len();
                lines_full += full_lines;
                lines_usage += usage_lines;
            }
        }
    }
    // Every capture set's line-based files with their usage; the byte search left out most lines
    // (and Codex's token counts once a rollout had given a usage record: 21 of them).
    assert_eq!((files_read, records), (43, 97));
    assert_eq!((lines_usage, lines_full), (292, 872));
}

#[test]
fn a_usage_only_read_takes_gemini_lines_of_unexpected_shapes_as_the_full_read_does() {
    // A captured chat, then valid JSON lines Gemini CLI does not write: a `$set` whose messages are
    // not a list, a `$set` that is not an object, a line that is not an object, one more Gemini
    // message, a message whose type is null, one whose time is a number, one with null model and
    // counts as strings, a checkpoint whose first message has no id, and a message stating its
    // tokens twice. The usage-only read builds a narrower, typed line; where that does not fit, it
    // must decide as the full read does.
    let fixture =
        capture_set("cli-captures/gemini-plain").join("sessions/.gemini/tmp/project/chats/session-2026-11-28T13-47-e35c81e2.jsonl");
    let captured = std::fs::read_to_string(&fixture).unwrap();
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("session-2026-11-28T13-47-e35c81e2.jsonl");
    let odd = [
        r#"{"$set":{"messages":{"not":"a list"},"sessionId":"odd-session"}}"#,
        r#"{"$set":"not an object","sessionId":"other"}"#,
        r#"["gemini","sessionId"]"#,
        r#"{"id":"odd-1","type":"gemini","timestamp":"2026-11-28T13:50:00.000Z","model":"gemini-2.5-flash","content":[{"text":"ok"}],"tokens":{"input":120,"output":7,"cached":0,"thoughts":3,"tool":0,"total":130}}"#,
        r#"{"id":"odd-2","type":null,"timestamp":"2026-11-28T13:51:00.000Z","model":"gemini-2.5-flash","tokens":{"input":1,"output":1}}"#,
        r#"{"id":"odd-3","type":"gemini","timestamp":1764337900,"model":"gemini-2.5-flash","tokens":{"input":5,"output":1}}"#,
        r#"{"id":"odd-4","type":"gemini","timestamp":"2026-11-28T13:52:00.000Z","model":null,"tokens":{"input":"200","output":"9","cached":"50","thoughts":null,"tool":0,"total":"209"}}"#,
        r#"{"$set":{"messages":[{"type":"gemini","timestamp":"2026-11-28T13:53:00.000Z"},{"id":"odd-5","type":"gemini","timestamp":"2026-11-28T13:53:00.000Z","model":"gemini-2.5-flash","tokens":{"input":10,"output":2}}]}}"#,
        r#"{"id":"odd-6","type":"gemini","timestamp":"2026-11-28T13:54:00.000Z","model":"gemini-2.5-flash","tokens":{"input":1,"output":1},"tokens":{"input":300,"output":30,"cached":0,"thoughts":0,"tool":0,"total":330}}"#,
    ];
    std::fs::write(&path, format!("{}{}\n", captured, odd.join("\n"))).unwrap();
    let file = SessionFile::stat(Tool::Gemini, path).unwrap();
    let prices = PriceTable::builtin().unwrap();
    let (full, _) = read(&file, &prices, false);
    let (usage_only, _) = read(&file, &prices, true);
    assert_eq!(usage_only.batch.usage, full.batch.usage);
    let (captured_only, _) = read(&SessionFile::stat(Tool::Gemini, fixture).unwrap(), &prices, false);
    assert_eq!((captured_only.batch.usage.len(), full.batch.usage.len()), (1, 4));
    let added: Vec<_> = full.batch.usage[1..]
        .iter()
        .map(|record| {
            (
                record.message_id.as_deref().unwrap(),
                record.model.as_str(),
                record.input_tokens,
                record.cache_read_tokens,
                record.output_tokens,
            )
        })
        .collect();
    // Gemini CLI's output tokens do not include its thoughts; the record's output does (7 + 3).
    // `input` includes the cached tokens (200 - 50); the last statement of a field is the one read.
    assert_eq!(
        added,
        [("odd-1", "gemini-2.5-flash", 120, 0, 10), ("odd-4", "unknown", 150, 50, 9), ("odd-6", "gemini-2.5-flash", 300, 0, 30)]
    );
    assert!(full.batch.usage[1..].iter().all(|record| record.session_id.as_deref() == Some("odd-session")));
}

/// What the spend answers say at one moment: by tool and by model over all time.
async fn spend_now(server: &TestServer) -> (ByKey, ByKey) {
    (spend_by(server, "tool", ALL_TIME).await, spend_by(server, "model", ALL_TIME).await)
}

async fn transcript_rows(server: &TestServer) -> i64 {
    server
        .engine
        .store()
        .read(|connection| {
            Ok(connection.query_row("SELECT count(*) FROM otel_logs WHERE EventName = 'transcript.message'", [], |row| row.get(0))?)
        })
        .await
        .unwrap()
}

/// A first (bulk) import of `homes` that stops at the progress saying its spend is complete while
/// the test reads the spend, then does `meanwhile` (the full read has not begun); returns that
/// progress, the spend and transcript rows then, and the spend once the import finished.
async fn spend_when_ready_and_at_the_end(
    server: &TestServer,
    options: &ImportOptions,
    meanwhile: impl FnOnce(),
) -> (ImportProgress, (ByKey, ByKey), i64, (ByKey, ByKey)) {
    let (ready_sender, ready) = tokio::sync::oneshot::channel::<ImportProgress>();
    let (go_on, resume) = std::sync::mpsc::channel::<()>();
    let ready_sender = Mutex::new(Some(ready_sender));
    let resume = Mutex::new(resume);
    let sink = Arc::new(move |progress: &ImportProgress| {
        if progress.spend_ready
            && let Some(sender) = ready_sender.lock().unwrap().take()
        {
            sender.send(progress.clone()).unwrap();
            resume.lock().unwrap().recv().unwrap();
        }
    });
    let plan = plan(server.engine.store(), options).await.unwrap();
    let (context, options) = (server.engine.import_context(), options.clone());
    let importing =
        tokio::spawn(async move { import(&context, &plan, &options, Some(sink), Arc::new(AtomicBool::new(false))).await.unwrap() });
    let progress = ready.await.expect("the import said its spend was complete");
    let spend_then = spend_now(server).await;
    let transcripts_then = transcript_rows(server).await;
    meanwhile();
    go_on.send(()).unwrap();
    let result = importing.await.unwrap();
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    assert!(transcript_rows(server).await > 0);
    (progress, spend_then, transcripts_then, spend_now(server).await)
}

fn bulk_options(homes: &[PathBuf]) -> ImportOptions {
    ImportOptions { always_bulk: true, ..options_for(homes, UsageSource::Import) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_import_has_its_spend_complete_before_any_transcript_is_stored() {
    let server = TestServer::start().await;
    let (progress, (tools_then, models_then), transcripts_then, (tools, models)) =
        spend_when_ready_and_at_the_end(&server, &bulk_options(&captured_homes()), || {}).await;
    assert_eq!((progress.files_done, transcripts_then), (0, 0), "{progress:?}");
    assert_eq!(tools_then, tools);
    assert_eq!(models_then, models);
    let expected = expected();
    for (key, tool) in [("claude-code", "claude_code"), ("codex", "codex"), ("gemini", "gemini_cli")] {
        let mut want = expected_counts(&expected["tools"][tool]["totals_as_recorded_in_session_files"]);
        if tool == "gemini_cli" {
            want[4] += want[5]; // Gemini's thinking is billed as output.
        }
        assert_eq!(tools[key], want, "{key}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_telemetry_first_the_early_spend_is_already_matched_and_final() {
    let server = TestServer::start().await;
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{}", capture.name);
    }
    let (progress, spend_then, transcripts_then, spend_at_the_end) =
        spend_when_ready_and_at_the_end(&server, &bulk_options(&captured_homes()), || {}).await;
    assert_eq!((progress.files_done, transcripts_then), (0, 0), "{progress:?}");
    assert_eq!(spend_then, spend_at_the_end);
    // Each request once: the files' requests matched to the telemetry that reported them.
    let expected = expected();
    for (key, tool) in [("claude-code", "claude_code"), ("codex", "codex"), ("gemini", "gemini_cli")] {
        let want = expected_counts(&expected["tools"][tool]["totals_all_requests"]);
        let found = spend_then.0[key];
        assert_eq!([found[0], found[1], found[2], found[3], found[5]], [want[0], want[1], want[2], want[3], want[5]], "{key}");
    }
    server.stop().await;
}

/// A session file written to between the usage-first pass and the full read: Claude Code states a
/// request's usage on each of its content blocks' lines, and a later line may carry more output
/// tokens. The full read leaves out only the records the pass stored as they are (`StoredAhead`),
/// so the grown count replaces the stored one, in the spend and in the counters derived at the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_count_grown_after_the_usage_first_pass_is_stored_by_the_full_read() {
    let scratch = tempfile::tempdir().unwrap();
    let home = scratch.path().join("home");
    copy_tree(&capture_set("cli-captures/claude-json-plain/sessions"), &home);
    let session = home.join(".claude/projects/-home-dev-sample-work-a-project/677f8f78-93ed-4224-a767-00ee82d17a17.jsonl");
    let captured = std::fs::read_to_string(&session).unwrap();
    let last_usage = captured.lines().rfind(|line| line.contains("\"usage\"")).unwrap();
    let grown = last_usage.replace("\"output_tokens\":260", "\"output_tokens\":900");
    assert_ne!(grown, last_usage, "the captured answer states 260 output tokens");

    let server = TestServer::start().await;
    let append_grown = || {
        let mut file = std::fs::OpenOptions::new().append(true).open(&session).unwrap();
        std::io::Write::write_all(&mut file, format!("{grown}\n").as_bytes()).unwrap();
    };
    let (_, (tools_then, _), _, (tools, _)) = spend_when_ready_and_at_the_end(&server, &bulk_options(&[home]), append_grown).await;
    let (then, now) = (tools_then["claude-code"], tools["claude-code"]);
    // [requests, input, cache read, cache creation, output, reasoning]: the same request, with 640
    // more output tokens.
    assert_eq!((then[0], then[4]), (1, 260));
    assert_eq!(now, [then[0], then[1], then[2], then[3], then[4] + 640, then[5]]);
    assert_eq!(metric_sums(&server, "claude_code.token.usage", ALL_TIME).await["output"] as i64, now[4]);
    server.stop().await;
}
