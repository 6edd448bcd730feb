import { describe, expect, it } from 'vitest';
import type { Session } from '../api/types.gen';
import { sessionName } from './session-names';

const session: Session = {
  sessionId: '729b2895-3270-4bb9-ba1d-f11545480b27',
  serviceName: 'claude-code',
  tool: 'claude-code',
  startTime: '',
  lastTime: '',
  messageCount: 3,
  model: 'claude-haiku-4-5',
  requests: 2,
  tokens: { input: 0, cacheRead: 0, cacheCreation: 0, output: 0, reasoning: 0 },
  costUsd: null,
  unpricedRequests: 2,
  models: ['claude-haiku-4-5'],
  title: null,
  project: null,
};

describe('session names', () => {
  it('prefers the title, on one line and cut to the limit, then a short id', () => {
    expect(sessionName(session.sessionId, { ...session, title: 'Fix the login bug' }).text).toBe('Fix the login bug');
    expect(sessionName(session.sessionId, { ...session, title: '  why does\n the build   fail on CI when the cache is cold and the runner is new?' }).text).toBe(
      'why does the build fail on CI when the cache is cold and th…',
    );
    expect(sessionName(session.sessionId, { ...session, title: 'a long title' }, 6).text).toBe('a lon…');
    expect(sessionName(session.sessionId, session)).toEqual({ text: '729b2895', tool: 'claude-code', model: 'claude-haiku-4-5', isId: true });
    expect(sessionName('abc', undefined)).toEqual({ text: 'abc', tool: null, model: null, isId: true });
  });

  it('names the tool by its key, else by the service name', () => {
    expect(sessionName(session.sessionId, { ...session, tool: 'codex', serviceName: 'codex_exec' }).tool).toBe('codex');
    expect(sessionName(session.sessionId, { ...session, tool: null, serviceName: 'gemini-cli' }).tool).toBe('gemini-cli');
  });
});
