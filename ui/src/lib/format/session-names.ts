// What a session is called wherever it is listed (the Overview's top sessions, the Sessions page):
// its title (the tool's own, or its first prompt) when the API gives one, else the first eight
// characters of its id — never a bare 36-character UUID — with its tool and model beside it.
import type { Session } from '../api/types.gen';

export type SessionName = { text: string; tool: string | null; model: string | null; isId: boolean };

const TITLE_LENGTH = 60;

export function shortSessionId(sessionId: string): string {
  return sessionId.length > 8 ? sessionId.slice(0, 8) : sessionId;
}

function oneLine(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

/** `limit`: the longest title kept, in characters (longer ones end in "…"). */
export function sessionName(sessionId: string, session: Pick<Session, 'tool' | 'serviceName' | 'model' | 'title'> | undefined, limit = TITLE_LENGTH): SessionName {
  const tool = session ? (session.tool ?? session.serviceName) : null;
  const model = session?.model ?? null;
  const title = session?.title?.trim();
  if (title) return { text: oneLine(title, limit), tool, model, isId: false };
  return { text: sessionId ? shortSessionId(sessionId) : '(no session)', tool, model, isId: true };
}

/** Sessions by id, for naming many keys at once. */
export function sessionsById(sessions: readonly Session[]): Map<string, Session> {
  return new Map(sessions.map((session) => [session.sessionId, session]));
}
