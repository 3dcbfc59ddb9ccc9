import t from 'tap';
import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser } from '../helpers/browser.js';
import { startE2eService, type E2eService } from '../helpers/e2e.js';

// Issue 17, in Chromium: a developer creates a test user with a CPR of their choosing on /developers/ (Autofill,
// then edits), reads its code card, logs in as it through a private SP whose policy matches the CPR (a registered
// node-saml SP: the demo SP's own policy looks the CPR up instead), types that CPR on the match page and gets a
// signed assertion; the user's overview then shows the login in its transaction log. axe-core checks each page.

const CPR = '6302841234';
const USER_ID = 'browser-made';
const PASSWORD = 'Browser-1234';
const CPR_ATTRIBUTE = 'dk:gov:saml:attribute:CprNumberIdentifier';

let e2e: E2eService;
let browser: Browser;
t.before(async () => {
  e2e = await startE2eService([{ name: 'match', policy: { sector: 'private', cpr: 'match', releaseCpr: true, allowedCertificates: ['POCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' } }]);
  browser = await launchBrowser();
});
t.teardown(async () => {
  await browser?.close();
  await e2e?.close();
});

t.test('create a user with a chosen CPR, log in with its code card, CPR match succeeds, the log shows it', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'da-DK' });
  await page.goto(`${e2e.simulatorUrl}/developers/`);
  await page.locator('#autofill').click();
  await page.waitForURL(/autofill=1/);
  t.match(await page.locator('#f-cpr').inputValue(), /^[6-8][0-9]{9}$/, 'Autofill proposes a substitute CPR (day + 60)');
  await checkPage(t, page, 'simulator.developers.create');
  await page.locator('#f-userId').fill(USER_ID);
  await page.locator('#f-password').fill(PASSWORD);
  await page.locator('#f-name').fill('Bodil Browser');
  await page.locator('#f-cpr').fill(`${CPR.slice(0, 6)}-${CPR.slice(6)}`);
  await page.locator('#create-submit').click();
  await page.waitForURL(/\/developers\/users\/browser-made/);
  t.equal(await page.locator('#cpr').textContent(), CPR, 'the overview shows the chosen CPR');
  t.match(await page.locator('#serial').textContent(), /^[0-9A-F]+$/, 'and the certificate issued at once');
  const overviewUrl = page.url().split('?')[0]!;
  await checkPage(t, page, 'simulator.user-overview');

  await page.locator('#card-link').click();
  await page.waitForURL(/\/card/);
  await checkPage(t, page, 'simulator.user-card');
  const card = new Map<string, string>();
  for (const cell of await page.locator('dd[data-key]').all()) card.set((await cell.getAttribute('data-key')) ?? '', (await cell.textContent()) ?? '');
  t.equal(card.size, 148, 'the code card has its 148 keys');

  const sp = e2e.sp('match');
  const acs: { body?: string } = {};
  await page.route('https://match.sp.test/**', async (route) => {
    acs.body = route.request().postData() ?? '';
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html lang="en"><title>SP</title><main><h1>received</h1></main></html>' });
  });
  await page.goto(await sp.getAuthorizeUrlAsync('relay-browser', undefined, {}));
  await page.waitForURL(/\/login\//);
  if (await page.locator('a[href*="method=codecard"]').count()) await page.locator('a[href*="method=codecard"]').click();
  const frame = page.frameLocator('#nemid_iframe');
  await frame.locator('#userid').waitFor({ state: 'visible', timeout: 20_000 });
  await frame.locator('#userid').fill(USER_ID);
  await frame.locator('#password').fill(PASSWORD);
  await frame.locator('#password').press('Enter');
  const key = frame.locator('#key');
  await key.waitFor({ state: 'visible' });
  await frame.locator('#code').fill(card.get((await key.textContent()) ?? '') ?? 'no such key');
  await frame.locator('#code').press('Enter');

  await page.locator('#cpr').waitFor({ state: 'visible', timeout: 20_000 });
  await checkPage(t, page, 'simulator-user.cpr-match');
  await page.locator('#cpr').fill(CPR);
  await page.locator('#cpr').press('Enter');
  await page.waitForURL(/match\.sp\.test/, { timeout: 20_000 });
  const form = new URLSearchParams(acs.body ?? '');
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.get('SAMLResponse') ?? '', RelayState: form.get('RelayState') ?? '' });
  t.equal((profile?.attributes as Record<string, unknown> | undefined)?.[CPR_ATTRIBUTE], CPR, 'CPR match with the chosen CPR succeeded: the assertion carries it');

  await page.goto(`${overviewUrl}?lang=en`);
  const log = page.locator('#log');
  await log.waitFor();
  t.match(await log.textContent(), /signed-response/, "the user's transaction log shows the login");
  t.match(await log.textContent(), /code: ok/);
  t.notMatch(await page.content(), new RegExp(PASSWORD), 'never the password');
  await checkPage(t, page, 'simulator.user-overview.log');
  await page.setViewportSize({ width: 360, height: 740 });
  await checkPage(t, page, 'simulator.user-overview.log');
  await page.goto(`${e2e.simulatorUrl}/developers/?autofill=1&lang=da`);
  await checkPage(t, page, 'simulator.developers.create');
  await page.close();
});
