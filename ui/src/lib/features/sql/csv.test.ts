import { describe, expect, it } from 'vitest';
import { csvFileName, toCsv } from './csv';

describe('toCsv', () => {
  it('quotes only what needs quoting and leaves null empty', () => {
    expect(toCsv(['tool', 'note', 'cost'], [['codex', 'a "quoted", word', 0.5], ['gemini', 'two\nlines', null], ['claude-code', 'plain', true]])).toBe(
      'tool,note,cost\r\ncodex,"a ""quoted"", word",0.5\r\ngemini,"two\nlines",\r\nclaude-code,plain,true\r\n',
    );
  });

  it('writes the header alone for an empty answer', () => {
    expect(toCsv(['a', 'b'], [])).toBe('a,b\r\n');
  });

  it('names the file after the time, without colons', () => {
    expect(csvFileName(new Date('2026-11-30T12:34:56.789Z'))).toBe('ai-observer-query-2026-11-30T12-34-56.csv');
  });
});
