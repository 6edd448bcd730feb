// Settings page, plan-limit alerts: the form shows what `/api/settings` has (80 % and 95 % by
// default, pace alerts on); a warning that is not below the urgent alert is refused in the page,
// with its message, and nothing is sent; 60 % / 90 % without pace alerts is saved, read back after a
// reload and by the API. Puts the defaults back through the form, so the screenshots stay the same.
import { apiUrl, getJson } from '../lib/api.mjs';
import { openByNav } from '../lib/navigation.mjs';
import { expect, expectEqual } from '../lib/report.mjs';

const DEFAULTS = { warnPercent: 80, urgentPercent: 95, pace: true };

async function shown(page) {
  return {
    warn: await page.inputValue('[data-testid="settings-warn-percent"]'),
    urgent: await page.inputValue('[data-testid="settings-urgent-percent"]'),
    pace: await page.isChecked('[data-testid="settings-alert-pace"]'),
  };
}

async function fillAndSave(page, { warn, urgent, pace }) {
  await page.fill('[data-testid="settings-warn-percent"]', warn);
  await page.fill('[data-testid="settings-urgent-percent"]', urgent);
  await page.setChecked('[data-testid="settings-alert-pace"]', pace);
  await page.click('[data-testid="settings-save"]');
}

function expectAlerts(actual, expected, what) {
  expectEqual(JSON.stringify(actual), JSON.stringify(expected), what);
}

export async function checkLimitAlerts({ report, page, origin }) {
  await report.check('settings page: the plan-limit alerts show /api/settings (80 %, 95 %); 95/80 is refused with its message and nothing saved; 60/90 without pace is saved and read back after a reload and by the API', async () => {
    const puts = [];
    const listener = (request) => {
      if (request.method() === 'PUT' && new URL(request.url()).pathname === '/api/settings') puts.push(request.postData());
    };
    page.on('request', listener);
    try {
      await openByNav(page, 'settings', { path: '/settings', heading: 'Settings' });
      await page.locator('[data-testid="settings-limit-alerts"]').waitFor();
      const before = (await getJson(apiUrl(origin, '/api/settings'))).limitAlerts;
      expectAlerts(before, DEFAULTS, '/api/settings limitAlerts before');
      await page.waitForFunction(() => document.querySelector('[data-testid="settings-warn-percent"]')?.value !== '');
      expectAlerts(await shown(page), { warn: '80', urgent: '95', pace: true }, 'alert fields');

      await fillAndSave(page, { warn: '95', urgent: '80', pace: true });
      const message = (await page.locator('[data-testid="settings-urgent-percent-error"]').textContent()).trim();
      expectEqual(message, 'The urgent alert must be above the warning: make its percent higher.', 'the error under the urgent percent');
      expectEqual(await page.getAttribute('[data-testid="settings-urgent-percent"]', 'aria-invalid'), 'true', 'urgent percent aria-invalid');
      expectEqual(puts.length, 0, 'PUT /api/settings requests after 95/80');
      expectAlerts((await getJson(apiUrl(origin, '/api/settings'))).limitAlerts, DEFAULTS, '/api/settings limitAlerts after 95/80');

      await fillAndSave(page, { warn: '60', urgent: '90', pace: false });
      await page.locator('[data-testid="settings-saved"]').waitFor();
      expectEqual(puts.length, 1, 'PUT /api/settings requests after 60/90');
      expectAlerts(JSON.parse(puts[0]).limitAlerts, { warnPercent: 60, urgentPercent: 90, pace: false }, 'the PUT body’s limitAlerts');
      expect((await page.locator('[data-testid="settings-urgent-percent-error"]').count()) === 0, 'the error stays after a valid save');
      expectAlerts((await getJson(apiUrl(origin, '/api/settings'))).limitAlerts, { warnPercent: 60, urgentPercent: 90, pace: false }, '/api/settings limitAlerts after saving');

      await page.reload();
      await page.locator('[data-testid="settings-limit-alerts"]').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="settings-warn-percent"]')?.value !== '');
      const reloaded = await shown(page);
      expectAlerts(reloaded, { warn: '60', urgent: '90', pace: false }, 'alert fields after a reload');
      return `shown 80/95, 95/80 refused (“${message}”), 60/90 saved: after a reload ${reloaded.warn}/${reloaded.urgent}, pace ${reloaded.pace}`;
    } finally {
      page.off('request', listener);
      // the defaults again, through the form (the screenshots show them)
      await page.goto(`${origin}/settings`);
      await page.waitForFunction(() => document.querySelector('[data-testid="settings-warn-percent"]')?.value !== '');
      await fillAndSave(page, { warn: '80', urgent: '95', pace: true });
      await page.locator('[data-testid="settings-saved"]').waitFor();
      expectAlerts((await getJson(apiUrl(origin, '/api/settings'))).limitAlerts, DEFAULTS, '/api/settings limitAlerts put back');
    }
  });
}
