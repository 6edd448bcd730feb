// What a session is called in the Overview's top list: its title when the API gives one, else its
// first prompt, else the first eight characters of its id — never a bare 36-character UUID — with the
// tool and model beside it when the sessions list knows them.
import type { Session } from '../../api/types.gen';

/** Fields a newer engine may add to a session; read when present. */
type NamedSession = Session & { title?: string | null; firstPrompt?: string | null };

export type SessionName = { text: string; tool: string | null; model: string | null; isId: boolean };

const PROMPT_LENGTH = 60;

export function shortSessionId(sessionId: string): string {
  return sessionId.length > 8 ? sessionId.slice(0, 8) : sessionId;
}

function oneLine(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

export function sessionName(sessionId: string, session: NamedSession | undefined): SessionName {
  const tool = session?.serviceName ?? null;
  const model = session?.model ?? null;
  const title = session?.title?.trim();
  if (title) return { text: oneLine(title, PROMPT_LENGTH), tool, model, isId: false };
  const prompt = session?.firstPrompt?.trim();
  if (prompt) return { text: oneLine(prompt, PROMPT_LENGTH), tool, model, isId: false };
  return { text: sessionId ? shortSessionId(sessionId) : '(no session)', tool, model, isId: true };
}

/** Sessions by id, for naming many keys at once. */
export function sessionsById(sessions: readonly Session[]): Map<string, Session> {
  return new Map(sessions.map((session) => [session.sessionId, session]));
}
