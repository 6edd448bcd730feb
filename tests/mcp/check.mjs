// End-to-end checks of ai-observer's MCP server with the official MCP TypeScript SDK client.
// Run by tests/e2e/mcp.sh, in two phases on a database imported from the captured session files
// (crates/engine/tests/fixtures/cli-captures/*/sessions and limits-captures/codex-limits/sessions):
//
//   --phase app --api URL --bin BIN --save FILE
//       with `ai-observer serve` running: the tools over streamable HTTP (`URL/mcp`) against the
//       REST API and the fixtures' expected totals, the same tools over stdio through the app
//       (`BIN mcp --api-url URL`), and the /mcp route's Origin and Content-Type guards. Saves the
//       answers the database phase must repeat.
//   --phase db --bin BIN --database DB --api URL --expect FILE
//       after serve stopped: `BIN mcp --database DB` (the database opened by the MCP process
//       itself) answers what the app answered; `BIN mcp --api-url URL` now answers an error result.
//
// One line per check, then `N passed, M failed`; exit code 1 on any failure.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    phase: { type: 'string' },
    api: { type: 'string' },
    bin: { type: 'string' },
    database: { type: 'string' },
    save: { type: 'string' },
    expect: { type: 'string' },
  },
});
if (!['app', 'db'].includes(args.phase) || !args.api || !args.bin) {
  console.error('usage: check.mjs --phase app|db --api URL --bin BIN [--database DB] [--save FILE | --expect FILE]');
  process.exit(2);
}
const api = args.api.replace(/\/$/, '');
const fixtures = fileURLToPath(new URL('../../crates/engine/tests/fixtures/', import.meta.url));

const TOOLS = ['plan_limits', 'session_cost', 'spend', 'spend_summary', 'top_sessions', 'usage_blocks'];
// A range that holds every fixture (they are from 2026-11-28 and 29). With a fixed from/to the
// answers' `from`/`to`/`tz` fields are the same in every call, so nothing is left out of the
// comparisons.
const FROM = '2000-01-01';
const TO = '2100-01-01';
const SPEND_ARGS = { from: FROM, to: TO, groupBy: 'tool' };

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) {
    passed += 1;
    console.log(`ok   ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
}
async function attempt(name, body) {
  try {
    await body();
  } catch (error) {
    check(name, false, `threw ${error?.stack ?? error}`);
  }
}

/** The first place where `a` and `b` differ, for a failure message. */
function difference(a, b, path = '$') {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = difference(a[key], b[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  const show = (v) => (v === undefined ? 'undefined' : JSON.stringify(v).slice(0, 300));
  return `${path}: ${show(a)} != ${show(b)}`;
}
function checkEqual(name, actual, expected) {
  check(name, isDeepStrictEqual(actual, expected), difference(actual, expected) ?? '');
}

async function rest(path) {
  const response = await fetch(`${api}${path}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** A tool's answer: its structured content, after checking it is no error and its text is the same JSON. */
async function callOk(client, name, toolArgs = {}) {
  const result = await client.callTool({ name, arguments: toolArgs });
  if (result.isError) throw new Error(`${name} answered an error: ${JSON.stringify(result.content).slice(0, 500)}`);
  if (result.structuredContent === undefined) throw new Error(`${name} has no structuredContent`);
  const text = result.content?.find((block) => block.type === 'text')?.text;
  if (text === undefined || !isDeepStrictEqual(JSON.parse(text), result.structuredContent)) {
    throw new Error(`${name}: the text content is not the structured content's JSON: ${String(text).slice(0, 300)}`);
  }
  return result.structuredContent;
}

async function connect(transport) {
  const client = new Client({ name: 'ai-observer-mcp-e2e', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** `BIN mcp …` over stdio; its stderr is kept for failure messages. */
function stdio(extraArgs) {
  const transport = new StdioClientTransport({
    command: args.bin,
    args: ['mcp', ...extraArgs],
    // The whole environment (the SDK's default keeps only HOME, PATH and a few more): TZ must be
    // the one serve has, or `tz` and the day boundaries of the answers would differ.
    env: { ...process.env },
    stderr: 'pipe',
  });
  const stderr = [];
  transport.stderr?.on('data', (chunk) => stderr.push(chunk));
  return { transport, stderr: () => Buffer.concat(stderr).toString().slice(-2000) };
}

async function toolNames(client) {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

// --- expected values from the fixtures ----------------------------------------------------------

/**
 * The token totals a session-file import must find, per tool, in /api/spend's group shape
 * ({requests, tokens: {input, cacheRead, cacheCreation, output, reasoning}}).
 * cli-captures/expected.json `totals_in_session_files` (field definitions in that file and in
 * CAPTURE-NOTES.md) maps as: input = input_uncached, cacheRead = cache_read, cacheCreation =
 * cache_creation, reasoning = reasoning, output = output, except Gemini: expected.json's Gemini
 * output excludes thoughts, the app's output includes them (docs/api.md, TokenCounts: "output =
 * every billed output token incl. reasoning/thinking"), so there output = output + reasoning.
 * The codex-limits capture's session file is imported too; it is not in expected.json, so its
 * three served responses (limits-captures/codex-limits/mock_requests.jsonl, OpenAI usage:
 * uncached = input_tokens - cached_tokens, output includes reasoning) are added to Codex.
 */
function expectedTotals() {
  const expected = JSON.parse(readFileSync(`${fixtures}cli-captures/expected.json`, 'utf8'));
  const shape = (t, outputIncludesReasoning) => ({
    requests: t.requests,
    tokens: {
      input: t.input_uncached,
      cacheRead: t.cache_read,
      cacheCreation: t.cache_creation,
      output: outputIncludesReasoning ? t.output : t.output + t.reasoning,
      reasoning: t.reasoning,
    },
  });
  const byTool = {
    'claude-code': shape(expected.tools.claude_code.totals_in_session_files, true),
    codex: shape(expected.tools.codex.totals_in_session_files, true),
    gemini: shape(expected.tools.gemini_cli.totals_in_session_files, false),
  };
  const bySession = {};
  for (const [tool, outputIncludesReasoning] of [['claude_code', true], ['codex', true], ['gemini_cli', false]]) {
    for (const [id, session] of Object.entries(expected.tools[tool].sessions)) {
      bySession[id] = shape(session.totals_in_session_files, outputIncludesReasoning);
    }
  }
  const limitsSession = { requests: 0, tokens: { input: 0, cacheRead: 0, cacheCreation: 0, output: 0, reasoning: 0 } };
  const mock = readFileSync(`${fixtures}limits-captures/codex-limits/mock_requests.jsonl`, 'utf8');
  for (const line of mock.split('\n').filter(Boolean)) {
    const { usage } = JSON.parse(line);
    if (!usage) continue;
    const cached = usage.input_tokens_details?.cached_tokens ?? 0;
    limitsSession.requests += 1;
    limitsSession.tokens.input += usage.input_tokens - cached;
    limitsSession.tokens.cacheRead += cached;
    limitsSession.tokens.output += usage.output_tokens;
    limitsSession.tokens.reasoning += usage.output_tokens_details?.reasoning_tokens ?? 0;
  }
  if (limitsSession.requests !== 3) throw new Error(`codex-limits mock_requests.jsonl: ${limitsSession.requests} served responses, expected 3`);
  byTool.codex.requests += limitsSession.requests;
  for (const key of Object.keys(limitsSession.tokens)) byTool.codex.tokens[key] += limitsSession.tokens[key];
  return { byTool, bySession };
}

/** The plan-limit states the codex-limits session file ends with (limits-expected.json). */
function expectedCodexLimits() {
  const run = JSON.parse(readFileSync(`${fixtures}limits-captures/limits-expected.json`, 'utf8')).runs['codex-limits'];
  if (!run.last_exposed_equals_last_served) throw new Error('limits-expected.json: codex-limits last_exposed differs from last_served');
  return run.last_exposed;
}

// --- phase app: serve is running -----------------------------------------------------------------

async function phaseApp() {
  const saved = {};

  // Streamable HTTP, the /mcp route of the running app.
  let http;
  await attempt('HTTP: the SDK client connects to /mcp', async () => {
    http = await connect(new StreamableHTTPClientTransport(new URL(`${api}/mcp`)));
    const info = http.getServerVersion();
    check('HTTP: the SDK client connects to /mcp', info?.name === 'ai-observer', `serverInfo ${JSON.stringify(info)}`);
  });
  if (!http) return saved;

  await attempt('HTTP: listTools names the six tools', async () => {
    checkEqual('HTTP: listTools names the six tools', await toolNames(http), TOOLS);
  });

  let spend;
  await attempt('HTTP: spend equals GET /api/spend', async () => {
    spend = await callOk(http, 'spend', SPEND_ARGS);
    saved.spend = spend;
    checkEqual('HTTP: spend equals GET /api/spend', spend, await rest(`/api/spend?from=${FROM}&to=${TO}&groupBy=tool`));
  });
  if (spend) {
    const total = spend.total?.tokens ?? {};
    check(
      'HTTP: spend total has input and output tokens',
      total.input > 0 && total.output > 0 && total.cacheRead > 0,
      JSON.stringify(spend.total),
    );
    const { byTool, bySession } = expectedTotals();
    checkEqual(
      'HTTP: spend groups are the three tools',
      (spend.groups ?? []).map((group) => group.key).sort(),
      Object.keys(byTool).sort(),
    );
    for (const [tool, want] of Object.entries(byTool)) {
      const group = spend.groups?.find((g) => g.key === tool);
      checkEqual(
        `HTTP: spend ${tool} requests and tokens equal the captures' session-file totals`,
        group && { requests: group.requests, tokens: group.tokens },
        want,
      );
    }

    await attempt('HTTP: spend by session: the six captured sessions equal expected.json', async () => {
      const bySessionAnswer = await callOk(http, 'spend', { from: FROM, to: TO, groupBy: 'session' });
      checkEqual(
        'HTTP: spend by session equals GET /api/spend?groupBy=session',
        bySessionAnswer,
        await rest(`/api/spend?from=${FROM}&to=${TO}&groupBy=session`),
      );
      const got = Object.fromEntries(
        (bySessionAnswer.groups ?? [])
          .filter((group) => group.key in bySession)
          .map((group) => [group.key, { requests: group.requests, tokens: group.tokens }]),
      );
      checkEqual('HTTP: spend by session: the six captured sessions equal expected.json', got, bySession);
      saved.costliestSession = [...(bySessionAnswer.groups ?? [])].sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1))[0];
    });

    await attempt('HTTP: spend with tool=gemini has only the gemini group', async () => {
      const gemini = await callOk(http, 'spend', { ...SPEND_ARGS, tool: 'gemini' });
      checkEqual(
        'HTTP: spend with tool=gemini has only the gemini group',
        gemini.groups?.map((group) => [group.key, group.tokens]),
        [['gemini', byTool.gemini.tokens]],
      );
    });
  }

  await attempt('HTTP: plan_limits equals GET /api/limits', async () => {
    const limits = await callOk(http, 'plan_limits');
    saved.limits = limits;
    checkEqual('HTTP: plan_limits equals GET /api/limits', limits, await rest('/api/limits'));
    for (const state of expectedCodexLimits()) {
      const found = limits.limits?.find((limit) => limit.tool === 'codex' && limit.window === state.window);
      check(
        `HTTP: plan_limits codex ${state.window} is the capture's last state (${state.used_percent} %, resets ${state.resets_at_rfc3339})`,
        found?.usedPercent === state.used_percent && Date.parse(found?.resetsAt) === state.resets_at * 1000,
        JSON.stringify(found),
      );
    }
  });

  let top;
  await attempt('HTTP: top_sessions equals GET /api/sessions?sort=cost&limit=2', async () => {
    const answer = await callOk(http, 'top_sessions', { from: FROM, to: TO, limit: 2 });
    top = answer.sessions;
    checkEqual(
      'HTTP: top_sessions equals GET /api/sessions?sort=cost&limit=2',
      answer,
      await rest(`/api/sessions?from=${FROM}&to=${TO}&limit=2&sort=cost`),
    );
    check(
      'HTTP: top_sessions lists 2 sessions, costliest first',
      Array.isArray(top) && top.length === 2 && top[0].costUsd >= top[1].costUsd && top[1].costUsd > 0,
      JSON.stringify(top?.map((s) => [s.sessionId, s.costUsd])),
    );
    if (saved.costliestSession) {
      check(
        'HTTP: top_sessions[0] is the costliest session of spend by session',
        top?.[0]?.sessionId === saved.costliestSession.key && top?.[0]?.costUsd === saved.costliestSession.costUsd,
        `${top?.[0]?.sessionId} ${top?.[0]?.costUsd} vs ${saved.costliestSession.key} ${saved.costliestSession.costUsd}`,
      );
    }
  });

  if (top?.[0]) {
    const first = top[0];
    await attempt('HTTP: session_cost equals the transcript without its messages', async () => {
      const answer = await callOk(http, 'session_cost', { sessionId: first.sessionId });
      const transcript = await rest(`/api/sessions/${encodeURIComponent(first.sessionId)}/transcript`);
      check(
        'HTTP: session_cost has no messages (the REST transcript has them)',
        !('messages' in answer) && Array.isArray(transcript.messages) && transcript.messages.length > 0,
        `session_cost keys ${Object.keys(answer)}, transcript messages ${transcript.messages?.length}`,
      );
      delete transcript.messages;
      checkEqual('HTTP: session_cost equals the transcript without its messages', answer, transcript);
      check(
        'HTTP: session_cost summary cost and tokens equal the session list',
        answer.sessionId === first.sessionId &&
          answer.summary?.costUsd === first.costUsd &&
          isDeepStrictEqual(answer.summary?.tokens, first.tokens),
        `${JSON.stringify(answer.summary)} vs ${first.costUsd} ${JSON.stringify(first.tokens)}`,
      );
    });
  }

  await attempt('HTTP: session_cost with an empty sessionId is an error result', async () => {
    const result = await http.callTool({ name: 'session_cost', arguments: { sessionId: '' } });
    const text = result.content?.find((block) => block.type === 'text')?.text ?? '';
    check('HTTP: session_cost with an empty sessionId is an error result', result.isError === true && text.length > 0, JSON.stringify(result));
  });
  await attempt('HTTP: session_cost of an unknown session is an error result', async () => {
    const result = await http.callTool({ name: 'session_cost', arguments: { sessionId: 'no-such-session' } });
    check(
      'HTTP: session_cost of an unknown session is an error result',
      result.isError === true && /no-such-session/.test(result.content?.[0]?.text ?? ''),
      JSON.stringify(result),
    );
  });

  await attempt('HTTP: usage_blocks equals GET /api/blocks', async () => {
    const blocks = await callOk(http, 'usage_blocks', { from: FROM, to: TO });
    checkEqual('HTTP: usage_blocks equals GET /api/blocks', blocks, await rest(`/api/blocks?from=${FROM}&to=${TO}`));
    // Blocks are Claude Code's: their tokens add up to its spend group.
    const sum = { input: 0, cacheRead: 0, cacheCreation: 0, output: 0, reasoning: 0 };
    for (const block of blocks.blocks ?? []) for (const key of Object.keys(sum)) sum[key] += block.tokens?.[key] ?? 0;
    checkEqual('HTTP: usage_blocks tokens add up to the captures\' Claude Code totals', sum, expectedTotals().byTool['claude-code'].tokens);
  });

  await attempt('HTTP: spend_summary equals GET /api/spend/summary', async () => {
    // Windows relative to now (today, last 7/30 days, this month); the two calls are milliseconds
    // apart, so they agree unless they straddle midnight.
    checkEqual('HTTP: spend_summary equals GET /api/spend/summary', await callOk(http, 'spend_summary'), await rest('/api/spend/summary'));
  });

  await http.close();

  // stdio through the app: `ai-observer mcp --api-url`.
  const viaApp = stdio(['--api-url', api]);
  let client;
  await attempt('stdio --api-url: the SDK client connects', async () => {
    client = await connect(viaApp.transport);
    check('stdio --api-url: the SDK client connects', client.getServerVersion()?.name === 'ai-observer');
  });
  if (client) {
    await attempt('stdio --api-url: listTools names the six tools', async () => {
      checkEqual('stdio --api-url: listTools names the six tools', await toolNames(client), TOOLS);
    });
    await attempt('stdio --api-url: spend equals the HTTP answer', async () => {
      checkEqual('stdio --api-url: spend equals the HTTP answer', await callOk(client, 'spend', SPEND_ARGS), saved.spend);
    });
    await attempt('stdio --api-url: plan_limits equals the HTTP answer', async () => {
      checkEqual('stdio --api-url: plan_limits equals the HTTP answer', await callOk(client, 'plan_limits'), saved.limits);
    });
    await client.close();
  }
  if (failed) console.log(`--- stderr of mcp --api-url\n${viaApp.stderr()}`);

  // The guards of /mcp: the same initialize request passes with plain headers (so the refusals
  // below come from the guards), is refused with a foreign Origin (403) and as text/plain (415).
  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'guard-check', version: '1' } },
  });
  const post = async (headers) => {
    const response = await fetch(`${api}/mcp`, {
      method: 'POST',
      headers: { Accept: 'application/json, text/event-stream', ...headers },
      body: initialize,
    });
    return { status: response.status, body: await response.text() };
  };
  await attempt('guard: a plain JSON initialize POST to /mcp answers 200 (control)', async () => {
    const { status, body } = await post({ 'Content-Type': 'application/json' });
    check(
      'guard: a plain JSON initialize POST to /mcp answers 200 (control)',
      status === 200 && body.includes('"serverInfo"'),
      `${status} ${body.slice(0, 300)}`,
    );
  });
  await attempt('guard: a foreign Origin gets 403 and no MCP answer', async () => {
    const { status, body } = await post({ 'Content-Type': 'application/json', Origin: 'http://evil.example' });
    check('guard: a foreign Origin gets 403 and no MCP answer', status === 403 && !body.includes('jsonrpc'), `${status} ${body.slice(0, 300)}`);
  });
  await attempt('guard: a text/plain body gets 415 and no MCP answer', async () => {
    const { status, body } = await post({ 'Content-Type': 'text/plain' });
    check('guard: a text/plain body gets 415 and no MCP answer', status === 415 && !body.includes('jsonrpc'), `${status} ${body.slice(0, 300)}`);
  });
  await attempt('guard: the refused requests changed nothing (spend as before)', async () => {
    checkEqual(
      'guard: the refused requests changed nothing (spend as before)',
      await rest(`/api/spend?from=${FROM}&to=${TO}&groupBy=tool`),
      saved.spend,
    );
  });

  return saved;
}

// --- phase db: serve has stopped -----------------------------------------------------------------

async function phaseDb(saved) {
  if (!args.database) throw new Error('--phase db needs --database');
  check('db: the app phase saved spend and plan_limits answers', saved.spend && saved.limits);

  const onDatabase = stdio(['--database', args.database]);
  let client;
  await attempt('stdio --database: the SDK client connects', async () => {
    client = await connect(onDatabase.transport);
    check('stdio --database: the SDK client connects', client.getServerVersion()?.name === 'ai-observer');
  });
  if (client) {
    await attempt('stdio --database: listTools names the six tools', async () => {
      checkEqual('stdio --database: listTools names the six tools', await toolNames(client), TOOLS);
    });
    await attempt('stdio --database: spend equals the app\'s answer', async () => {
      checkEqual("stdio --database: spend equals the app's answer", await callOk(client, 'spend', SPEND_ARGS), saved.spend);
    });
    await attempt('stdio --database: plan_limits equals the app\'s answer', async () => {
      checkEqual("stdio --database: plan_limits equals the app's answer", await callOk(client, 'plan_limits'), saved.limits);
    });
    await client.close();
  }
  if (failed) console.log(`--- stderr of mcp --database\n${onDatabase.stderr()}`);

  // With the app gone, a call through its API is an error result (the server itself keeps running).
  const deadApp = stdio(['--api-url', api]);
  let dead;
  await attempt('stdio --api-url of a stopped app: spend is an error result', async () => {
    dead = await connect(deadApp.transport);
    const result = await dead.callTool({ name: 'spend', arguments: SPEND_ARGS });
    check(
      'stdio --api-url of a stopped app: spend is an error result',
      result.isError === true && (result.content?.[0]?.text ?? '').length > 0,
      JSON.stringify(result).slice(0, 500),
    );
  });
  await dead?.close();
}

try {
  if (args.phase === 'app') {
    const saved = await phaseApp();
    if (args.save) writeFileSync(args.save, JSON.stringify(saved));
  } else {
    await phaseDb(args.expect ? JSON.parse(readFileSync(args.expect, 'utf8')) : {});
  }
} catch (error) {
  check(`phase ${args.phase} ran to the end`, false, String(error?.stack ?? error));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
