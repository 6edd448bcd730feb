//! Importing the session files the real CLIs wrote: totals equal what the files recorded, each
//! request once; re-imports add nothing; appended lines add only themselves; bad lines are
//! reported with file and line while the rest imports.

use crate::support::{
    TestServer, expected,
    fixtures::{capture_set, copy_tree, fixtures_root},
};
use ai_observer_engine::importers::discovery::DiscoveryEnvironment;
use ai_observer_engine::importers::plan::{ImportOptions, plan};
use ai_observer_engine::importers::run::import;
use ai_observer_engine::model::{Tool, UsageSource};
use ai_observer_engine::wire::import::ImportResult;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

const DAY: &str = "from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z";

/// Every capture run's home directory, as roots for each tool.
fn fixture_environment(root: &Path) -> DiscoveryEnvironment {
    let mut environment = DiscoveryEnvironment::default();
    let runs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("sessions")))
        .filter(|path| path.is_dir())
        .collect();
    environment.roots.insert(Tool::ClaudeCode, runs.iter().map(|home| home.join(".claude/projects")).collect());
    environment.roots.insert(Tool::Codex, runs.iter().map(|home| home.join(".codex/sessions")).collect());
    environment.roots.insert(Tool::Gemini, runs.iter().map(|home| home.join(".gemini/tmp")).collect());
    environment
}

fn options(environment: DiscoveryEnvironment) -> ImportOptions {
    ImportOptions {
        tools: Tool::ALL.to_vec(),
        environment,
        force: false,
        window: None,
        source: UsageSource::Import,
        remember_skipped: false,
        always_bulk: false,
    }
}

async fn run_import(server: &TestServer, options: &ImportOptions) -> ImportResult {
    let plan = plan(server.engine.store(), options).await.expect("plan");
    import(&server.engine.import_context(), &plan, options, None, Arc::new(AtomicBool::new(false))).await.expect("import")
}

fn group<'a>(spend: &'a Value, key: &str) -> &'a Value {
    spend["groups"].as_array().unwrap().iter().find(|group| group["key"] == key).unwrap_or_else(|| panic!("no {key} in {spend}"))
}

fn assert_tool_totals(spend: &Value, key: &str, expected: &Value, gemini: bool) {
    let found = group(spend, key);
    assert_eq!(found["requests"], expected["requests"], "{key} requests");
    assert_eq!(found["tokens"]["input"], expected["input_uncached"], "{key} input");
    assert_eq!(found["tokens"]["cacheRead"], expected["cache_read"], "{key} cacheRead");
    assert_eq!(found["tokens"]["cacheCreation"], expected["cache_creation"], "{key} cacheCreation");
    assert_eq!(found["tokens"]["reasoning"], expected["reasoning"], "{key} reasoning");
    let output = expected["output"].as_i64().unwrap() + if gemini { expected["reasoning"].as_i64().unwrap() } else { 0 };
    assert_eq!(found["tokens"]["output"].as_i64(), Some(output), "{key} output");
}

#[tokio::test]
async fn imported_totals_equal_what_the_session_files_recorded() {
    let server = TestServer::start().await;
    let result = run_import(&server, &options(fixture_environment(&fixtures_root()))).await;
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let spend = server.get_json(&format!("/api/spend?groupBy=tool&tz=UTC&{DAY}")).await;
    let expected = expected();
    for (key, tool) in [("claude-code", "claude_code"), ("codex", "codex"), ("gemini", "gemini_cli")] {
        assert_tool_totals(&spend, key, &expected["tools"][tool]["totals_as_recorded_in_session_files"], tool == "gemini_cli");
    }
    // The import's own tally counts each request once too (a repeated response is one request).
    for (key, tool) in [("claude-code", "claude_code"), ("codex", "codex"), ("gemini", "gemini_cli")] {
        let tally = result.tools.iter().find(|found| found.tool == key).unwrap();
        assert_eq!(
            Some(tally.requests as i64),
            expected["tools"][tool]["totals_as_recorded_in_session_files"]["requests"].as_i64(),
            "{key}"
        );
    }

    // Transcripts of imported sessions work like OTLP ones.
    let transcript = server.get_json("/api/sessions/01a22268-e163-7b90-80b5-06ec8ebe16c4/transcript").await;
    let roles: Vec<&str> = transcript["messages"].as_array().unwrap().iter().map(|message| message["role"].as_str().unwrap()).collect();
    assert!(
        roles.contains(&"user") && roles.contains(&"assistant") && roles.contains(&"tool_use") && roles.contains(&"tool_result"),
        "{roles:?}"
    );

    // Imported token metrics carry import_source and feed the same series as OTLP.
    let series = server.get_json(&format!("/api/metrics/series?name=claude_code.token.usage&aggregate=true&{DAY}")).await;
    let cache_read: f64 = series["series"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["labels"]["type"] == "cacheRead")
        .map(|s| s["datapoints"][0][1].as_f64().unwrap())
        .sum();
    assert_eq!(cache_read, 66818.0);
    server.stop().await;
}

#[tokio::test]
async fn importing_twice_adds_nothing_and_appended_lines_add_only_themselves() {
    let server = TestServer::start().await;
    let home = tempfile::tempdir().unwrap();
    let source = fixtures_root().join("codex-binary-toolcall/sessions/.codex");
    copy_tree(&source, &home.path().join(".codex"));
    let environment = DiscoveryEnvironment::with_home(home.path());
    let options = ImportOptions { tools: vec![Tool::Codex], ..options(environment) };

    run_import(&server, &options).await;
    let first = server.row_counts().await;
    let spend_first = server.get_json(&format!("/api/spend?{DAY}")).await;
    assert_eq!(spend_first["total"]["requests"], 3);

    let second = run_import(&server, &options).await;
    assert_eq!(second.tools[0].records, 0, "an unchanged file is not read again");
    assert_eq!(server.row_counts().await, first);

    // Forced re-read: rows are replaced, never doubled.
    let forced = ImportOptions { force: true, ..options.clone() };
    run_import(&server, &forced).await;
    assert_eq!(server.row_counts().await, first);

    // Append one more response to the rollout.
    let rollout = find_file(&home.path().join(".codex"), ".jsonl");
    let appended = r#"{"timestamp":"2026-11-28T13:50:00.000Z","type":"token_usage_record","payload":{"thread_id":"01a22268-e163-7b90-80b5-06ec8ebe16c4","turn_id":"t-extra","session_id":"01a22268-e163-7b90-80b5-06ec8ebe16c4","response_id":"resp_appended_1","usage":{"input_tokens":1000,"cached_input_tokens":400,"cache_write_input_tokens":0,"output_tokens":50,"reasoning_output_tokens":10,"total_tokens":1050}}}"#;
    append_line(&rollout, appended);
    let third = run_import(&server, &options).await;
    assert_eq!(third.tools[0].requests, 1, "only the appended response was read");
    let spend = server.get_json(&format!("/api/spend?{DAY}")).await;
    assert_eq!(spend["total"]["requests"], 4);
    assert_eq!(spend["total"]["tokens"]["input"].as_i64(), Some(spend_first["total"]["tokens"]["input"].as_i64().unwrap() + 600));
    server.stop().await;
}

#[tokio::test]
async fn bad_lines_and_unreadable_files_are_reported_and_the_rest_imports() {
    let server = TestServer::start().await;
    let home = tempfile::tempdir().unwrap();
    let projects = home.path().join(".claude/projects");
    copy_tree(&fixtures_root().join("claude-proto-toolcall/sessions/.claude/projects"), &projects);
    let transcript = find_file(&projects, ".jsonl");
    // A corrupt line in the middle, and a last line cut in half (a crash while writing).
    let text = std::fs::read_to_string(&transcript).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, "{\"type\":\"assistant\",\"message\":{\"usage\": [not json");
    let mut corrupted = lines.join("\n");
    corrupted.push('\n');
    corrupted.push_str("{\"type\":\"user\",\"timestamp\":\"2026-11-28T13:49:00Z\",\"mess");
    std::fs::write(&transcript, corrupted).unwrap();
    // A 50 MB single line (a huge tool output) in its own session file.
    let huge = projects.join("-home-dev-huge").join("11111111-2222-3333-4444-555555555555.jsonl");
    std::fs::create_dir_all(huge.parent().unwrap()).unwrap();
    let big_text = "x".repeat(50 * 1024 * 1024);
    let huge_line = serde_json::json!({"type": "user", "timestamp": "2026-11-28T13:48:00.000Z", "sessionId": "11111111-2222-3333-4444-555555555555", "uuid": "u-huge", "message": {"role": "user", "content": big_text}});
    std::fs::write(&huge, format!("{huge_line}\n")).unwrap();
    drop(big_text);
    // A file that cannot be read.
    let unreadable = projects.join("-home-dev-locked").join("locked.jsonl");
    std::fs::create_dir_all(unreadable.parent().unwrap()).unwrap();
    make_unreadable(&unreadable);

    let environment = DiscoveryEnvironment::with_home(home.path());
    let result = run_import(&server, &ImportOptions { tools: vec![Tool::ClaudeCode], ..options(environment) }).await;
    let file_name = transcript.display().to_string();
    let corrupt = result
        .errors
        .iter()
        .find(|problem| problem.file == file_name && problem.line == Some(4))
        .unwrap_or_else(|| panic!("{:?}", result.errors));
    assert!(corrupt.message.contains("invalid JSON"), "{}", corrupt.message);
    let truncated = result
        .errors
        .iter()
        .find(|problem| problem.file == file_name && problem.line == Some(22))
        .unwrap_or_else(|| panic!("{:?}", result.errors));
    assert!(truncated.message.contains("incomplete last line"));
    assert!(result.errors.iter().any(|problem| problem.file.ends_with("locked.jsonl") && problem.line.is_none()), "{:?}", result.errors);
    assert!(!result.errors.iter().any(|problem| problem.file.ends_with("5555.jsonl")), "the 50 MB line imports: {:?}", result.errors);

    // Everything else was imported: the session's three responses.
    let spend = server.get_json(&format!("/api/spend?{DAY}")).await;
    assert_eq!(spend["total"]["requests"], 3);
    let recorded =
        &expected()["tools"]["claude_code"]["sessions"]["729b2895-3270-4bb9-ba1d-f11545480b27"]["totals_as_recorded_in_session_files"];
    assert_eq!(spend["total"]["tokens"]["cacheRead"], recorded["cache_read"]);
    assert_eq!(spend["total"]["tokens"]["output"], recorded["output"]);
    let huge_transcript = server.get_json("/api/sessions/11111111-2222-3333-4444-555555555555/transcript").await;
    let content = huge_transcript["messages"][0]["content"].as_str().unwrap();
    assert!(content.len() < 300 * 1024 && content.contains("[truncated"), "long text is kept up to a limit");
    server.stop().await;
}

fn make_unreadable(path: &Path) {
    let running_as_root =
        std::process::Command::new("id").arg("-u").output().map(|output| output.stdout.starts_with(b"0")).unwrap_or(false);
    if running_as_root {
        // Permissions do not stop root: a symlink to a file whose reads fail does.
        std::os::unix::fs::symlink("/proc/self/mem", path).unwrap();
    } else {
        std::fs::write(path, "{}\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
}

fn find_file(root: &Path, suffix: &str) -> PathBuf {
    let mut stack = vec![root.to_owned()];
    while let Some(directory) = stack.pop() {
        for entry in std::fs::read_dir(directory).unwrap().flatten() {
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else if entry.path().to_string_lossy().ends_with(suffix) {
                return entry.path();
            }
        }
    }
    panic!("no {suffix} under {}", root.display());
}

fn append_line(path: &Path, line: &str) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    writeln!(file, "{line}").unwrap();
}

async fn checkpoint_threshold(server: &TestServer) -> String {
    server.scalar("SELECT current_setting('checkpoint_threshold')").await
}

async fn memory_limit(server: &TestServer) -> String {
    server.scalar("SELECT current_setting('memory_limit')").await
}

async fn duckdb_threads(server: &TestServer) -> String {
    server.scalar("SELECT current_setting('threads')::VARCHAR").await
}

/// While imports run, DuckDB checkpoints less often, keeps a smaller buffer pool (a first
/// import's peak memory) and keeps to the cores the readers leave; the last one to end restores
/// all three, and an idle release of buffers in between keeps the import's limit.
#[tokio::test]
async fn overlapping_imports_checkpoint_less_often_in_less_memory_and_the_last_one_restores_the_defaults() {
    let server = TestServer::start().await;
    let store = server.engine.store();
    let default = checkpoint_threshold(&server).await;
    assert_eq!(default, "16.0 MiB");
    let default_memory = memory_limit(&server).await;
    assert_eq!(default_memory, "488.2 MiB", "512MB");
    let default_threads = duckdb_threads(&server).await;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    assert_eq!(default_threads, cores.clamp(1, 4).to_string());
    // Readers on every core: DuckDB keeps one thread.
    store.begin_bulk_writes(cores).await.unwrap();
    store.begin_bulk_writes(cores).await.unwrap();
    assert_eq!(checkpoint_threshold(&server).await, "256.0 MiB");
    assert_eq!(memory_limit(&server).await, "91.5 MiB", "96MB");
    assert_eq!(duckdb_threads(&server).await, "1");
    store.release_buffers().await.unwrap();
    assert_eq!(memory_limit(&server).await, "91.5 MiB", "released buffers keep the import's limit");
    store.end_bulk_writes().await.unwrap();
    assert_eq!(checkpoint_threshold(&server).await, "256.0 MiB", "one import still runs");
    assert_eq!(memory_limit(&server).await, "91.5 MiB", "one import still runs");
    assert_eq!(duckdb_threads(&server).await, "1", "one import still runs");
    store.end_bulk_writes().await.unwrap();
    assert_eq!(checkpoint_threshold(&server).await, default);
    assert_eq!(memory_limit(&server).await, default_memory);
    assert_eq!(duckdb_threads(&server).await, default_threads);
    // An import of the captures (small: no bulk mode) leaves the defaults too.
    let result = run_import(&server, &options(fixture_environment(&fixtures_root()))).await;
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    assert_eq!(checkpoint_threshold(&server).await, default);
    assert_eq!(memory_limit(&server).await, default_memory);
    server.stop().await;
}

/// Found by the `gemini_session` fuzz target: a model name whose end is not ASCII ("…─readme.md")
/// made the price lookup panic and the import fail. The request now imports, counted and named
/// among the models without a price.
#[tokio::test]
async fn a_model_name_ending_in_text_that_is_not_ascii_imports_as_unpriced() {
    let server = TestServer::start().await;
    let home = tempfile::tempdir().unwrap();
    let tmp = home.path().join(".gemini/tmp");
    copy_tree(&fixtures_root().join("gemini-toolcall/sessions/.gemini/tmp"), &tmp);
    let chat = find_file(&tmp, ".jsonl");
    let text = std::fs::read_to_string(&chat).unwrap();
    // Three responses (the first written twice, as Gemini CLI updates a message); the last one's
    // model gets the name the fuzzer found.
    let last = text.rfind("\"model\":\"gemini-3.8-flash\"").unwrap();
    let renamed =
        format!("{}\"model\":\"gemini-3.8-flash─README.md\"{}", &text[..last], &text[last + "\"model\":\"gemini-3.8-flash\"".len()..]);
    std::fs::write(&chat, renamed).unwrap();

    let environment = DiscoveryEnvironment::with_home(home.path());
    let result = run_import(&server, &ImportOptions { tools: vec![Tool::Gemini], ..options(environment) }).await;
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let spend = server.get_json(&format!("/api/spend?{DAY}")).await;
    assert_eq!(spend["total"]["requests"], 3);
    assert_eq!(spend["total"]["unpricedRequests"], 1);
    assert_eq!(spend["unpricedModels"][0]["model"], "gemini-3.8-flash─README.md");
    assert_eq!(spend["unpricedModels"][0]["requests"], 1);
    server.stop().await;

    // The fuzzer's own input (a mangled capture) goes through the parser without a panic and
    // yields the rows of the lines it left whole.
    let found = std::fs::read(capture_set("fuzz-findings").join("gemini_session-model-name-not-ascii")).unwrap();
    assert_eq!(ai_observer_engine::importers::fuzzing::parse_session_bytes(Tool::Gemini, "/fuzz/chats/session-x.jsonl", &found), 5);
}

/// A bulk import (a first import of a large history: its rows built into columns on the readers'
/// threads, `WriteBatch::prepare_for_append`) stores the same log records and metric points, column
/// for column, as a plain import of the same files.
#[tokio::test]
async fn a_bulk_import_stores_the_same_rows_as_a_plain_one() {
    const CONTENTS: &str = "SELECT (SELECT count(*) FROM otel_logs) || ' logs, ' || (SELECT count(*) FROM otel_metrics) || ' points, '
           || (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t.RecordKey, t::VARCHAR)) FROM otel_logs t) || ' '
           || (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t.RecordKey, t::VARCHAR)) FROM otel_metrics t)";
    let mut found = Vec::new();
    for bulk in [false, true] {
        let server = TestServer::start().await;
        let result = run_import(&server, &ImportOptions { always_bulk: bulk, ..options(fixture_environment(&fixtures_root())) }).await;
        assert!(result.errors.is_empty(), "{:?}", result.errors);
        found.push(server.scalar::<String>(CONTENTS).await);
        server.stop().await;
    }
    assert_eq!(found[0], found[1], "plain import, then bulk import");
    assert!(found[0].starts_with("38 logs, 71 points, "), "{}", found[0]);
}

/// A resumed Gemini CLI session restates its history in a `$set.messages` checkpoint: no model, no
/// tokens, thoughts merged into the text, and a tool's result under its call's id. The transcript
/// keeps each message as its own record wrote it, whichever path imports the file.
#[tokio::test]
async fn a_gemini_checkpoint_does_not_replace_the_messages_it_restates() {
    const TRANSCRIPT: &str = "SELECT string_agg(json_extract_string(LogAttributes, '$.\"message.role\"') || ' '
           || coalesce(json_extract_string(LogAttributes, '$.model'), '-') || ' ' || left(Body, 24), ' | ' ORDER BY Timestamp, RecordKey)
         FROM otel_logs WHERE ServiceName = 'gemini-cli' AND RecordKey NOT LIKE '%:tool:%' AND RecordKey NOT LIKE '%:result:%'
           AND json_extract_string(LogAttributes, '$.\"event.name\"') = 'transcript.message'";
    for bulk in [false, true] {
        let server = TestServer::start().await;
        let home = tempfile::tempdir().unwrap();
        copy_tree(&fixtures_root().join("gemini-toolcall/sessions/.gemini/tmp"), &home.path().join(".gemini/tmp"));
        let environment = DiscoveryEnvironment::with_home(home.path());
        let result = run_import(&server, &ImportOptions { tools: vec![Tool::Gemini], always_bulk: bulk, ..options(environment) }).await;
        assert!(result.errors.is_empty(), "{:?}", result.errors);
        assert_eq!(
            server.scalar::<String>(TRANSCRIPT).await,
            "user - <session_context>\nThis i | user - TOOLCALL: list the files | assistant gemini-3.8-flash I'll list the project di \
             | assistant gemini-3.8-flash The project has README.m | user - Which of those files wou \
             | assistant gemini-3.8-flash Mock answer #5: looks go",
            "bulk: {bulk}"
        );
        server.stop().await;
    }
}
