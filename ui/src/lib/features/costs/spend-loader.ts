// The spend queries of the overview, kept few and in two waves: first the numbers (the summary and
// budget, and the range grouped by model, whose total holds the range's cost and tokens), then the
// breakdowns — the range by tool, by day, by session and by project, the sessions of the range (to
// name them), and cost per day once for each tool that has cost (for the stacked chart; the daily
// total minus the tools is usage no tool claims, which `tool=` cannot filter).
import { api } from '../../api/client';
import type { BudgetResponse, Session, SpendResponse, SpendSummary } from '../../api/types.gen';
import type { ResolvedRange } from '../time-range/selection';
import { unattributedDays, type NamedSpend } from './cost-series';

export type SpendHeadline = { summary: SpendSummary; budget: BudgetResponse };

export type SpendBreakdown = {
  byTool: SpendResponse;
  dailyTotal: SpendResponse;
  /** One entry per tool with cost in the range (name = the tool key), plus `unknown` for the rest. */
  dailyByTool: NamedSpend[];
  bySession: SpendResponse;
  byProject: SpendResponse;
  /** The range's sessions, for naming the session keys. */
  sessions: Session[];
};

/** How many of the range's costliest sessions are asked for to name the top sessions: more than
 *  the top list shows (10), so a tie at its end is named too. Sorted by cost like the list, so an
 *  old costly session is named as well as a recent one. */
const SESSIONS_FOR_NAMES = 25;

export async function loadSpendHeadline(tz: string): Promise<SpendHeadline> {
  const [summary, budget] = await Promise.all([api.spend.summary({ tz }), api.budget.get({ tz })]);
  return { summary, budget };
}

function windowOf(range: ResolvedRange, tz: string) {
  return { from: range.from.toISOString(), to: range.to.toISOString(), tz };
}

/** The range by model: its `total` is the range's cost, requests and tokens. */
export function loadSpendByModel(range: ResolvedRange, tz: string): Promise<SpendResponse> {
  return api.spend.query({ ...windowOf(range, tz), groupBy: 'model' });
}

export async function loadSpendBreakdown(range: ResolvedRange, tz: string): Promise<SpendBreakdown> {
  const window = windowOf(range, tz);
  const sessionsList = api.sessions
    .list({ from: window.from, to: window.to, sort: 'cost', limit: SESSIONS_FOR_NAMES })
    .then((answer) => answer.sessions)
    .catch(() => [] as Session[]);
  const [byTool, dailyTotal, bySession, byProject, sessions] = await Promise.all([
    api.spend.query({ ...window, groupBy: 'tool' }),
    api.spend.query({ ...window, groupBy: 'day' }),
    api.spend.query({ ...window, groupBy: 'session' }),
    api.spend.query({ ...window, groupBy: 'project' }),
    sessionsList,
  ]);
  const costlyTools = byTool.groups.filter((group) => (group.costUsd ?? 0) > 0 && group.key && group.key !== 'unknown').map((group) => group.key);
  const tools = await Promise.all(
    costlyTools.map(async (tool): Promise<NamedSpend> => ({ name: tool, days: (await api.spend.query({ ...window, groupBy: 'day', tool })).groups })),
  );
  const rest = unattributedDays(dailyTotal.groups, tools);
  const dailyByTool = rest.length > 0 ? [...tools, { name: 'unknown', days: rest }] : tools;
  return { byTool, dailyTotal, dailyByTool, bySession, byProject, sessions };
}
