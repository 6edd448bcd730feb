import { describe, expect, it } from 'vitest';
import { minDurationChoices, minDurationLabel, minDurationOf, minDurationParam, sortParam, traceSortOf, tracesRequest, TRACE_SORTS } from './trace-order';

const asked = { from: '2026-11-28T11:00:00.000Z', to: '2026-11-28T12:00:00.000Z', limit: 20, offset: 40 };

describe('the sort in the URL', () => {
  it('reads duration and spans, and latest first for anything else', () => {
    expect(['duration', 'spans', '', undefined, 'start', 'cost', 'DURATION'].map(traceSortOf)).toEqual(['duration', 'spans', 'start', 'start', 'start', 'start', 'start']);
  });

  it('writes nothing for latest first, and round-trips every sort the select offers', () => {
    expect([sortParam('start'), sortParam('duration'), sortParam('spans')]).toEqual(['', 'duration', 'spans']);
    expect(TRACE_SORTS.map((choice) => traceSortOf(sortParam(choice.sort)))).toEqual(['start', 'duration', 'spans']);
    expect(TRACE_SORTS.map((choice) => choice.label)).toEqual(['Latest first', 'Longest first', 'Most spans']);
  });
});

describe('the minimum duration in the URL', () => {
  it('reads a whole, positive number of milliseconds, and any duration (0) for anything else', () => {
    expect(['1000', '250', '0', '', undefined, '-5', '0.5', '1e3', '1 s', 'abc', '4294967295', '4294967296'].map(minDurationOf)).toEqual([1000, 250, 0, 0, 0, 0, 0, 0, 0, 0, 4294967295, 0]);
  });

  it('writes nothing for any duration', () => {
    expect([minDurationParam(0), minDurationParam(1), minDurationParam(10_000), minDurationParam(-1), minDurationParam(0.5)]).toEqual(['', '1', '10000', '', '']);
  });

  it('labels each threshold as a duration', () => {
    expect([0, 1, 100, 1000, 10_000, 250, 90_000].map(minDurationLabel)).toEqual(['Any', '≥ 1 ms', '≥ 100 ms', '≥ 1 s', '≥ 10 s', '≥ 250 ms', '≥ 1m 30s']);
  });

  it('offers Any and the usual thresholds, plus, in order, one a link asked for', () => {
    const usual = [
      { param: '', label: 'Any' },
      { param: '1', label: '≥ 1 ms' },
      { param: '100', label: '≥ 100 ms' },
      { param: '1000', label: '≥ 1 s' },
      { param: '10000', label: '≥ 10 s' },
    ];
    expect(minDurationChoices('')).toEqual(usual);
    expect(minDurationChoices('1000')).toEqual(usual);
    expect(minDurationChoices('nonsense')).toEqual(usual);
    expect(minDurationChoices('250').map((choice) => choice.param)).toEqual(['', '1', '100', '250', '1000', '10000']);
    expect(minDurationChoices('60000').at(-1)).toEqual({ param: '60000', label: '≥ 1m' });
  });
});

describe('tracesRequest', () => {
  it('asks for latest first and no threshold by default, leaving the other filters as they are', () => {
    expect(tracesRequest({ ...asked, service: 'codex_cli_rs', search: 'auth' })).toEqual({ ...asked, service: 'codex_cli_rs', search: 'auth', sort: 'start' });
    expect(tracesRequest({ ...asked, sort: '', minDurationMs: '' })).toEqual({ ...asked, sort: 'start' });
  });

  it('passes the URL’s sort and threshold on as the API takes them', () => {
    expect(tracesRequest({ ...asked, sort: 'duration', minDurationMs: '1000' })).toEqual({ ...asked, sort: 'duration', minDurationMs: 1000 });
    expect(tracesRequest({ ...asked, sort: 'spans', minDurationMs: '100' })).toEqual({ ...asked, sort: 'spans', minDurationMs: 100 });
    expect(tracesRequest({ ...asked, sort: 'bogus', minDurationMs: '0.5' })).toEqual({ ...asked, sort: 'start' });
  });
});
