// What the first-run welcome needs to know, read once when it opens: the import scan (the session
// files on this machine; scanning imports nothing) and, in the desktop app, a preview of each tool's
// telemetry settings, for the tools that keep them in a file (read-only; `changed: false` means they already send telemetry here). A failed
// preview leaves that tool's settings unknown instead of failing the welcome.
import { api } from '../../api/client';
import type { ScanResponse } from '../../api/types.gen';
import { TOOLS_WITH_SETTINGS_FILE } from '../setup/setup-snippets';
import type { SettingsPreviews } from './welcome-tools';

export type WelcomeFacts = { scan: ScanResponse; previews: SettingsPreviews | null };

export async function loadWelcomeFacts(desktop: boolean): Promise<WelcomeFacts> {
  const previews = desktop
    ? Promise.all(TOOLS_WITH_SETTINGS_FILE.map(async (tool) => [tool, await api.desktop.toolConfigPreview({ tool, logPrompts: false }).catch(() => null)] as const))
    : Promise.resolve(null);
  const [scan, entries] = await Promise.all([api.import.scan({}), previews]);
  return { scan, previews: entries ? Object.fromEntries(entries) : null };
}
