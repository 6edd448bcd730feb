// Every page reached through its nav link shows the fixtures' data, each compared with the API:
// metrics chart, logs (expandable, request rows with their model and tokens), traces and a trace's
// waterfall (every span laid out, only the rows in view drawn), the traces' sort and minimum duration
// (checks/traces-order.mjs), the six sessions and a transcript,
// setup (three tools received, Claude Code's status line to paste), the team page (machines and people as
// /api/spend has them; a token made, used and revoked in the page), settings (the real ports). Screenshots are checks/layout.mjs's job.
import { apiUrl, getJson } from '../lib/api.mjs';
import { openByNav } from '../lib/navigation.mjs';
import { expect, expectEqual } from '../lib/report.mjs';
import { recordApiRequests } from '../lib/page-values.mjs';
import { checkTracesOrder } from './traces-order.mjs';

export async function checkPages({ report, page, origin, otlp }) {
  await report.check('metrics page draws a chart of a token metric', async () => {
    await openByNav(page, 'metrics', { path: '/metrics', heading: 'Metrics' });
    await page.locator('[data-testid="metrics-chart"] svg path').first().waitFor({ state: 'attached' });
    const names = await page.$$eval('[data-testid="metrics-name"] option', (options) => options.map((option) => option.value));
    const tokens = names.find((name) => name.endsWith('.token.usage'));
    expect(tokens, `no token usage metric among ${names.length} metrics`);
    const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/metrics/series' && new URL(response.url()).searchParams.get('name') === tokens);
    await page.selectOption('[data-testid="metrics-name"]', tokens);
    const series = await (await answered).json();
    expect(series.series.length > 0, `${tokens} has no series in the range`);
    await page.locator('[data-testid="metrics-chart"] svg path').first().waitFor({ state: 'attached' });
    const paths = await page.locator('[data-testid="metrics-chart"] svg path').count();
    const rows = await page.locator('[data-testid="metrics-table"] tbody tr').count();
    expect(rows > 0, 'the metrics table has no series');
    const metric = await page.inputValue('[data-testid="metrics-name"]');
    return `${metric}: ${rows} series, ${paths} SVG paths`;
  });

  await report.check('logs page lists the logs of the range and expands a row', async () => {
    const requests = recordApiRequests(page);
    await openByNav(page, 'logs', { path: '/logs', heading: 'Logs' });
    await page.locator('[data-testid="logs-table"] tbody tr').first().waitFor();
    requests.stop();
    const answer = await getJson(requests.find('/api/logs'));
    const rows = await page.locator('[data-testid="logs-table"] tbody tr').count();
    expect(answer.total > 0, 'the API has no logs in the range');
    expectEqual(rows, answer.logs.length, 'log rows');
    await page.getByRole('button', { name: 'Show details' }).first().click();
    const detail = page.locator('tr.detail-row').first();
    await detail.waitFor();
    expect((await detail.textContent()).includes(answer.logs[0].timestamp), 'the expanded row does not show the first log’s timestamp');
    // a model request shows its model and tokens in the summary line, from its own attributes
    const withTokens = answer.logs.findIndex((log) => log.logAttributes?.input_tokens ?? log.logAttributes?.input_token_count);
    let facts = 'no request row on the first page';
    if (withTokens >= 0) {
      const log = answer.logs[withTokens];
      const row = page.locator('[data-testid="logs-table"] > tbody > tr:not(.detail-row)').nth(withTokens);
      facts = (await row.locator('[data-testid="log-request-facts"]').textContent()).replace(/\s+/g, ' ').trim();
      const model = log.logAttributes.model ?? log.logAttributes['gen_ai.request.model'];
      expect(!model || facts.includes(model), `request row ${withTokens} shows “${facts}”, its model is ${model}`);
      expect(/\bin\b.*\bout\b.*tokens/.test(facts), `request row ${withTokens} shows no tokens: “${facts}”`);
    }
    return `${rows} rows of ${answer.total}; a request row says “${facts}”`;
  });

  await report.check('traces page lists traces and a trace shows its waterfall', async () => {
    const requests = recordApiRequests(page);
    await openByNav(page, 'traces', { path: '/traces', heading: 'Traces' });
    await page.locator('[data-testid="traces-table"] tbody tr').first().waitFor();
    requests.stop();
    const answer = await getJson(requests.find('/api/traces'));
    const rows = await page.locator('[data-testid="traces-table"] > tbody > tr').count();
    expectEqual(rows, answer.traces.length, 'trace rows');
    // the trace with the most spans makes the best waterfall: search for its root span's name
    const query = new URL(requests.find('/api/traces'));
    const everything = await getJson(apiUrl(origin, '/api/traces', { from: query.searchParams.get('from'), to: query.searchParams.get('to'), limit: 1000 }));
    const biggest = [...everything.traces].sort((a, b) => b.spanCount - a.spanCount)[0];
    expect(biggest && biggest.spanCount > 1, 'no trace with more than one span');
    const searched = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/traces' && new URL(response.url()).searchParams.get('search') === biggest.rootSpan);
    await page.fill('[data-testid="traces-search"]', biggest.rootSpan);
    const found = await (await searched).json();
    const trace = [...found.traces].sort((a, b) => b.spanCount - a.spanCount)[0];
    expect(trace, `searching “${biggest.rootSpan}” found no trace`);
    await page.click(`a[href="/traces/${trace.kind}/${encodeURIComponent(trace.id)}"]`);
    await page.getByRole('heading', { level: 1, name: /Trace/ }).waitFor();
    await page.locator('[data-testid="waterfall"] tr.span-row').first().waitFor();
    const spans = await getJson(apiUrl(origin, `/api/traces/${encodeURIComponent(trace.id)}`, { kind: trace.kind }));
    // every span is laid out (and shown: nothing is collapsed at first) ...
    const waterfall = page.locator('[data-testid="waterfall"]');
    expectEqual(Number(await waterfall.getAttribute('data-span-count')), spans.spans.length, 'waterfall rows laid out');
    expectEqual(Number(await waterfall.getAttribute('data-shown-rows')), spans.spans.length, 'waterfall rows shown');
    // ... but a big trace draws only the rows in view, in a box of bounded height, and scrolls to its last span
    const drawn = await page.locator('[data-testid="waterfall"] tr.span-row').count();
    const height = await page.evaluate(() => document.scrollingElement.scrollHeight);
    if (spans.spans.length > 100) {
      expect(drawn < 100, `${drawn} of ${spans.spans.length} rows drawn at once`);
      expect(height < 2500, `the trace page is ${height} px tall`);
    } else {
      expectEqual(drawn, spans.spans.length, 'waterfall rows drawn');
    }
    await page.locator('[data-testid="waterfall-scroll"]').evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await page.waitForFunction((last) => document.querySelector('[data-testid="waterfall"] tr.span-row:last-of-type')?.getAttribute('aria-rowindex') === String(last), spans.spans.length + 1);
    // a subtree collapses and expands again
    const twisty = page.locator('[data-testid="waterfall"] button[aria-expanded]').first();
    let collapsedTo = spans.spans.length;
    if ((await twisty.count()) > 0) {
      await page.locator('[data-testid="waterfall-scroll"]').evaluate((element) => element.scrollTo(0, 0));
      await twisty.click();
      collapsedTo = Number(await waterfall.getAttribute('data-shown-rows'));
      expect(collapsedTo < spans.spans.length, 'collapsing the first subtree hid nothing');
      await twisty.click();
      expectEqual(Number(await waterfall.getAttribute('data-shown-rows')), spans.spans.length, 'rows shown after expanding again');
    }
    // a span's details open beside the waterfall, not below the whole list
    await page.locator('[data-testid="waterfall"] .span-name').nth(1).click();
    const [list, details] = await Promise.all([page.locator('[data-testid="waterfall-scroll"]').boundingBox(), page.locator('[data-testid="span-details"]').boundingBox()]);
    expect(details && list && details.x > list.x + list.width / 2 && details.y < list.y + list.height, `span details at ${JSON.stringify(details)}, the waterfall at ${JSON.stringify(list)}`);
    return `${rows} traces; searched “${biggest.rootSpan}”: ${trace.serviceName} trace with ${spans.spans.length} spans, ${drawn} drawn, page ${height} px tall, first subtree collapses to ${collapsedTo} rows`;
  });

  await checkTracesOrder({ report, page, origin });

  await report.check('sessions page lists the six fixture sessions and a transcript shows the conversation', async () => {
    const requests = recordApiRequests(page);
    await openByNav(page, 'sessions', { path: '/sessions', heading: 'Sessions' });
    await page.locator('[data-testid="sessions-table"] tbody tr').first().waitFor();
    requests.stop();
    const answer = await getJson(requests.find('/api/sessions'));
    const shown = await page.$$eval('[data-testid="sessions-table"] tbody tr[data-session-id]', (rows) => rows.map((row) => row.getAttribute('data-session-id')));
    expectEqual(shown.length, 6, 'session rows');
    expectEqual(shown.slice().sort().join(','), answer.sessions.map((session) => session.sessionId).sort().join(','), 'session ids');
    const session = [...answer.sessions].sort((a, b) => b.messageCount - a.messageCount)[0];
    await page.click(`a[href="/sessions/${encodeURIComponent(session.sessionId)}"]`);
    await page.locator('[data-testid="transcript-chat"] [data-role]').first().waitFor();
    const transcript = await getJson(apiUrl(origin, `/api/sessions/${encodeURIComponent(session.sessionId)}/transcript`));
    const roles = await page.$$eval('[data-testid="transcript-chat"] [data-role]', (messages) => messages.map((message) => message.getAttribute('data-role')));
    expectEqual(roles.length, transcript.messages.length, 'transcript messages');
    expect(roles.includes('user') && roles.includes('assistant'), `the transcript lacks user or assistant messages: ${[...new Set(roles)].join(', ')}`);
    return `${shown.length} sessions; ${session.sessionId}: ${roles.length} messages (${roles.filter((role) => role === 'user').length} user, ${roles.filter((role) => role === 'assistant').length} assistant)`;
  });

  await report.check('setup page shows all three tools as received', async () => {
    await openByNav(page, 'setup', { path: '/setup', heading: 'Setup' });
    const status = await getJson(apiUrl(origin, '/api/setup/status'));
    for (const tool of ['claude-code', 'codex', 'gemini']) {
      const line = page.locator(`[data-testid="setup-status-${tool}"]`);
      await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-connected') === 'true', `setup-status-${tool}`);
      const text = await line.textContent();
      expect(text.includes('Received'), `${tool}: ${text.trim()}`);
      const records = status.tools.find((entry) => entry.tool === tool)?.otlpRecords ?? 0;
      expect(text.replace(/,/g, '').includes(`${records} record`), `${tool} shows “${text.trim()}”, the API has ${records} records`);
    }
    const env = await page.textContent('[data-testid="setup-claude-env"]');
    expect(env.includes(new URL(otlp).origin), `the Claude Code snippet does not point at ${new URL(otlp).origin}`);
    // a browser cannot write ~/.claude/settings.json: it shows the status line to paste, with a copy button
    const statusLine = JSON.parse(await page.textContent('[data-testid="setup-claude-statusline"]'));
    expectEqual(JSON.stringify(statusLine), JSON.stringify({ statusLine: { type: 'command', command: 'ai-observer statusline' } }), 'the status-line snippet');
    expectEqual((await page.textContent('[data-testid="setup-claude-statusline-copy"]')).trim(), 'Copy', 'the status-line snippet’s copy button');
    expectEqual(await page.locator('[data-testid="setup-statusline-config"]').count(), 0, 'desktop-only status-line buttons in a browser');
    return 'claude-code, codex, gemini received; the status line to paste: ai-observer statusline';
  });

  await report.check('SQL page answers a query as /api/spend counts, downloads it as CSV, and refuses a write', async () => {
    await openByNav(page, 'sql', { path: '/sql', heading: 'SQL' });
    await page.locator('[data-testid="sql-tables"] li').first().waitFor();
    await page.fill('[data-testid="sql-editor"]', 'SELECT Tool, count(*) AS requests, sum(OutputTokens) AS output FROM usage_records WHERE Counted GROUP BY Tool ORDER BY Tool');
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid="sql-table"] tbody tr').first().waitFor();
    const shown = await page.$$eval('[data-testid="sql-table"] tbody tr', (rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent.trim())));
    const spend = await getJson(apiUrl(origin, '/api/spend', { groupBy: 'tool', from: '2000-01-01', to: '2100-01-01' }));
    const expected = spend.groups
      .map((group) => [group.key, String(group.requests), String(group.tokens.output)])
      .sort((a, b) => a[0].localeCompare(b[0]));
    expectEqual(JSON.stringify(shown), JSON.stringify(expected), 'SQL rows against /api/spend');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="sql-csv"]')]);
    const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
    const header = csv.split('\r\n')[0];
    expectEqual(header, 'Tool,requests,output', 'CSV header');
    expectEqual(csv.trim().split('\r\n').length, expected.length + 1, 'CSV lines');
    await page.fill('[data-testid="sql-editor"]', 'DELETE FROM usage_records');
    await page.click('[data-testid="sql-run"]');
    const refusal = (await page.locator('main .notice-error').first().textContent()).trim();
    expect(refusal.includes('only SELECT statements run here'), `the refusal says: ${refusal}`);
    const after = await getJson(apiUrl(origin, '/api/spend', { groupBy: 'tool', from: '2000-01-01', to: '2100-01-01' }));
    expectEqual(after.total.requests, spend.total.requests, 'requests after the refused DELETE');
    return `${shown.length} tools as /api/spend has them; CSV ${csv.length} bytes; DELETE refused`;
  });

  await report.check('team page shows spend by machine, by person and by host as /api/spend has it, and makes and revokes a machine token', async () => {
    const requests = recordApiRequests(page);
    await openByNav(page, 'team', { path: '/team', heading: 'Team' });
    await page.locator('[data-testid="spend-by-machine"] tbody tr').first().waitFor();
    await page.locator('[data-testid="spend-by-user"] tbody tr').first().waitFor();
    await page.locator('[data-testid="spend-by-host"] tbody tr').first().waitFor();
    requests.stop();
    const rowsOf = (testid) =>
      page.$$eval(`[data-testid="${testid}"] tbody tr`, (rows) =>
        rows.map((row) => [row.getAttribute('data-key'), row.querySelectorAll('td')[1].textContent.trim().replace(/,/g, ''), row.querySelector('.money').getAttribute('data-value')]),
      );
    const expectedRows = (answer) =>
      answer.groups.filter((group) => group.requests > 0).map((group) => [group.key, String(group.requests), group.costUsd === null ? 'null' : String(group.costUsd)]);
    const byMachine = await getJson(requests.find('/api/spend', { groupBy: 'machine' }));
    // The page asks by person twice: for the range and for this month (the budget); the rows show the range.
    const rangeFrom = new URL(requests.find('/api/spend', { groupBy: 'machine' })).searchParams.get('from');
    const byUser = await getJson(requests.find('/api/spend', { groupBy: 'user', from: rangeFrom }));
    expectEqual(JSON.stringify(await rowsOf('spend-by-machine')), JSON.stringify(expectedRows(byMachine)), 'machine rows against /api/spend?groupBy=machine');
    expectEqual(JSON.stringify(await rowsOf('spend-by-user')), JSON.stringify(expectedRows(byUser)), 'person rows against /api/spend?groupBy=user');
    const byHost = await getJson(requests.find('/api/spend', { groupBy: 'host' }));
    expect(byHost.groups.some((group) => group.key !== 'unknown'), 'the fixtures’ Codex and Gemini CLI runs name their host');
    expectEqual(JSON.stringify(await rowsOf('spend-by-host')), JSON.stringify(expectedRows(byHost)), 'host rows against /api/spend?groupBy=host');
    expectEqual(byHost.total.requests, byMachine.total.requests, 'hosts add up to the range total');
    const byTool = await getJson(requests.find('/api/spend', { groupBy: 'machine' }).replace('groupBy=machine', 'groupBy=tool'));
    expectEqual(byMachine.total.requests, byTool.total.requests, 'machines add up to the range total');

    await page.fill('[data-testid="token-name"]', 'e2e-laptop');
    await page.click('[data-testid="token-add"]');
    const lines = await page.locator('[data-testid="token-lines"]').textContent();
    const token = /Bearer (aio_[0-9a-f]{64})/.exec(lines)?.[1];
    expect(token, `the made token is shown with the exporter lines: ${lines}`);
    expect(lines.includes(`OTEL_EXPORTER_OTLP_ENDPOINT=${new URL(otlp).origin}`), `the lines point at ${new URL(otlp).origin}: ${lines}`);
    const sendEmpty = (bearer) =>
      fetch(new URL('/v1/logs', otlp), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: '{"resourceLogs":[]}' }).then((response) => response.status);
    expectEqual(await sendEmpty(token), 200, 'OTLP with the new token');
    const row = page.locator('[data-testid="tokens-table"] tr', { hasText: 'e2e-laptop' });
    expect((await row.textContent()).includes('in force'), 'the new token is listed in force');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.locator('[data-testid="tokens-table"] tr', { hasText: 'e2e-laptop' }).getByText('revoked').waitFor();
    expectEqual(await sendEmpty(token), 401, 'OTLP with the revoked token');
    return `${byMachine.groups.length} machine(s), ${byUser.groups.length} person key(s), hosts ${byHost.groups.map((group) => `${group.key}=${group.requests}`).join(' ')} as the API has them; token made, accepted, revoked, refused`;
  });

  await report.check('settings page shows the ports the engine listens on', async () => {
    await openByNav(page, 'settings', { path: '/settings', heading: 'Settings' });
    await page.locator('[data-testid="settings-port-api"]').waitFor();
    expectEqual(Number(await page.textContent('[data-testid="settings-port-api"]')), Number(new URL(origin).port), 'API port');
    expectEqual(Number(await page.textContent('[data-testid="settings-port-otlp-http"]')), Number(new URL(otlp).port), 'OTLP/HTTP port');
    expectEqual(await page.getAttribute('[data-testid="settings-receiving"]', 'data-paused'), 'false', 'receiving paused');
    return `API ${new URL(origin).port}, OTLP/HTTP ${new URL(otlp).port}`;
  });
}
