// The spend queries of the overview, kept few: cost per day once per tool (for the stacked chart),
// then one call each grouped by model, session and project for the selected range.
import { api } from '../../api/client';
import type { BudgetResponse, SpendResponse, SpendSummary } from '../../api/types.gen';
import { TOOL_KEYS, toolDisplayName } from '../../format/tools';
import type { ResolvedRange } from '../time-range/selection';
import type { NamedSpend } from './cost-series';

export type SpendHeadline = { summary: SpendSummary; budget: BudgetResponse };

export type SpendBreakdown = {
  dailyByTool: NamedSpend[];
  byModel: SpendResponse;
  bySession: SpendResponse;
  byProject: SpendResponse;
};

export async function loadSpendHeadline(tz: string): Promise<SpendHeadline> {
  const [summary, budget] = await Promise.all([api.spend.summary({ tz }), api.budget.get({ tz })]);
  return { summary, budget };
}

export async function loadSpendBreakdown(range: ResolvedRange, tz: string): Promise<SpendBreakdown> {
  const window = { from: range.from.toISOString(), to: range.to.toISOString(), tz };
  const daily = Promise.all(
    TOOL_KEYS.map(async (tool) => ({
      name: toolDisplayName(tool),
      response: await api.spend.query({ ...window, groupBy: 'day', tool }),
    })),
  );
  const [dailyByTool, byModel, bySession, byProject] = await Promise.all([
    daily,
    api.spend.query({ ...window, groupBy: 'model' }),
    api.spend.query({ ...window, groupBy: 'session' }),
    api.spend.query({ ...window, groupBy: 'project' }),
  ]);
  return { dailyByTool, byModel, bySession, byProject };
}
