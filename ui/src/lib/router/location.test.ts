import { afterEach, describe, expect, it } from 'vitest';
import { appLocation, navigate, replaceQuery, startRouter } from './location.svelte';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  document.body.innerHTML = '';
});

describe('History API routing', () => {
  it('pushes real URLs and counts visits, but not in-place query edits', () => {
    stop = startRouter();
    const before = appLocation.visit;
    navigate('/logs?severity=ERROR');
    expect(window.location.pathname).toBe('/logs');
    expect(appLocation.search).toBe('?severity=ERROR');
    expect(appLocation.visit).toBe(before + 1);

    replaceQuery((params) => params.set('timeframe', '1h'));
    expect(window.location.search).toBe('?severity=ERROR&timeframe=1h');
    expect(appLocation.visit).toBe(before + 1);

    window.history.pushState(null, '', '/traces');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(appLocation.pathname).toBe('/traces');
    expect(appLocation.visit).toBe(before + 2);
  });

  it('intercepts plain left clicks on same-origin links only', () => {
    stop = startRouter();
    document.body.innerHTML = '<a id="in" href="/sessions">in</a><a id="new-tab" href="/setup" target="_blank">tab</a><a id="out" href="https://example.invalid/">out</a>';
    const inside = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
    document.getElementById('in')?.dispatchEvent(inside);
    expect(inside.defaultPrevented).toBe(true);
    expect(window.location.pathname).toBe('/sessions');

    const modified = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ctrlKey: true });
    document.getElementById('in')?.dispatchEvent(modified);
    expect(modified.defaultPrevented).toBe(false);

    for (const id of ['new-tab', 'out']) {
      let preventedByRouter: boolean | null = null;
      // runs after the router's document listener: record its decision, then keep jsdom from navigating
      const after = (event: Event) => {
        preventedByRouter = event.defaultPrevented;
        event.preventDefault();
      };
      window.addEventListener('click', after, { once: true });
      document.getElementById(id)?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
      expect(preventedByRouter, id).toBe(false);
      expect(window.location.pathname).toBe('/sessions');
    }
  });
});
