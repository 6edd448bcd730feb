// The Team page's spend: the range by machine, by person and by host, each machine's cost per day (the
// eight costliest, for the stacked chart), and each person's spend this month for the budget column.
import { api } from '../../api/client';
import type { BudgetResponse, SpendResponse } from '../../api/types.gen';
import type { NamedSpend } from '../costs/cost-series';
import type { ResolvedRange } from '../time-range/selection';

export type TeamSpend = {
  byMachine: SpendResponse;
  byUser: SpendResponse;
  /** By `host.name`, as the tools name the computer (not every tool sends it). */
  byHost: SpendResponse;
  dailyByMachine: NamedSpend[];
  /** Each person's spend from the first of this month (in `tz`) until now. */
  userMonth: SpendResponse;
  budget: BudgetResponse;
};

/** Machines drawn in the chart; the rest are in the table. */
const CHARTED_MACHINES = 8;

/** The first day of the current month in `tz`, as a bare date (the API reads it as that day in `tz`). */
export function firstOfMonth(tz: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-01`;
}

export async function loadTeamSpend(range: ResolvedRange, tz: string): Promise<TeamSpend> {
  const window = { from: range.from.toISOString(), to: range.to.toISOString(), tz };
  const [byMachine, byUser, byHost, userMonth, budget] = await Promise.all([
    api.spend.query({ ...window, groupBy: 'machine' }),
    api.spend.query({ ...window, groupBy: 'user' }),
    api.spend.query({ ...window, groupBy: 'host' }),
    api.spend.query({ from: firstOfMonth(tz), to: new Date().toISOString(), tz, groupBy: 'user' }),
    api.budget.get({ tz }),
  ]);
  const charted = byMachine.groups.filter((group) => group.requests > 0).slice(0, CHARTED_MACHINES);
  const dailyByMachine = await Promise.all(
    charted.map(async (group): Promise<NamedSpend> => ({ name: group.key, days: (await api.spend.query({ ...window, groupBy: 'day', machine: group.key })).groups })),
  );
  return { byMachine, byUser, byHost, dailyByMachine, userMonth, budget };
}

/** How a machine key reads: `local` is the server's own rows (no token). */
export function machineLabel(key: string): string {
  return key === 'local' ? 'This server (no token)' : key;
}

/** How a host key reads: `unknown` is usage from tools that do not send `host.name`. */
export function hostLabel(key: string): string {
  return key === 'unknown' ? 'Not sent by the tool' : key;
}

/** How a person key reads: `unknown` is usage whose data names no one. */
export function userLabel(key: string): string {
  return key === 'unknown' ? 'Not named' : key;
}
