import { describe, expect, it } from 'vitest';
import { buildPath, findRoute, matchPattern } from './match';

describe('route matching', () => {
  it('matches static and parameter segments', () => {
    expect(matchPattern('/', '/')).toEqual({});
    expect(matchPattern('/logs', '/logs/')).toEqual({});
    expect(matchPattern('/traces/:kind/:id', '/traces/codex_operation/ab%2Fc')).toEqual({ kind: 'codex_operation', id: 'ab/c' });
    expect(matchPattern('/traces/:kind/:id', '/traces/x')).toBeNull();
    expect(matchPattern('/sessions/:sessionId', '/sessions/%E0%A4%A')).toBeNull();
  });

  it('picks the first matching route and builds paths', () => {
    const routes = [{ pattern: '/dashboards' }, { pattern: '/dashboards/:id' }];
    expect(findRoute(routes, '/dashboards/42')).toEqual({ route: routes[1], params: { id: '42' } });
    expect(findRoute(routes, '/nope')).toBeNull();
    expect(buildPath('/sessions/:sessionId', { sessionId: 'a b' })).toBe('/sessions/a%20b');
  });
});
