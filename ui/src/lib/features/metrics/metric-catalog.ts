// What the UI knows about the assistants' metrics: a readable name, the unit, the attributes worth
// splitting by, and which tool sends it. Unknown metrics still get a readable fallback name.

export type MetricUnit = 'count' | 'tokens' | 'usd' | 'ms' | 's' | 'bytes' | 'percent';

export type MetricInfo = { name: string; displayName: string; unit: MetricUnit; breakdowns: string[] };

const KNOWN: readonly MetricInfo[] = [
  { name: 'claude_code.session.count', displayName: 'Sessions', unit: 'count', breakdowns: [] },
  { name: 'claude_code.token.usage', displayName: 'Token Usage', unit: 'tokens', breakdowns: ['type', 'model'] },
  { name: 'claude_code.cost.usage', displayName: 'Cost', unit: 'usd', breakdowns: ['model'] },
  { name: 'claude_code.lines_of_code.count', displayName: 'Lines of Code', unit: 'count', breakdowns: ['type'] },
  { name: 'claude_code.pull_request.count', displayName: 'Pull Requests', unit: 'count', breakdowns: [] },
  { name: 'claude_code.commit.count', displayName: 'Commits', unit: 'count', breakdowns: [] },
  { name: 'claude_code.code_edit_tool.decision', displayName: 'Edit Decisions', unit: 'count', breakdowns: ['decision', 'tool', 'language'] },
  { name: 'claude_code.active_time.total', displayName: 'Active Time', unit: 's', breakdowns: [] },
  { name: 'gemini_cli.session.count', displayName: 'Sessions (Cumulative)', unit: 'count', breakdowns: [] },
  { name: 'gemini_cli.token.usage', displayName: 'Token Usage (Cumulative)', unit: 'tokens', breakdowns: ['type', 'model'] },
  { name: 'gemini_cli.token.usage.delta', displayName: 'Token Usage', unit: 'tokens', breakdowns: ['type', 'model'] },
  { name: 'gemini_cli.cost.usage', displayName: 'Cost', unit: 'usd', breakdowns: ['model'] },
  { name: 'gemini_cli.api.request.count', displayName: 'API Requests (Cumulative)', unit: 'count', breakdowns: ['model', 'status_code'] },
  { name: 'gemini_cli.api.request.count.delta', displayName: 'API Requests', unit: 'count', breakdowns: ['model', 'status_code'] },
  { name: 'gemini_cli.api.request.latency', displayName: 'API Latency', unit: 'ms', breakdowns: ['model'] },
  { name: 'gemini_cli.tool.call.count', displayName: 'Tool Calls', unit: 'count', breakdowns: ['function_name', 'success', 'decision'] },
  { name: 'gemini_cli.tool.call.latency', displayName: 'Tool Latency', unit: 'ms', breakdowns: ['function_name'] },
  { name: 'gemini_cli.lines.changed', displayName: 'Lines Changed', unit: 'count', breakdowns: ['type'] },
  { name: 'gemini_cli.memory.usage', displayName: 'Memory Usage', unit: 'bytes', breakdowns: ['memory_type'] },
  { name: 'gemini_cli.cpu.usage', displayName: 'CPU Usage', unit: 'percent', breakdowns: ['component'] },
  { name: 'codex_cli_rs.token.usage', displayName: 'Token Usage', unit: 'tokens', breakdowns: ['type', 'model'] },
  { name: 'codex_cli_rs.cost.usage', displayName: 'Cost', unit: 'usd', breakdowns: ['model'] },
];

const TOOL_PREFIXES: [string, string][] = [
  ['claude_code.', 'Claude Code'],
  ['gemini_cli.', 'Gemini CLI'],
  ['codex_cli_rs.', 'Codex CLI'],
  ['gen_ai.', 'GenAI'],
];

export function metricInfo(name: string): MetricInfo | undefined {
  return KNOWN.find((info) => info.name === name);
}

export function metricTool(name: string): string {
  return TOOL_PREFIXES.find(([prefix]) => name.startsWith(prefix))?.[1] ?? 'Other';
}

/** Metric names grouped by the tool that sends them (tools in order of first appearance), for a grouped select. */
export function metricNamesByTool(names: readonly string[]): [tool: string, names: string[]][] {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const tool = metricTool(name);
    groups.set(tool, [...(groups.get(tool) ?? []), name]);
  }
  return [...groups.entries()];
}

/** "claude_code.lines_of_code.count" -> "Lines Of Code Count" for metrics not in the catalog. */
export function metricDisplayName(name: string): string {
  const known = metricInfo(name);
  if (known) return known.displayName;
  const prefix = TOOL_PREFIXES.find(([tool]) => name.startsWith(tool))?.[0] ?? '';
  const rest = name.slice(prefix.length) || name;
  return rest
    .split(/[._]/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

export function metricUnit(name: string): MetricUnit {
  const known = metricInfo(name);
  if (known) return known.unit;
  if (name.includes('cost')) return 'usd';
  if (name.includes('token')) return 'tokens';
  if (name.includes('latency') || name.includes('duration')) return 'ms';
  return 'count';
}

export function metricBreakdowns(name: string): string[] {
  return metricInfo(name)?.breakdowns ?? [];
}
