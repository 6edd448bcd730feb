import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { useTransport } from '../../api/client';
import { createMemoryTransport } from '../../../../tests/support/memory-transport';
import TeamServerWindow from './TeamServerWindow.svelte';

afterEach(() => {
  useTransport(null);
});

describe('TeamServerWindow', () => {
  it('starts from the address opened last and opens the one typed', async () => {
    const transport = createMemoryTransport({
      team_dashboard_get: () => ({ url: 'https://old.example.com/' }),
      team_dashboard_open: (request) => ({ url: `${String((request as { url: string }).url)}/` }),
    });
    useTransport(transport);
    render(TeamServerWindow);
    const input = screen.getByTestId<HTMLInputElement>('team-window-url');
    await waitFor(() => expect(input.value).toBe('https://old.example.com/'));
    await fireEvent.input(input, { target: { value: '  https://observer.example.com  ' } });
    await fireEvent.submit(screen.getByTestId('team-window-form'));
    await waitFor(() => expect(screen.getByTestId('team-window-opened').textContent).toContain('https://observer.example.com/'));
    expect(transport.callsOf('team_dashboard_open').map((call) => call.request)).toEqual([{ url: 'https://observer.example.com' }]);
  });

  it('says why an address is refused', async () => {
    useTransport(
      createMemoryTransport({
        team_dashboard_get: () => ({ url: null }),
        team_dashboard_open: () => {
          throw Object.assign(new Error('"file:///etc" must be an http:// or https:// address'), { code: 'bad_request' });
        },
      }),
    );
    render(TeamServerWindow);
    await fireEvent.input(screen.getByTestId('team-window-url'), { target: { value: 'file:///etc' } });
    await fireEvent.submit(screen.getByTestId('team-window-form'));
    expect(await screen.findByText(/must be an http:\/\/ or https:\/\/ address/)).toBeTruthy();
    expect(screen.queryByTestId('team-window-opened')).toBeNull();
  });
});
