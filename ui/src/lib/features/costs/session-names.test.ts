import { describe, expect, it } from 'vitest';
import type { Session } from '../../api/types.gen';
import { sessionName } from './session-names';

const session: Session = { sessionId: '729b2895-3270-4bb9-ba1d-f11545480b27', serviceName: 'claude-code', startTime: '', lastTime: '', messageCount: 3, model: 'claude-haiku-4-5' };

describe('session names', () => {
  it('prefers a title, then the first prompt, then a short id', () => {
    expect(sessionName(session.sessionId, { ...session, title: 'Fix the login bug' }).text).toBe('Fix the login bug');
    expect(sessionName(session.sessionId, { ...session, firstPrompt: '  why does\n the build   fail on CI when the cache is cold and the runner is new?' }).text).toBe(
      'why does the build fail on CI when the cache is cold and th…',
    );
    expect(sessionName(session.sessionId, session)).toEqual({ text: '729b2895', tool: 'claude-code', model: 'claude-haiku-4-5', isId: true });
    expect(sessionName('abc', undefined)).toEqual({ text: 'abc', tool: null, model: null, isId: true });
  });
});
