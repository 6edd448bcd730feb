import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { TimeRange } from './time-range.svelte';
import TimeRangePicker from './TimeRangePicker.svelte';
import { setUserTimeZone, userTimeZone } from './time-zone.svelte';

afterEach(() => setUserTimeZone(null));

describe('TimeRangePicker', () => {
  it('switches presets and reads custom ranges as wall time in the user zone', async () => {
    window.history.replaceState(null, '', '/traces');
    setUserTimeZone('Asia/Tokyo');
    expect(userTimeZone.value).toBe('Asia/Tokyo');
    const range = new TimeRange({ kind: 'relative', preset: '1h' });
    render(TimeRangePicker, { props: { range } });

    await fireEvent.change(screen.getByTestId('time-range-select'), { target: { value: '7d' } });
    expect(range.selection).toEqual({ kind: 'relative', preset: '7d' });
    expect(new URLSearchParams(window.location.search).get('timeframe')).toBe('7d');

    await fireEvent.change(screen.getByTestId('time-range-select'), { target: { value: 'custom' } });
    const [from, to] = screen.getAllByDisplayValue<HTMLInputElement>(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    await fireEvent.input(from as HTMLInputElement, { target: { value: '2026-11-28T09:00' } });
    await fireEvent.input(to as HTMLInputElement, { target: { value: '2026-11-28T18:00' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Apply' }));

    expect(range.selection).toEqual({ kind: 'absolute', from: '2026-11-28T00:00:00.000Z', to: '2026-11-28T09:00:00.000Z' });
    const params = new URLSearchParams(window.location.search);
    expect(params.get('from')).toBe('2026-11-28T00:00:00.000Z');
    expect(params.get('timeframe')).toBeNull();
    expect((JSON.parse(localStorage.getItem('ai-observer-timeselection') ?? '{}') as { kind?: string }).kind).toBe('absolute');
  });

  it('refuses an end before the start', async () => {
    const range = new TimeRange({ kind: 'relative', preset: '1h' });
    render(TimeRangePicker, { props: { range } });
    await fireEvent.change(screen.getByTestId('time-range-select'), { target: { value: 'custom' } });
    const [from, to] = screen.getAllByDisplayValue<HTMLInputElement>(/\d{4}-/);
    await fireEvent.input(from as HTMLInputElement, { target: { value: '2026-11-28T18:00' } });
    await fireEvent.input(to as HTMLInputElement, { target: { value: '2026-11-28T09:00' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByRole('alert').textContent).toContain('before the end');
    expect(range.selection.kind).toBe('relative');
  });
});
