//! `corpus-gen`: writes a large, realistic history of Claude Code, Codex CLI and Gemini CLI session
//! files (the shapes of the captured fixtures, with fresh ids, times and token counts) into a home
//! directory, for benchmarks and crash tests. Deterministic for a given seed; prints the totals it
//! wrote so results can be checked.

use clap::Parser;
use serde_json::json;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(about = "Generate a large history of AI coding CLI session files")]
struct Args {
    /// Home directory to write `.claude`, `.codex` and `.gemini` into
    #[arg(long)]
    home: PathBuf,
    /// Sessions per tool
    #[arg(long, default_value_t = 100)]
    sessions: u32,
    /// Model responses per session
    #[arg(long, default_value_t = 50)]
    turns: u32,
    /// Spread the sessions over this many days before 2026-11-28
    #[arg(long, default_value_t = 60)]
    days: u32,
    /// Bytes of text per message (makes files bigger without changing token totals)
    #[arg(long, default_value_t = 400)]
    text_bytes: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// A small deterministic generator (SplitMix64), enough for plausible numbers.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut value = self.0;
        value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        value ^ (value >> 31)
    }

    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48, b & 0xffff_ffff_ffff)
    }

    fn hex(&mut self, length: usize) -> String {
        let mut text = String::new();
        while text.len() < length {
            text.push_str(&format!("{:016x}", self.next()));
        }
        text.truncate(length);
        text
    }
}

#[derive(Default)]
struct Totals {
    requests: u64,
    input: u64,
    cache_read: u64,
    cache_creation: u64,
    output: u64,
    bytes: u64,
    files: u64,
}

fn time_of(start_ms: i64, offset_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(start_ms + offset_ms).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn write_lines(path: &Path, lines: &[serde_json::Value], totals: &mut Totals) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = BufWriter::new(std::fs::File::create(path)?);
    for line in lines {
        let text = line.to_string();
        totals.bytes += text.len() as u64 + 1;
        writeln!(file, "{text}")?;
    }
    totals.files += 1;
    file.flush()
}

fn claude_session(random: &mut Random, args: &Args, start_ms: i64, totals: &mut Totals) -> std::io::Result<()> {
    let session = random.uuid();
    let cwd = format!("/home/dev/work/project-{}", random.between(1, 20));
    let text = "x".repeat(args.text_bytes);
    let mut lines = vec![
        json!({"type": "user", "timestamp": time_of(start_ms, 0), "sessionId": session, "uuid": random.uuid(), "cwd": cwd, "version": "2.1.197", "gitBranch": "main", "message": {"role": "user", "content": format!("Please help. {text}")}}),
    ];
    let mut clock = 1000;
    for _ in 0..args.turns {
        let message_id = format!("msg_{}", random.hex(24));
        let request_id = format!("req_{}", random.hex(26));
        let (input, cache_read, cache_creation, output) =
            (random.between(1, 200), random.between(5_000, 80_000), random.between(0, 4_000), random.between(20, 1_500));
        totals.requests += 1;
        totals.input += input;
        totals.cache_read += cache_read;
        totals.cache_creation += cache_creation;
        totals.output += output;
        for (block, partial) in [("thinking", true), ("text", false), ("tool_use", false)] {
            let content = match block {
                "thinking" => json!([{"type": "thinking", "thinking": text, "signature": random.hex(40)}]),
                "text" => json!([{"type": "text", "text": text}]),
                _ => {
                    json!([{"type": "tool_use", "id": format!("toolu_{}", random.hex(20)), "name": "Bash", "input": {"command": "ls -la"}}])
                }
            };
            let shown_output = if partial { output.min(8) } else { output };
            lines.push(json!({"parentUuid": random.uuid(), "isSidechain": false, "type": "assistant", "timestamp": time_of(start_ms, clock), "sessionId": session, "uuid": random.uuid(), "cwd": cwd, "version": "2.1.197", "gitBranch": "main", "requestId": request_id,
                "message": {"id": message_id, "type": "message", "role": "assistant", "model": "claude-opus-4-8", "content": content, "stop_reason": "tool_use",
                    "usage": {"input_tokens": input, "cache_creation_input_tokens": cache_creation, "cache_read_input_tokens": cache_read, "output_tokens": shown_output, "cache_creation": {"ephemeral_5m_input_tokens": cache_creation, "ephemeral_1h_input_tokens": 0}, "service_tier": "standard"}}}));
            clock += 50;
        }
        lines.push(json!({"type": "user", "timestamp": time_of(start_ms, clock), "sessionId": session, "uuid": random.uuid(), "cwd": cwd, "message": {"role": "user", "content": [{"tool_use_id": format!("toolu_{}", random.hex(20)), "type": "tool_result", "content": text}]}}));
        clock += random.between(2_000, 60_000) as i64;
    }
    let project = cwd.replace('/', "-");
    write_lines(&args.home.join(".claude/projects").join(project).join(format!("{session}.jsonl")), &lines, totals)
}

fn codex_session(random: &mut Random, args: &Args, start_ms: i64, totals: &mut Totals) -> std::io::Result<()> {
    let session = random.uuid();
    let text = "y".repeat(args.text_bytes);
    let mut lines = vec![
        json!({"timestamp": time_of(start_ms, 0), "type": "session_meta", "payload": {"id": session, "timestamp": time_of(start_ms, 0), "cwd": "/home/dev/work/api", "originator": "codex_exec", "cli_version": "0.171.0", "source": "exec", "model_provider": "openai"}}),
        json!({"timestamp": time_of(start_ms, 5), "type": "turn_context", "payload": {"model": "gpt-5.5", "cwd": "/home/dev/work/api"}}),
    ];
    let (mut total_input, mut total_cached, mut total_output, mut total_reasoning) = (0u64, 0u64, 0u64, 0u64);
    let mut clock = 100;
    for _ in 0..args.turns {
        let (input, cached, output) = (random.between(5_000, 60_000), 0, random.between(50, 2_000));
        let cached = cached.max(input / 2);
        let reasoning = output / 3;
        totals.requests += 1;
        totals.input += input - cached;
        totals.cache_read += cached;
        totals.output += output;
        total_input += input;
        total_cached += cached;
        total_output += output;
        total_reasoning += reasoning;
        lines.push(json!({"timestamp": time_of(start_ms, clock), "type": "response_item", "payload": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}}));
        lines.push(json!({"timestamp": time_of(start_ms, clock + 10), "type": "response_item", "payload": {"type": "function_call", "name": "shell", "arguments": "{\"command\":[\"ls\"]}", "call_id": format!("call_{}", random.hex(12))}}));
        lines.push(json!({"timestamp": time_of(start_ms, clock + 20), "type": "token_usage_record", "payload": {"thread_id": session, "session_id": session, "response_id": format!("resp_{}", random.hex(32)), "usage": {"input_tokens": input, "cached_input_tokens": cached, "cache_write_input_tokens": 0, "output_tokens": output, "reasoning_output_tokens": reasoning, "total_tokens": input + output}}}));
        lines.push(json!({"timestamp": time_of(start_ms, clock + 30), "type": "event_msg", "payload": {"type": "token_count", "info": {"total_token_usage": {"input_tokens": total_input, "cached_input_tokens": total_cached, "output_tokens": total_output, "reasoning_output_tokens": total_reasoning, "total_tokens": total_input + total_output}}}}));
        lines.push(json!({"timestamp": time_of(start_ms, clock + 40), "type": "response_item", "payload": {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]}}));
        clock += random.between(2_000, 60_000) as i64;
    }
    let date = chrono::DateTime::from_timestamp_millis(start_ms).unwrap_or_default();
    let folder = args.home.join(".codex/sessions").join(date.format("%Y/%m/%d").to_string());
    write_lines(&folder.join(format!("rollout-{}-{session}.jsonl", date.format("%Y-%m-%dT%H-%M-%S"))), &lines, totals)
}

fn gemini_session(random: &mut Random, args: &Args, start_ms: i64, totals: &mut Totals) -> std::io::Result<()> {
    let session = random.uuid();
    let text = "z".repeat(args.text_bytes);
    let mut lines = vec![
        json!({"sessionId": session, "projectHash": random.hex(64), "startTime": time_of(start_ms, 0), "lastUpdated": time_of(start_ms, 0), "kind": "main"}),
    ];
    let mut clock = 100;
    for _ in 0..args.turns {
        let (input, output, thoughts) = (random.between(5_000, 40_000), random.between(10, 500), random.between(0, 400));
        let cached = random.between(0, input / 2);
        totals.requests += 1;
        totals.input += input - cached;
        totals.cache_read += cached;
        totals.output += output + thoughts;
        lines.push(json!({"id": random.uuid(), "timestamp": time_of(start_ms, clock), "type": "user", "content": [{"text": text}]}));
        let id = random.uuid();
        let message = json!({"id": id, "timestamp": time_of(start_ms, clock + 50), "type": "gemini", "content": [{"text": text}], "model": "gemini-3.8-flash",
            "tokens": {"input": input, "output": output, "cached": cached, "thoughts": thoughts, "tool": 0, "total": input + output + thoughts}});
        lines.push(message.clone());
        lines.push(json!({"$set": {"lastUpdated": time_of(start_ms, clock + 60)}}));
        lines.push(message);
        clock += random.between(2_000, 60_000) as i64;
    }
    let date = chrono::DateTime::from_timestamp_millis(start_ms).unwrap_or_default();
    write_lines(
        &args.home.join(".gemini/tmp/project/chats").join(format!("session-{}-{}.jsonl", date.format("%Y-%m-%dT%H-%M"), &session[..8])),
        &lines,
        totals,
    )
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let mut random = Random(args.seed);
    let end_ms = 1_795_824_000_000_i64; // 2026-11-28T00:00:00Z
    let span_ms = i64::from(args.days.max(1)) * 86_400_000;
    let mut report = Vec::new();
    for (tool, generate) in [
        ("claude-code", claude_session as fn(&mut Random, &Args, i64, &mut Totals) -> std::io::Result<()>),
        ("codex", codex_session),
        ("gemini", gemini_session),
    ] {
        let mut totals = Totals::default();
        for _ in 0..args.sessions {
            let start_ms = end_ms - span_ms + (random.next() % span_ms as u64) as i64;
            generate(&mut random, &args, start_ms, &mut totals)?;
        }
        report.push(json!({"tool": tool, "files": totals.files, "bytes": totals.bytes, "requests": totals.requests, "input": totals.input, "cacheRead": totals.cache_read, "cacheCreation": totals.cache_creation, "output": totals.output}));
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
