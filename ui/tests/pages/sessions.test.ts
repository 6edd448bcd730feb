import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import SessionsPage from '../../src/routes/SessionsPage.svelte';
import TranscriptPage from '../../src/routes/TranscriptPage.svelte';
import { createMemoryTransport } from '../support/memory-transport';

describe('SessionsPage', () => {
  it('lists sessions linking to their transcripts', async () => {
    useTransport(
      createMemoryTransport({
        services_list: () => ({ services: ['claude-code'] }),
        sessions_list: () => ({
          sessions: [{ sessionId: 'sess/1', serviceName: 'claude-code', startTime: '2026-11-28T10:00:00Z', lastTime: '2026-11-28T10:30:00Z', messageCount: 1234, model: 'claude-sonnet-4-5' }],
          total: 1,
          hasMore: false,
        }),
      }),
    );
    render(SessionsPage);
    const table = await screen.findByTestId('sessions-table');
    expect(table.textContent).toContain('claude-sonnet-4-5');
    expect(table.textContent).toContain('1,234');
    expect(table.textContent).toContain('30m');
    expect(screen.getByRole('link', { name: 'sess/1' }).getAttribute('href')).toBe('/sessions/sess%2F1');
    expect(window.location.search).toContain('timeframe=7d');
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
      session_transcript: ({ sessionId }) => ({
        sessionId,
        serviceName: 'claude-code',
        startTime: '2026-11-28T10:00:00Z',
        lastTime: '2026-11-28T10:05:00Z',
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
    expect(screen.getByTestId('transcript-cost').textContent).toBe('$0.0042');
    expect(screen.getByText(/Tool calls \(1\)/)).toBeTruthy();

    await fireEvent.click(screen.getByTestId('role-user'));
    expect(screen.queryByText('Please fix the flaky test')).toBeNull();

    await fireEvent.click(screen.getByTestId('view-timeline'));
    const timeline = await screen.findByTestId('transcript-timeline');
    expect(timeline.textContent).toContain('Tool calls: Bash');
    expect(timeline.textContent).toContain('2.1 s');
    expect(localStorage.getItem('ai-observer-session-transcript-filters-v1')).toContain('"view":"timeline"');
  });
});
