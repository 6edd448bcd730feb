// The colour tokens of both themes meet WCAG AA where text sits on a background (4.5:1), and every
// tool colour and chart colour stands out from the card surface of both themes (3:1, the ratio for
// graphics). Read from the design-system stylesheet itself, so a changed token is checked.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PALETTE } from '../src/lib/components/chart-options';
import { SPARE_COLORS, TOOL_COLORS, UNKNOWN_TOOL, toolIdentity } from '../src/lib/components/tool-identity';

const CSS = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../src/lib/components/design-system.css'), 'utf8');

function block(selector: string): Record<string, string> {
  const start = CSS.indexOf(`${selector} {`);
  expect(start, selector).toBeGreaterThanOrEqual(0);
  const body = CSS.slice(start, CSS.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((match) => [match[1] as string, (match[2] as string).toLowerCase()]));
}

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((index) => parseInt(hex.slice(index, index + 2), 16) / 255).map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (channels[0] as number) + 0.7152 * (channels[1] as number) + 0.0722 * (channels[2] as number);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const light = block(':root');
const dark = { ...light, ...block(":root[data-theme='dark']") };

/** [text token, background token]: every pair the UI draws text with. */
const TEXT_PAIRS: [string, string][] = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['text', 'surface-2'],
  ['muted', 'bg'],
  ['muted', 'surface'],
  ['muted', 'surface-2'],
  ['accent', 'surface'],
  ['accent', 'bg'],
  ['accent', 'surface-2'],
  ['accent-text', 'accent'],
  ['on-danger', 'error'],
  ['ok', 'ok-bg'],
  ['warn', 'warn-bg'],
  ['error', 'error-bg'],
  ['info', 'info-bg'],
  ['text', 'warn-bg'],
  ['text', 'error-bg'],
  ['text', 'info-bg'],
  ['error', 'surface'],
];

describe('design tokens', () => {
  for (const [name, theme] of [['light', light], ['dark', dark]] as const) {
    it(`${name} theme: text pairs reach 4.5:1`, () => {
      const failing = TEXT_PAIRS.filter(([text, background]) => contrast(theme[text] as string, theme[background] as string) < 4.5).map(
        ([text, background]) => `${text} on ${background}: ${contrast(theme[text] as string, theme[background] as string).toFixed(2)}`,
      );
      expect(failing).toEqual([]);
    });

    it(`${name} theme: tool and chart colours reach 3:1 against the card surface`, () => {
      const colours = [...Object.values(TOOL_COLORS), UNKNOWN_TOOL.color, ...SPARE_COLORS, ...PALETTE];
      const failing = colours.filter((colour) => contrast(colour, theme.surface as string) < 3).map((colour) => `${colour}: ${contrast(colour, theme.surface as string).toFixed(2)}`);
      expect(failing).toEqual([]);
    });
  }

  it('gives every tool one colour whatever name it is reported under', () => {
    expect(toolIdentity('codex_exec').color).toBe(toolIdentity('codex').color);
    expect(toolIdentity('gemini-cli')).toEqual(toolIdentity('gemini'));
    expect(toolIdentity('claude_code').label).toBe('Claude Code');
    const other = toolIdentity('other:my-agent');
    expect(other.label).toBe('My agent');
    expect(toolIdentity('other:my-agent')).toEqual(other);
    expect(SPARE_COLORS).toContain(other.color);
    expect(toolIdentity(null)).toEqual(UNKNOWN_TOOL);
    expect(new Set(Object.values(TOOL_COLORS)).size).toBe(Object.keys(TOOL_COLORS).length);
  });
});
