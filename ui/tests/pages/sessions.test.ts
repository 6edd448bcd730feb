// The Sessions list and a session's page rendered with API answers from an in-memory transport:
// both show the API's totals for a session (requests, tokens, cost — "no price" when none has one).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { Session } from '../../src/lib/api/types.gen';
import SessionsPage from '../../src/routes/SessionsPage.svelte';
import TranscriptPage from '../../src/routes/TranscriptPage.svelte';
import { session, sessionTotals, tokens, transcript } from '../support/fixtures';
import { createMemoryTransport } from '../support/memory-transport';

const TITLED = session('sess/1', {
  title: 'Fix the flaky login test',
  project: '/home/dev/observer',
  models: ['claude-haiku-4-5', 'claude-sonnet-4-5'],
  model: 'claude-sonnet-4-5',
  messageCount: 1234,
  requests: 42,
  tokens: tokens({ input: 1000, cacheRead: 50_000, cacheCreation: 2000, output: 3000 }),
  costUsd: 1.2345,
  unpricedRequests: 2,
});
const UNPRICED = session('9d3c5e7a-0000-4bb9-ba1d-f11545480b27', { tool: 'gemini', serviceName: 'gemini-cli', models: ['gemini-9-preview'], requests: 3, costUsd: null, unpricedRequests: 3 });

function listTransport(sessions: Session[] = [TITLED, UNPRICED]) {
  return createMemoryTransport({
    services_list: () => ({ services: ['claude-code', 'gemini-cli'] }),
    sessions_list: () => ({ sessions, total: sessions.length, hasMore: false }),
  });
}

describe('SessionsPage', () => {
  it('lists each session with its title, tool, project, models, requests, tokens and cost from the API', async () => {
    useTransport(listTransport());
    render(SessionsPage);
    const table = await screen.findByTestId('sessions-table');
    const link = screen.getByRole('link', { name: 'Fix the flaky login test' });
    expect(link.getAttribute('href')).toBe('/sessions/sess%2F1');
    expect(screen.getByTestId('session-project-sess/1').textContent).toBe('observer');
    expect(screen.getByTestId('session-models-sess/1').textContent).toBe('claude-haiku-4-5, claude-sonnet-4-5');
    expect(table.textContent).toContain('Claude Code');
    expect(table.textContent).toContain('30m');
    const requests = screen.getByTestId('session-requests-sess/1');
    expect(requests.textContent).toBe('42');
    expect(requests.dataset.value).toBe('42');
    // the requests, not the log records (messageCount), are what the list counts
    expect(table.textContent).not.toContain('1,234');
    expect(screen.getByTestId('session-tokens-sess/1').textContent).toBe('56K');
    const cost = screen.getByTestId('session-cost-sess/1');
    expect(cost.textContent).toBe('$1.23');
    expect(cost.dataset.value).toBe('1.2345');
    expect(table.textContent).toContain('+ 2 unpriced');
    expect(window.location.search).toContain('timeframe=7d');
  });

  it('names a session without a title by its short id, and shows "no price" (never $0.00) when none of its requests has one', async () => {
    useTransport(listTransport());
    render(SessionsPage);
    await screen.findByTestId('sessions-table');
    expect(screen.getByRole('link', { name: '9d3c5e7a' }).getAttribute('href')).toBe(`/sessions/${UNPRICED.sessionId}`);
    const cost = screen.getByTestId(`session-cost-${UNPRICED.sessionId}`);
    expect(cost.textContent).toBe('no price');
    expect(cost.dataset.value).toBe('null');
    expect(cost.dataset.unpriced).toBe('true');
    expect(screen.getByTestId('sessions-table').textContent).not.toContain('$0.00');
    expect(screen.getByTestId(`session-requests-${UNPRICED.sessionId}`).textContent).toBe('3');
  });

  it('asks the API for the latest sessions first, and for the costliest (sort=cost) when the user picks cost', async () => {
    const transport = listTransport();
    useTransport(transport);
    render(SessionsPage);
    const select = await screen.findByTestId<HTMLSelectElement>('sessions-sort');
    await waitFor(() => expect(transport.callsOf('sessions_list').at(-1)?.request.sort).toBe('time'));
    expect(select.value).toBe('time');

    await fireEvent.change(select, { target: { value: 'cost' } });
    await waitFor(() => expect(transport.callsOf('sessions_list').at(-1)?.request).toMatchObject({ sort: 'cost', offset: 0 }));
    expect(new URLSearchParams(window.location.search).get('sort')).toBe('cost');

    await fireEvent.change(select, { target: { value: 'time' } });
    await waitFor(() => expect(transport.callsOf('sessions_list').at(-1)?.request.sort).toBe('time'));
    expect(new URLSearchParams(window.location.search).has('sort')).toBe(false);
  });

  it('starts sorted by cost when the URL says so', async () => {
    window.history.replaceState(null, '', '/sessions?sort=cost');
    const transport = listTransport();
    useTransport(transport);
    render(SessionsPage);
    const select = await screen.findByTestId<HTMLSelectElement>('sessions-sort');
    expect(select.value).toBe('cost');
    expect(transport.callsOf('sessions_list')[0]?.request.sort).toBe('cost');
  });
});

describe('SessionsPage, service filter', () => {
  it('starts from the service in the URL and keeps the chosen one there', async () => {
    window.history.replaceState(null, '', '/sessions?service=codex');
    const transport = createMemoryTransport({
      services_list: () => ({ services: ['claude-code', 'codex'] }),
      sessions_list: () => ({ sessions: [], total: 0, hasMore: false }),
    });
    useTransport(transport);
    render(SessionsPage);
    const select = await screen.findByTestId<HTMLSelectElement>('sessions-service');
    await waitFor(() => expect(select.options).toHaveLength(3));
    expect(select.value).toBe('codex');
    expect(transport.callsOf('sessions_list')[0]?.request.service).toBe('codex');

    await fireEvent.change(select, { target: { value: 'claude-code' } });
    await waitFor(() => expect(transport.callsOf('sessions_list').at(-1)?.request).toMatchObject({ service: 'claude-code', offset: 0 }));
    expect(new URLSearchParams(window.location.search).get('service')).toBe('claude-code');
    await fireEvent.change(select, { target: { value: '' } });
    await waitFor(() => expect(new URLSearchParams(window.location.search).has('service')).toBe(false));
  });
});

describe('TranscriptPage', () => {
  it('shows chat and timeline views, role filters with counts, and per-message cost', async () => {
    const transport = createMemoryTransport({
      session_transcript: ({ sessionId }) =>
        transcript(sessionId, {
          messages: [
            { timestamp: '2026-11-28T10:00:00Z', role: 'user', content: 'Please fix the flaky test', index: 0 },
            { timestamp: '2026-11-28T10:00:05Z', role: 'assistant', content: 'Looking at it now.', index: 1, model: 'claude-sonnet-4-5', inputTokens: 1200, outputTokens: 300, cacheRead: 5000, costUsd: 0.0042, durationMs: 2100 },
            { timestamp: '2026-11-28T10:00:09Z', role: 'tool_use', content: '', index: 2, toolName: 'Bash', toolInput: '{"command":"npm test"}' },
          ],
        }),
    });
    useTransport(transport);
    render(TranscriptPage, { props: { params: { sessionId: 'abc-123' } } });

    const chat = await screen.findByTestId('transcript-chat');
    expect(chat.textContent).toContain('Please fix the flaky test');
    expect(transport.callsOf('session_transcript')[0]?.request).toEqual({ sessionId: 'abc-123' });
    const cost = screen.getByTestId('message-cost-1');
    expect(cost.textContent).toBe('$0.0042');
    expect(cost.dataset.value).toBe('0.0042');
    expect(screen.getByText(/Tool calls \(1\)/)).toBeTruthy();

    await fireEvent.click(screen.getByTestId('role-user'));
    expect(screen.queryByText('Please fix the flaky test')).toBeNull();

    await fireEvent.click(screen.getByTestId('view-timeline'));
    const timeline = await screen.findByTestId('transcript-timeline');
    expect(timeline.textContent).toContain('Tool calls: Bash');
    expect(timeline.textContent).toContain('2.1 s');
    expect(localStorage.getItem('ai-observer-session-transcript-filters-v1')).toContain('"view":"timeline"');
  });

  it('shows the title and the API’s summary, not a sum of the messages', async () => {
    const summary = sessionTotals({
      requests: 7,
      tokens: tokens({ input: 1500, cacheRead: 20_000, cacheCreation: 800, output: 2500, reasoning: 400 }),
      costUsd: 0.0731,
      unpricedRequests: 1,
      models: ['gpt-5.5', 'gpt-6.2-sol'],
      title: 'List the files and summarise them',
      project: '/home/dev/observer',
    });
    useTransport(
      createMemoryTransport({
        session_transcript: ({ sessionId }) =>
          transcript(sessionId, {
            serviceName: 'codex_exec',
            summary,
            messages: [{ timestamp: '2026-11-28T10:00:05Z', role: 'assistant', content: 'Done.', index: 0, inputTokens: 1, outputTokens: 1, costUsd: 0.0001 }],
          }),
      }),
    );
    render(TranscriptPage, { props: { params: { sessionId: 'codex-1' } } });

    expect((await screen.findByTestId('transcript-title')).textContent).toBe('List the files and summarise them');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('List the files and summarise them');
    const requests = screen.getByTestId('transcript-requests');
    expect(requests.textContent).toBe('7');
    expect(requests.dataset.value).toBe('7');
    const cost = screen.getByTestId('transcript-cost');
    expect(cost.textContent).toBe('$0.07');
    expect(cost.dataset.value).toBe('0.0731');
    expect(screen.getByTestId('transcript-tokens').textContent).toBe('1.5K in · 20K cache read · 800 cache write · 2.5K out (400 reasoning)');
    expect(screen.getByTestId('transcript-models').textContent).toBe('gpt-5.5, gpt-6.2-sol');
    expect(screen.getByTestId('transcript-project').textContent).toBe('/home/dev/observer');
    expect(screen.getByTestId('transcript-summary').textContent).toContain('Codex');
    expect(screen.getByTestId('transcript-summary').textContent).toContain('1 requests without a price');
  });

  it('says "no price", never $0.00, for a session none of whose requests has a price', async () => {
    useTransport(createMemoryTransport({ session_transcript: ({ sessionId }) => transcript(sessionId, { summary: sessionTotals({ requests: 3, costUsd: null, unpricedRequests: 3 }) }) }));
    render(TranscriptPage, { props: { params: { sessionId: 'gemini-1' } } });
    const cost = await screen.findByTestId('transcript-cost');
    expect(cost.textContent).toBe('no price');
    expect(cost.dataset.value).toBe('null');
    expect(screen.getByTestId('transcript-summary').textContent).not.toContain('$0.00');
    // no title: the heading names the session by its id
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Session gemini-1');
  });
});

describe('Sessions list and session page', () => {
  it('show the same requests, tokens and cost for a session, both from the API', async () => {
    const totals = sessionTotals({ requests: 19, tokens: tokens({ input: 400, cacheRead: 9000, output: 1200 }), costUsd: 0.4567, models: ['claude-sonnet-4-5'], title: 'Same numbers' });
    const listed = session('same-1', totals);
    useTransport(
      createMemoryTransport({
        services_list: () => ({ services: ['claude-code'] }),
        sessions_list: () => ({ sessions: [listed], total: 1, hasMore: false }),
        session_transcript: ({ sessionId }) => transcript(sessionId, { summary: totals }),
      }),
    );
    render(SessionsPage);
    const listRequests = await screen.findByTestId('session-requests-same-1');
    const onList = {
      requests: listRequests.dataset.value,
      tokens: screen.getByTestId('session-tokens-same-1').dataset.value,
      cost: screen.getByTestId('session-cost-same-1').dataset.value,
      costText: screen.getByTestId('session-cost-same-1').textContent,
    };
    cleanup();

    render(TranscriptPage, { props: { params: { sessionId: 'same-1' } } });
    const pageRequests = await screen.findByTestId('transcript-requests');
    const onPage = {
      requests: pageRequests.dataset.value,
      tokens: screen.getByTestId('transcript-tokens').dataset.value,
      cost: screen.getByTestId('transcript-cost').dataset.value,
      costText: screen.getByTestId('transcript-cost').textContent,
    };
    expect(onList).toEqual({ requests: '19', tokens: '10600', cost: '0.4567', costText: '$0.46' });
    expect(onPage).toEqual(onList);
  });

  it("shows each sub-agent's requests and cost on a line of its own, inside the session's total", async () => {
    const subAgents = [
      { agentId: 'Explore', requests: 2, tokens: tokens({ input: 25, cacheRead: 4102, cacheCreation: 4490, output: 320 }), costUsd: 0.0123, unpricedRequests: 0 },
    ];
    useTransport(
      createMemoryTransport({
        session_transcript: ({ sessionId }) => transcript(sessionId, { summary: sessionTotals({ requests: 4, costUsd: 0.05 }), subAgents }),
      }),
    );
    render(TranscriptPage, { props: { params: { sessionId: 'claude-1' } } });
    const line = await screen.findByTestId('transcript-subagent-Explore');
    expect(line.textContent).toContain('Explore');
    expect(line.textContent).toContain('2 requests');
    expect(screen.getByTestId('transcript-subagent-cost-Explore').textContent).toBe('$0.01');
    expect(screen.getByTestId('transcript-cost').textContent).toBe('$0.05');
  });
});
