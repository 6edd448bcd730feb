import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { Settings } from '../../src/lib/api/types.gen';
import { userTimeZone } from '../../src/lib/features/time-range/time-zone.svelte';
import SettingsPage from '../../src/routes/SettingsPage.svelte';
import { createMemoryTransport } from '../support/memory-transport';

describe('SettingsPage', () => {
  it('shows ports and database read-only and saves time zone and budgets', async () => {
    let settings: Settings = {
      timeZone: 'UTC',
      dailyBudgetUsd: null,
      monthlyBudgetUsd: 200,
      ports: { api: 8080, otlpHttp: 4318, otlpGrpc: 4317 },
      databasePath: '/home/dev/.local/share/ai-observer/observer.duckdb',
      listen: '127.0.0.1',
      version: '0.1.0',
      receivingPaused: false,
      exportRoot: '/home/dev/.local/share/ai-observer/exports',
      limitAlerts: { warnPercent: 80, urgentPercent: 95, pace: true },
    };
    const transport = createMemoryTransport({
      settings_get: () => settings,
      settings_update: (update) =>
        (settings = { ...settings, ...update, timeZone: update.timeZone ?? settings.timeZone, exportRoot: update.exportRoot ?? settings.exportRoot }),
    });
    useTransport(transport);
    render(SettingsPage);

    expect((await screen.findByTestId('settings-port-api')).textContent).toBe('8080');
    expect(screen.getByTestId('settings-database').textContent).toBe('/home/dev/.local/share/ai-observer/observer.duckdb');
    expect(screen.getByTestId('settings-receiving').textContent).toContain('Receiving');
    const zone = screen.getByTestId<HTMLInputElement>('settings-time-zone');
    await waitFor(() => expect(zone.value).toBe('UTC'));
    expect(screen.getByTestId<HTMLInputElement>('settings-monthly-budget').value).toBe('200');

    await fireEvent.input(zone, { target: { value: 'Mars/Base' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect(await screen.findByText(/Use an IANA time zone/)).toBeTruthy();
    expect(transport.callsOf('settings_update')).toHaveLength(0);

    await fireEvent.input(zone, { target: { value: 'Europe/Berlin' } });
    await fireEvent.input(screen.getByTestId('settings-daily-budget'), { target: { value: '12.50' } });
    await fireEvent.input(screen.getByTestId('settings-monthly-budget'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    await screen.findByTestId('settings-saved');
    expect(transport.callsOf('settings_update')[0]?.request).toEqual({
      timeZone: 'Europe/Berlin',
      dailyBudgetUsd: 12.5,
      monthlyBudgetUsd: null,
      limitAlerts: { warnPercent: 80, urgentPercent: 95, pace: true },
    });

    await fireEvent.input(screen.getByTestId('settings-export-root'), { target: { value: '/mnt/archive/ai' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(transport.callsOf('settings_update')).toHaveLength(2));
    expect(transport.callsOf('settings_update')[1]?.request).toMatchObject({ exportRoot: '/mnt/archive/ai' });
    expect(userTimeZone.value).toBe('Europe/Berlin');
  });

  it('saves the plan-limit alerts, and refuses a warning that is not below the urgent alert', async () => {
    let settings: Settings = {
      timeZone: 'UTC',
      dailyBudgetUsd: null,
      monthlyBudgetUsd: null,
      ports: { api: 8080, otlpHttp: 4318, otlpGrpc: 4317 },
      databasePath: '/data/observer.duckdb',
      listen: '127.0.0.1',
      version: '0.1.0',
      receivingPaused: false,
      exportRoot: '/data/exports',
      limitAlerts: { warnPercent: 80, urgentPercent: 95, pace: true },
    };
    const transport = createMemoryTransport({
      settings_get: () => settings,
      settings_update: (update) => (settings = { ...settings, limitAlerts: update.limitAlerts ?? settings.limitAlerts }),
    });
    useTransport(transport);
    render(SettingsPage);

    const warn = await screen.findByTestId<HTMLInputElement>('settings-warn-percent');
    const urgent = screen.getByTestId<HTMLInputElement>('settings-urgent-percent');
    const pace = screen.getByTestId<HTMLInputElement>('settings-alert-pace');
    await waitFor(() => expect(warn.value).toBe('80'));
    expect(urgent.value).toBe('95');
    expect(pace.checked).toBe(true);

    await fireEvent.input(warn, { target: { value: '95' } });
    await fireEvent.input(urgent, { target: { value: '80' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('settings-urgent-percent-error')).textContent).toBe('The urgent alert must be above the warning: make its percent higher.');
    expect(urgent.getAttribute('aria-invalid')).toBe('true');
    expect(transport.callsOf('settings_update')).toHaveLength(0);

    await fireEvent.input(warn, { target: { value: '60' } });
    await fireEvent.input(urgent, { target: { value: '90' } });
    await fireEvent.click(pace);
    await fireEvent.click(screen.getByTestId('settings-save'));
    await screen.findByTestId('settings-saved');
    expect(transport.callsOf('settings_update')[0]?.request).toMatchObject({ limitAlerts: { warnPercent: 60, urgentPercent: 90, pace: false } });
    expect(screen.queryByTestId('settings-urgent-percent-error')).toBeNull();
    expect(warn.value).toBe('60');
    expect(settings.limitAlerts).toEqual({ warnPercent: 60, urgentPercent: 90, pace: false });
  });
});
