import t from 'tap';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { codeFor, TEST_USERS } from '../../src/simulator/index.js';
import { checkPage, launchBrowser, VIEWPORTS } from '../helpers/browser.js';
import { startE2eService, type E2eService } from '../helpers/e2e.js';

// Issue 14 item 6: every page a citizen can reach, in Danish and English, at 360 px and 1280 px, passes axe-core's
// WCAG 2.2 AA rules (and best practices) with no horizontal scroll, and is photographed for docs/screenshots/.
// One browser for the file; one context per language whose browser locale is the *other* language, so every page
// shows the language the SP asked for (item 4), never the browser's.

const CPR_BASE = { allowedCertificates: ['POCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent', releaseCpr: true };
// About 30 pages, each checked 4 times: longer than the default file timeout on a loaded machine.
t.setTimeout(400_000);
let e2e: E2eService;
let browser: Browser;
t.before(async () => {
  e2e = await startE2eService([
    { name: 'bank', policy: { ...CPR_BASE, sector: 'private', cpr: 'match' } },
    { name: 'business', policy: { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], businessLogin: true } },
  ]);
  browser = await launchBrowser();
});
t.teardown(async () => {
  await browser?.close();
  await e2e?.close();
});
t.afterEach(async (t) => {
  if (t.passing()) return;
  for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-6)) t.comment(line.slice(0, 600));
});

type Lang = 'da' | 'en';
const userOf = (userId: string) => TEST_USERS.find((user) => user.userId === userId)!;

/** The page check at both widths, in the page's current state. */
async function checkBoth(t: Parameters<typeof checkPage>[0], page: Page, name: string) {
  for (const viewport of [VIEWPORTS.phone, VIEWPORTS.desktop]) {
    await page.setViewportSize(viewport);
    await checkPage(t, page, name);
  }
  await page.setViewportSize(VIEWPORTS.phone);
}

async function newContext(lang: Lang): Promise<BrowserContext> {
  return browser.newContext({ locale: lang === 'da' ? 'en-GB' : 'da-DK', viewport: VIEWPORTS.phone });
}

/** Through an SP's AuthnRequest (node-saml) to the NemID iframe's user-id step. */
async function toClient(page: Page, startUrl: string): Promise<FrameLocator> {
  await page.goto(startUrl);
  await page.waitForURL(/\/login\//);
  if (await page.locator('a[href*="method=codecard"]').count()) await page.locator('a[href*="method=codecard"]').click();
  const frame = page.frameLocator('iframe');
  await frame.locator('#userid').waitFor({ state: 'visible', timeout: 20_000 });
  return frame;
}

async function password(frame: FrameLocator, userId: string) {
  await frame.locator('#userid').fill(userId);
  await frame.locator('#password').fill(userOf(userId.startsWith('error-') ? 'citizen' : userId).password);
  await frame.locator('#password').press('Enter');
}

async function code(frame: FrameLocator, userId: string) {
  const key = frame.locator('#key');
  await key.waitFor({ state: 'visible' });
  await frame.locator('#code').fill(codeFor(userOf(userId).cardNumber, (await key.textContent()) ?? ''));
  await frame.locator('#code').press('Enter');
}

async function spLoginUrl(spName: string, lang: Lang): Promise<string> {
  const url = new URL(await e2e.sp(spName).getAuthorizeUrlAsync('rs', undefined, {}));
  url.searchParams.set('lang', lang);
  return url.toString();
}

for (const lang of ['da', 'en'] as const) {
  t.test(`${lang}: demo, method choice, both NemID steps, the result`, async (t) => {
    const context = await newContext(lang);
    const page = await context.newPage();
    await page.goto(`${e2e.baseUrl}/demo?lang=${lang}`);
    await checkBoth(t, page, 'demo.start');
    await page.locator('#login').click();
    await page.waitForURL(/\/login\//);
    if (await page.locator('a[href*="method=codecard"]').count()) {
      await checkBoth(t, page, 'method-choice');
      await page.locator('a[href*="method=codecard"]').click();
    }
    const frame = page.frameLocator('iframe');
    await frame.locator('#userid').waitFor({ state: 'visible', timeout: 20_000 });
    await checkBoth(t, page, 'nemid.password');
    await password(frame, 'citizen');
    await frame.locator('#key').waitFor({ state: 'visible' });
    await checkBoth(t, page, 'nemid.code');
    await code(frame, 'citizen');
    await page.waitForURL(/\/demo(\?|$)/, { timeout: 30_000 });
    await page.locator('#attributes').waitFor();
    await checkBoth(t, page, 'demo.result');
    t.equal(await page.evaluate(() => document.documentElement.lang), lang);
    await context.close();
  });

  t.test(`${lang}: NemID client errors (cancel, locked) with a reference`, async (t) => {
    const context = await newContext(lang);
    const page = await context.newPage();
    for (const userId of ['error-CAN002', 'error-LOCK001', 'error-LOCK003', 'error-APP001']) {
      const frame = await toClient(page, await spLoginUrl('bank', lang));
      await password(frame, userId);
      await page.waitForURL(/\/nemid$/, { timeout: 20_000 });
      t.equal(await page.evaluate(() => document.documentElement.lang), lang);
      t.ok(await page.locator('[data-trace-id]').count(), `${userId}: the page shows a reference`);
      await checkBoth(t, page, `client-error.${userId.slice(6)}`);
    }
    await context.close();
  });

  t.test(`${lang}: CPR page, its error state, business choice`, async (t) => {
    const context = await newContext(lang);
    const page = await context.newPage();
    let frame = await toClient(page, await spLoginUrl('bank', lang));
    await password(frame, 'owner');
    await code(frame, 'owner');
    await page.locator('#cpr').waitFor({ timeout: 20_000 });
    await checkBoth(t, page, 'cpr');
    await page.locator('#cpr').fill(userOf('citizen').cpr!);
    await page.locator('form[action$="/cpr"] button[type=submit]').click();
    await page.locator('#cpr-error').waitFor();
    await checkBoth(t, page, 'cpr.mismatch');
    t.equal(await page.evaluate(() => document.documentElement.lang), lang);

    frame = await toClient(page, await spLoginUrl('business', lang));
    await password(frame, 'owner2');
    await code(frame, 'owner2');
    await page.locator('form[action$="/business"]').waitFor({ timeout: 20_000 });
    await checkBoth(t, page, 'business-choice');
    t.equal(await page.evaluate(() => document.documentElement.lang), lang);
    await context.close();
  });

  t.test(`${lang}: error pages, logout pages, test-user pages`, async (t) => {
    const context = await newContext(lang);
    const page = await context.newPage();
    await page.goto(`${e2e.baseUrl}/no-such-page?lang=${lang}`);
    await checkBoth(t, page, 'error.not-found');
    await page.goto(`${e2e.baseUrl}/saml/sso?SAMLRequest=not-a-request&lang=${lang}`);
    await checkBoth(t, page, 'error.bad-request');
    await page.goto(`${e2e.baseUrl}/saml/slo/init?lang=${lang}`);
    await checkBoth(t, page, 'logout');
    await page.goto(`${e2e.simulatorUrl}/developers/?lang=${lang}`);
    await checkBoth(t, page, 'simulator.developers');
    await page.goto(`${e2e.simulatorUrl}/developers/card/citizen?lang=${lang}`);
    await checkBoth(t, page, 'simulator.code-card');
    await context.close();
  });
}
