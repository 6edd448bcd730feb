// Reads the saved time zone once at start-up so day boundaries match the user's settings.
import { api } from '../../api/client';
import { setUserTimeZone } from './time-zone.svelte';

/** Resolves after the settings answered or `timeoutMs` passed (the machine's zone stays then). */
export async function loadUserTimeZone(timeoutMs = 1500): Promise<void> {
  const settings = api.settings
    .get()
    .then((value) => setUserTimeZone(value.timeZone))
    .catch(() => undefined);
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs));
  await Promise.race([settings, timeout]);
}
