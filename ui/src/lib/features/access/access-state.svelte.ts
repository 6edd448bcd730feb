// Whether the shell must ask for an access token: a team's server answered an API request with
// 401. A saved token that was refused is forgotten at once (so it is not sent again) and that
// refusal is remembered for the sign-in panel. Signing in or out stores or drops the token and
// reloads the page, so every page and the live socket start over with it.
import { accessToken, clearAccessToken, onUnauthorized, setAccessToken } from '../../api/access-token';

export class AccessGate {
  /** A request was refused for want of a (valid) token: show the sign-in panel. */
  needed = $state(false);
  /** The refused request carried a saved token: it was wrong or has been revoked. */
  refused = $state(false);
  /** What the server said when it refused. */
  message = $state('');
  /** A token is saved for this server (the Sign out button shows). */
  signedIn = $state(accessToken() !== null);

  /** Listens for 401 answers; returns the unsubscribe. */
  watch(): () => void {
    return onUnauthorized((message) => this.unauthorized(message));
  }

  private unauthorized(message: string): void {
    const refusedNow = accessToken() !== null;
    if (refusedNow) {
      this.refused = true;
      clearAccessToken();
    }
    // requests sent after the token was forgotten are refused too ("needs a token"): the first
    // answer, or the one that refused the saved token, says more, and the flag stays set
    if (!this.needed || refusedNow) this.message = message;
    this.signedIn = false;
    this.needed = true;
  }
}

/** Keeps `input` (trimmed) as the token and reloads; returns why not when it cannot be used. */
export function signIn(input: string): string | null {
  const token = input.trim();
  if (token.length === 0) return 'Enter a token.';
  // a header value (and a WebSocket subprotocol) has no spaces or other unprintable characters
  if (/[^\x21-\x7e]/.test(token)) return 'A token has no spaces or special characters; check what was pasted.';
  setAccessToken(token);
  location.reload();
  return null;
}

export function signOut(): void {
  clearAccessToken();
  location.reload();
}
