// Client-side navigation over the History API: real URLs, `<a href>` links that are intercepted
// for same-origin left clicks, back/forward via popstate. The server answers every path with
// index.html (SPA fallback), so a reload lands on the same page.

class AppLocation {
  pathname = $state('/');
  search = $state('');
  /** Bumped by every history entry change (link, back, forward) but not by in-place query edits,
   *  so a page re-reads its URL state exactly when the user navigated. */
  visit = $state(0);

  sync(): void {
    if (typeof window === 'undefined') return;
    this.pathname = window.location.pathname || '/';
    this.search = window.location.search;
  }
}

export const appLocation = new AppLocation();
appLocation.sync();

/** An address resolved against the current one: a value to read, not state. */
function resolveUrl(href: string): URL {
  return new URL(href, window.location.href);
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const url = resolveUrl(href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.toString());
    return;
  }
  const target = `${url.pathname}${url.search}${url.hash}`;
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  const pathChanged = appLocation.pathname !== url.pathname;
  appLocation.sync();
  if (!options.replace) appLocation.visit += 1;
  if (pathChanged && !options.replace) document.scrollingElement?.scrollTo?.({ top: 0 });
}

/** Rewrites query parameters of the current URL in place (no history entry). */
export function replaceQuery(update: (params: URLSearchParams) => void): void {
  const url = resolveUrl(window.location.href);
  update(url.searchParams);
  const query = url.searchParams.toString();
  window.history.replaceState(window.history.state, '', `${url.pathname}${query ? `?${query}` : ''}${url.hash}`);
  appLocation.sync();
}

function shouldIntercept(event: MouseEvent, anchor: HTMLAnchorElement): boolean {
  if (event.defaultPrevented || event.button !== 0) return false;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  if (anchor.target && anchor.target !== '_self') return false;
  if (anchor.hasAttribute('download') || anchor.dataset.native !== undefined) return false;
  const href = anchor.getAttribute('href');
  if (!href || href.startsWith('#') || href.startsWith('mailto:')) return false;
  return new URL(anchor.href, window.location.href).origin === window.location.origin;
}

/** Starts link interception and popstate handling; returns the stop function. */
export function startRouter(): () => void {
  const onClick = (event: MouseEvent) => {
    const target = event.target as Element | null;
    const anchor = target?.closest?.('a') as HTMLAnchorElement | null;
    if (!anchor || !shouldIntercept(event, anchor)) return;
    event.preventDefault();
    navigate(anchor.href);
  };
  const onPopState = () => {
    appLocation.sync();
    appLocation.visit += 1;
  };
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', onPopState);
  appLocation.sync();
  return () => {
    document.removeEventListener('click', onClick);
    window.removeEventListener('popstate', onPopState);
  };
}
