import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import { ApiError } from '../../src/lib/api/errors';
import type { DestinationStatus, ForwardHeader, ForwardProtocol, ForwardingStatus, ForwardingUpdate, Settings } from '../../src/lib/api/types.gen';
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

/** The engine's forwarding as far as the card sees it: startup destinations always in force, the
 *  ones added in the app replaced by each update (stored headers kept when an entry has none). */
function fakeForwarding(startup: DestinationStatus[]) {
  let fullContent = false;
  let added: { url: string; protocol: ForwardProtocol; headers: ForwardHeader[] }[] = [];
  const status = (): ForwardingStatus => ({
    fullContent,
    destinations: [
      ...startup,
      ...added.map((kept) => destination({ url: kept.url, protocol: kept.protocol, source: 'settings', headerNames: kept.headers.map((header) => header.name) })),
    ],
  });
  const update = (request: ForwardingUpdate): ForwardingStatus => {
    if (request.destinations) {
      const refused = request.destinations.find((entry) => entry.url.includes('refused'));
      if (refused) throw new ApiError('bad_request', `destination "${refused.url}" cannot be reached`, 400);
      added = request.destinations.map((entry) => {
        const protocol = entry.protocol ?? 'http/protobuf';
        const stored = added.find((kept) => kept.url === entry.url && kept.protocol === protocol);
        return { url: entry.url, protocol, headers: entry.headers ?? stored?.headers ?? [] };
      });
    }
    if (request.fullContent !== undefined) fullContent = request.fullContent;
    return status();
  };
  return { status, update, stored: () => added };
}

function destination(partial: Partial<DestinationStatus>): DestinationStatus {
  return { url: '', protocol: 'http/protobuf', source: 'startup', headerNames: [], queued: 0, queuedBytes: 0, sent: 0, dropped: 0, lastSuccess: null, lastError: null, lastErrorAt: null, ...partial };
}

describe('SettingsPage forwarding', () => {
  it('leads with the form when nothing is forwarded, checks the header lines and adds a destination', async () => {
    const forwarding = fakeForwarding([]);
    const transport = createMemoryTransport({ forwarding_status: () => forwarding.status(), forwarding_update: (update) => forwarding.update(update) });
    useTransport(transport);
    render(SettingsPage);

    const card = await screen.findByTestId('forwarding');
    const form = await screen.findByTestId('forwarding-form');
    expect(card.textContent).toContain('Off: nothing is forwarded yet.');
    // the form comes before the content switch and the start-up route
    expect(form.compareDocumentPosition(screen.getByTestId('forwarding-content')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByTestId('forwarding-startup-hint').textContent).toContain('AI_OBSERVER_FORWARD_URL');
    expect(screen.queryByTestId('forwarding-table')).toBeNull();
    expect(screen.getByTestId<HTMLSelectElement>('forwarding-protocol').value).toBe('http/protobuf');

    await fireEvent.input(screen.getByTestId('forwarding-url'), { target: { value: 'https://collector.example:4317' } });
    await fireEvent.change(screen.getByTestId('forwarding-protocol'), { target: { value: 'grpc' } });
    await fireEvent.input(screen.getByTestId('forwarding-headers'), { target: { value: 'Authorization=Bearer aio_s3cret=\n\nX-Team core' } });
    await fireEvent.click(screen.getByTestId('forwarding-add'));
    expect((await screen.findByTestId('forwarding-headers-error')).textContent).toContain('Line 3: write the header as Name=Value');
    expect(screen.getByTestId('forwarding-headers').getAttribute('aria-invalid')).toBe('true');
    expect(transport.callsOf('forwarding_update')).toHaveLength(0);

    await fireEvent.input(screen.getByTestId('forwarding-headers'), { target: { value: 'Authorization=Bearer aio_s3cret=\n\nX-Team=core' } });
    await fireEvent.click(screen.getByTestId('forwarding-add'));
    await screen.findByTestId('forwarding-table');
    expect(transport.callsOf('forwarding_update')[0]?.request).toEqual({
      destinations: [
        {
          url: 'https://collector.example:4317',
          protocol: 'grpc',
          headers: [
            { name: 'Authorization', value: 'Bearer aio_s3cret=' },
            { name: 'X-Team', value: 'core' },
          ],
        },
      ],
    });
    expect(screen.getByTestId('forwarding-added').textContent).toContain('https://collector.example:4317');
    expect(screen.getByTestId<HTMLInputElement>('forwarding-url').value).toBe('');
    expect(screen.getByTestId<HTMLTextAreaElement>('forwarding-headers').value).toBe('');
    expect(screen.getByTestId<HTMLSelectElement>('forwarding-protocol').value).toBe('http/protobuf');
    expect(screen.queryByTestId('forwarding-headers-error')).toBeNull();
    expect(screen.getByTestId('forwarding-protocol-label').textContent).toBe('gRPC');
    expect(screen.getByTestId('forwarding-header-names').textContent).toContain('Authorization, X-Team');
    expect(screen.getByTestId('forwarding-remove')).toBeTruthy();
    expect(card.textContent).not.toContain('s3cret');
  });

  it('lists startup destinations without Remove, keeps stored headers, removes, switches content and shows a refusal', async () => {
    const forwarding = fakeForwarding([destination({ url: 'https://env.example:4318', headerNames: ['Authorization'], queued: 3, queuedBytes: 2048, sent: 12 })]);
    forwarding.update({ destinations: [{ url: 'https://team.example:4318', headers: [{ name: 'Authorization', value: 'Bearer aio_1' }] }] });
    const transport = createMemoryTransport({ forwarding_status: () => forwarding.status(), forwarding_update: (update) => forwarding.update(update) });
    useTransport(transport);
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    render(SettingsPage);

    await screen.findByTestId('forwarding-table');
    const card = within(screen.getByTestId('forwarding'));
    const rows = screen.getAllByTestId('forwarding-destination');
    expect(rows.map((row) => row.dataset.source)).toEqual(['startup', 'settings']);
    expect(rows[0]?.textContent).toContain('from startup');
    expect(rows[0]?.querySelector('button')).toBeNull();
    expect(rows[0]?.textContent).toContain('HTTP');
    expect(screen.getAllByTestId('forwarding-queued')[0]?.dataset.value).toBe('3');
    expect(screen.getAllByTestId('forwarding-remove')).toHaveLength(1);

    // a second destination: the first added one goes along without headers, so its stored token stays
    await fireEvent.input(screen.getByTestId('forwarding-url'), { target: { value: 'https://refused.example:4318' } });
    await fireEvent.click(screen.getByTestId('forwarding-add'));
    expect((await card.findByRole('alert')).textContent).toContain('Adding the destination failed.');
    expect(card.getByRole('alert').textContent).toContain('destination "https://refused.example:4318" cannot be reached');
    expect(screen.getByTestId<HTMLInputElement>('forwarding-url').value).toBe('https://refused.example:4318');

    await fireEvent.input(screen.getByTestId('forwarding-url'), { target: { value: 'https://env.example:4318/' } });
    await fireEvent.click(screen.getByTestId('forwarding-add'));
    expect((await screen.findByTestId('forwarding-url-error')).textContent).toContain('set where the app starts');

    await fireEvent.input(screen.getByTestId('forwarding-url'), { target: { value: 'https://second.example:4318' } });
    await fireEvent.click(screen.getByTestId('forwarding-add'));
    await waitFor(() => expect(screen.getAllByTestId('forwarding-remove')).toHaveLength(2));
    expect(transport.callsOf('forwarding_update').at(-1)?.request).toEqual({
      destinations: [
        { url: 'https://team.example:4318', protocol: 'http/protobuf' },
        { url: 'https://second.example:4318', protocol: 'http/protobuf', headers: [] },
      ],
    });
    expect(forwarding.stored()[0]?.headers).toEqual([{ name: 'Authorization', value: 'Bearer aio_1' }]);
    expect(card.queryByRole('alert')).toBeNull();

    await fireEvent.click(screen.getAllByTestId('forwarding-remove')[0] as HTMLElement);
    await waitFor(() => expect(screen.getAllByTestId('forwarding-remove')).toHaveLength(1));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('https://team.example:4318'));
    expect(transport.callsOf('forwarding_update').at(-1)?.request).toEqual({ destinations: [{ url: 'https://second.example:4318', protocol: 'http/protobuf' }] });

    const content = screen.getByTestId<HTMLInputElement>('forwarding-full-content');
    expect(content.checked).toBe(false);
    expect(screen.getByTestId('forwarding-content').textContent).toContain('Only usage, timing and identity leave this machine');
    await fireEvent.click(content);
    await waitFor(() => expect(screen.getByTestId('forwarding-content').textContent).toContain('Everything is forwarded'));
    expect(transport.callsOf('forwarding_update').at(-1)?.request).toEqual({ fullContent: true });
    expect(content.checked).toBe(true);
  });
});
