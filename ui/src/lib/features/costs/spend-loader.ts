// The spend queries of the overview, kept few and in two waves: first the numbers (the summary and
// budget, and the range grouped by model, whose total holds the range's cost and tokens), then the
// breakdowns — cost per day once per tool and once in total (for the stacked chart; the total minus
// the tools is usage no tool claims, which `tool=` cannot filter) and the range by session and project.
import { api } from '../../api/client';
import type { BudgetResponse, SpendResponse, SpendSummary } from '../../api/types.gen';
import { TOOL_KEYS, toolDisplayName } from '../../format/tools';
import type { ResolvedRange } from '../time-range/selection';
import { unattributedDays, type NamedSpend } from './cost-series';

export type SpendHeadline = { summary: SpendSummary; budget: BudgetResponse };

export type SpendBreakdown = {
  dailyByTool: NamedSpend[];
  bySession: SpendResponse;
  byProject: SpendResponse;
};

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
  const perTool = Promise.all(
    TOOL_KEYS.map(async (tool): Promise<NamedSpend> => ({
      name: toolDisplayName(tool),
      days: (await api.spend.query({ ...window, groupBy: 'day', tool })).groups,
    })),
  );
  const [tools, dailyTotal, bySession, byProject] = await Promise.all([
    perTool,
    api.spend.query({ ...window, groupBy: 'day' }),
    api.spend.query({ ...window, groupBy: 'session' }),
    api.spend.query({ ...window, groupBy: 'project' }),
  ]);
  const rest = unattributedDays(dailyTotal.groups, tools);
  const dailyByTool = rest.length > 0 ? [...tools, { name: toolDisplayName('unknown'), days: rest }] : tools;
  return { dailyByTool, bySession, byProject };
}
