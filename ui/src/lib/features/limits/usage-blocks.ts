// Claude Code's 5-hour usage blocks (`/api/blocks`) as the Limits page lists them: one row per block
// with usage (the gaps between blocks are left out), newest first, its period in the user's time
// zone, and for the block still running how fast it spends and where that pace ends. They answer
// "how fast am I going" for API-key users, whom Claude Code reports no plan limits.
import type { UsageBlock } from '../../api/types.gen';
import { formatBucket, formatTimeOfDay, isSameDay, type DateStyleOptions } from '../../format/dates';
import { formatDurationSeconds } from '../../format/durations';
import { formatUsd } from '../../format/money';
import { formatCompact } from '../../format/numbers';
import { tokenBreakdown, totalTokens } from '../../format/tokens';

export type BlockRow = {
  key: string;
  /** "Nov 28, 1:00 PM – 6:00 PM": the block's five hours; the end date only when it is another day. */
  period: string;
  /** "last request 1:47 PM"; null for a block without a last request. */
  lastRequest: string | null;
  active: boolean;
  requests: number;
  tokens: number;
  /** The tokens by kind, for a tooltip. */
  tokenSplit: string;
  costUsd: number;
  models: string[];
  /** The running block's pace: "$12.40/h · 45.2K tokens/min"; null for the others or before a second request. */
  burnRate: string | null;
  /** Where that pace ends: "$18.60 (1.2M tokens) by 6:00 PM, 2h 5m from now"; null when there is none. */
  projection: string | null;
};

export function blockPeriod(block: Pick<UsageBlock, 'start' | 'end'>, style: DateStyleOptions): string {
  const end = isSameDay(block.start, block.end, style) ? formatTimeOfDay(block.end, style) : formatBucket(block.end, style);
  return `${formatBucket(block.start, style)} – ${end}`;
}

function burnRateText(block: UsageBlock): string | null {
  if (!block.isActive || !block.burnRate) return null;
  return `${formatUsd(block.burnRate.costPerHour)}/h · ${formatCompact(block.burnRate.tokensPerMinute)} tokens/min`;
}

function projectionText(block: UsageBlock, style: DateStyleOptions): string | null {
  if (!block.isActive || !block.projection) return null;
  const { totalCostUsd, totalTokens: tokens, remainingMinutes } = block.projection;
  const left = remainingMinutes > 0 ? `, ${formatDurationSeconds(remainingMinutes * 60)} from now` : '';
  return `${formatUsd(totalCostUsd)} (${formatCompact(tokens)} tokens) by ${formatTimeOfDay(block.end, style)}${left}`;
}

/** The blocks with usage, newest first. */
export function blockRows(blocks: readonly UsageBlock[], style: DateStyleOptions): BlockRow[] {
  return blocks
    .filter((block) => !block.isGap)
    .sort((a, b) => Date.parse(b.start) - Date.parse(a.start))
    .map((block) => ({
      key: block.start,
      period: blockPeriod(block, style),
      lastRequest: block.actualEnd ? `last request ${formatTimeOfDay(block.actualEnd, style)}` : null,
      active: block.isActive,
      requests: block.requests,
      tokens: totalTokens(block.tokens),
      tokenSplit: tokenBreakdown(block.tokens),
      costUsd: block.costUsd,
      models: [...block.models],
      burnRate: burnRateText(block),
      projection: projectionText(block, style),
    }));
}
