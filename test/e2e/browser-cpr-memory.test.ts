import t from 'tap';
import type { Browser, Page } from 'playwright-core';
import { codeFor, TEST_USERS } from '../../src/simulator/index.js';
import { createPool } from '../../src/store/index.js';
import { checkPage, launchBrowser } from '../helpers/browser.js';
import { startE2eService, type E2eService } from '../helpers/e2e.js';

// Issue 14 item 1 in Chromium: a remembered CPR number can always be forgotten. Remember it at the bank; the next
// login skips the CPR page and its final page says "We remember your CPR number for bank · Forget it"; forgetting
// deletes the row at once (audited, no CPR) and the next login asks again; the self-service page /cpr-memory
// forgets it too.

t.setTimeout(300_000);
let e2e: E2eService;
let browser: Browser;
t.before(async () => {
  e2e = await startE2eService([
    { name: 'bank', policy: { allowedCertificates: ['POCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent', releaseCpr: true, sector: 'private', cpr: 'match' } },
  ]);
  browser = await launchBrowser();
});
t.teardown(async () => {
  await browser?.close();
  await e2e?.close();
});
const pool = () => createPool(e2e.databaseUrl, { applicationName: 'e2e-cpr-memory-browser' });

const owner = TEST_USERS.find((user) => user.userId === 'owner')!;

async function startAtBank(page: Page) {
  await page.goto(`${await e2e.sp('bank').getAuthorizeUrlAsync('rs', undefined, {})}&lang=en`);
}

async function nemid(page: Page) {
  await page.waitForURL(/\/login\//);
  if (await page.locator('a[href*="method=codecard"]').count()) await page.locator('a[href*="method=codecard"]').click();
  const frame = page.frameLocator('iframe');
  await frame.locator('#userid').fill('owner');
  await frame.locator('#password').fill(owner.password);
  await frame.locator('#password').press('Enter');
  const key = frame.locator('#key');
  await key.waitFor({ state: 'visible', timeout: 20_000 });
  await frame.locator('#code').fill(codeFor(owner.cardNumber, (await key.textContent()) ?? ''));
  await frame.locator('#code').press('Enter');
}

async function typeCpr(page: Page, remember: boolean) {
  await page.locator('#cpr').waitFor({ timeout: 20_000 });
  await page.locator('#cpr').fill(owner.cpr!);
  if (remember) await page.locator('input[name=remember]').check();
  await page.locator('form[action$="/cpr"] button[type=submit]').click();
  await page.waitForURL('https://bank.sp.test/acs');
}

t.test('remember → the next login skips the CPR page and offers "Forget it" → forget → asked again; self-service forget', async (t) => {
  const context = await browser.newContext({ locale: 'da-DK', viewport: { width: 360, height: 740 } });
  const posted: string[] = [];
  await context.route('https://bank.sp.test/**', async (route) => {
    posted.push(route.request().postData() ?? '');
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>bank</title><main><h1>bank</h1></main></html>' });
  });
  const page = await context.newPage();
  const db = pool();
  t.teardown(() => db.end());
  const rows = async () => Number((await db.query('SELECT count(*)::int AS n FROM cpr_memory')).rows[0].n);

  await startAtBank(page);
  await nemid(page);
  await typeCpr(page, true);
  t.equal(await rows(), 1, 'remembered for the bank');

  // Second login in the same browser: the IdP session answers, the remembered CPR skips the page.
  await startAtBank(page);
  const forget = page.locator('#forget-cpr');
  await forget.waitFor({ timeout: 20_000 });
  t.match(await page.locator('main').textContent(), /We remember your CPR number for bank/);
  t.equal(await page.locator('#cpr').count(), 0, 'no CPR page');
  await checkPage(t, page, 'cpr.remembered');
  await forget.click();
  await page.locator('[data-cpr="forgotten"]').waitFor();
  t.equal(await rows(), 0, 'the row is deleted at once');
  const audited = await db.query(`SELECT data::text AS data FROM audit_events WHERE type = 'cpr_forgotten'`);
  t.equal(audited.rows.length, 1, 'audited');
  t.notMatch(JSON.stringify(audited.rows), owner.cpr!, 'without the CPR');
  await checkPage(t, page, 'cpr.forgotten');

  // The next login asks again; remember once more for the self-service page.
  await startAtBank(page);
  await typeCpr(page, true);
  t.equal(await rows(), 1);

  await page.goto(`${e2e.baseUrl}/cpr-memory?lang=en`);
  await page.locator('[data-services="1"]').waitFor();
  await checkPage(t, page, 'cpr-memory');
  await page.locator('form[action="/cpr-memory/forget"] button').first().click();
  await page.locator('[data-services="0"]').waitFor();
  t.equal(await rows(), 0, 'self-service forget deleted the row');
  await checkPage(t, page, 'cpr-memory.forgotten');

  await startAtBank(page);
  await page.locator('#cpr').waitFor({ timeout: 20_000 });
  t.pass('asked for the CPR number again');
  await context.close();
});

t.test('without a NemID session the self-service page says how to get one', async (t) => {
  const page = await browser.newPage();
  await page.goto(`${e2e.baseUrl}/cpr-memory?lang=da`);
  t.match(await page.locator('main').textContent(), /logget på med NemID/);
  await page.close();
});
