import t from 'tap';
import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, VIEWPORTS } from '../helpers/browser.js';
import { startE2eService, type E2eService } from '../helpers/e2e.js';

// Issue 15 in a real browser (Debian's Chromium): the demo SP, the IdP's method page, choosing MitID, the MitID
// broker simulator's screens on the simulator origin, and back to the demo SP with the assertion. Each page a
// user sees gets the axe-core check of the other browser tests.

let e2e: E2eService;
let browser: Browser;
t.before(async () => {
  e2e = await startE2eService([]);
  browser = await launchBrowser();
});
t.teardown(async () => {
  await browser?.close();
  await e2e?.close();
});

t.test('demo SP → method page → MitID → simulated MitID app → assertion at the demo SP', async (t) => {
  const page = await browser.newPage({ viewport: VIEWPORTS.phone });
  await page.goto(`${e2e.baseUrl}/demo?lang=en`);
  await page.locator('#login').click();
  await page.waitForURL(/\/login\//);
  await checkPage(t, page, 'mitid.method-page');
  t.ok(await page.locator('a[href*="method=codecard"]').count(), 'NemID is offered');
  await page.locator('a[href$="method=mitid"]').click();
  await page.waitForURL(/\/mitid-simulator\/interaction\//);
  t.equal(new URL(page.url()).port, new URL(e2e.simulatorUrl).port, 'the broker runs on the simulator origin');
  await checkPage(t, page, 'mitid.user-id');
  await page.locator('#userid').fill('mitid-citizen');
  await page.locator('#next').click();
  await page.locator('#approve').waitFor();
  await checkPage(t, page, 'mitid.approve');
  await page.locator('#approve').click();
  await page.locator('#allow').waitFor();
  await checkPage(t, page, 'mitid.consent');
  await page.locator('#allow').click();
  await page.waitForURL(/\/demo(\?|$)/, { timeout: 30_000 });
  const text = (await page.locator('main').textContent()) ?? '';
  t.match(text, /5c1f0e2a-7a43-4f6e-9d5b-2f1b1c7e0a01/, 'the uid attribute is the MitID UUID');
  t.match(text, /CprNumberIdentifier/, 'the demo SP (public, CPR released) gets the CPR from the broker');
  await checkPage(t, page, 'mitid.demo-result');
  await page.close();
});
