import t from 'tap';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { codeFor, TEST_USERS } from '../../src/simulator/index.js';
import { startE2eService, type E2eService } from '../helpers/e2e.js';

// Issue 5, in a real browser (Debian's Chromium through playwright-core): the demo SP sends a signed AuthnRequest,
// the IdP's login page runs the simulator's NemID client in an iframe on its own origin (a real cross-origin
// postMessage exchange), the test user types user id, password and code, and the demo SP receives a signed,
// encrypted assertion. Then the same with Cancel and with a revoked certificate.

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);

let e2e: E2eService;
let browser: Browser;
t.before(async () => {
  e2e = await startE2eService([]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
t.teardown(async () => {
  await browser?.close();
  await e2e?.close();
});
t.afterEach(async (t) => {
  if (t.passing()) return;
  for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-6)) t.comment(line.slice(0, 600));
});

async function openLogin(page: Page) {
  await page.goto(`${e2e.baseUrl}/demo?lang=en`);
  await page.locator('#login').click();
  await page.waitForURL(/\/login\//);
  // Code card (the JS client), as most citizens would choose.
  await page.locator('a[href*="method=codecard"]').click();
  const frame = page.frameLocator('#nemid_iframe');
  await frame.locator('#userid').waitFor({ state: 'visible', timeout: 20_000 });
  return frame;
}

const typedCodes: string[] = [];

async function typeUser(frame: ReturnType<Page['frameLocator']>, userId: string) {
  const user = TEST_USERS.find((candidate) => candidate.userId === userId)!;
  await frame.locator('#userid').fill(userId);
  await frame.locator('#password').fill(user.password);
  await frame.locator('#password').press('Enter');
  const key = frame.locator('#key');
  await key.waitFor({ state: 'visible' });
  const code = codeFor(user.cardNumber, (await key.textContent()) ?? '');
  typedCodes.push(code);
  await frame.locator('#code').fill(code);
  await frame.locator('#code').press('Enter');
}

t.test('demo SP → login page → simulator iframe on its own origin → citizen → signed assertion at the SP', async (t) => {
  // Issue 10: the IdP and the simulator on ports of this run (never the 8080/8081 defaults): the demo SP's
  // registration follows IDP_BASE_URL, so the assertion is posted back to this run's origin.
  const [idpPort, simulatorPort] = [new URL(e2e.baseUrl).port, new URL(e2e.simulatorUrl).port];
  t.notOk(['8080', '8081'].includes(idpPort) || ['8080', '8081'].includes(simulatorPort), `IdP on ${idpPort}, simulator on ${simulatorPort}`);
  const demoMetadata = await (await fetch(`${e2e.baseUrl}/demo/metadata`)).text();
  t.match(demoMetadata, `Location="${e2e.baseUrl}/demo/acs"`, 'the demo SP registered its ACS on the configured origin');
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  const frame = await openLogin(page);
  t.not(simulatorPort, idpPort, 'the client runs on another origin');
  const acsPosts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/demo/acs')) acsPosts.push(request.url());
  });
  await typeUser(frame, 'citizen');
  await page.waitForURL(/\/demo(\?|$)/, { timeout: 30_000 });
  t.same(acsPosts, [`${e2e.baseUrl}/demo/acs`], 'the browser posted the assertion to this run\'s demo ACS');
  const table = page.locator('#attributes');
  await table.waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
    t.comment((await page.locator('body').textContent())?.slice(0, 800) ?? '');
    throw error;
  });
  const text = (await table.textContent()) ?? '';
  t.match(text, /PID:9999-2002-2-/, 'the uid attribute with the simulator PID');
  t.match(text, /dk:gov:saml:attribute:CprNumberIdentifier/, 'the CPR looked up for this public SP');
  t.match(await page.content(), /urn:oasis:names:tc:SAML:2\.0:nameid-format:persistent/);
  const logs = e2e.logs.text();
  const citizen = TEST_USERS.find((user) => user.userId === 'citizen')!;
  t.notMatch(logs, citizen.password, 'the password never reaches the log');
  for (const code of typedCodes) t.notMatch(logs, new RegExp(`(?<![0-9])${code}(?![0-9])`), 'the code never reaches the log');
  await page.close();
});

t.test('Cancel in the client → our page → back to the service → AuthnFailed at the SP', async (t) => {
  const page = await browser.newPage();
  const frame = await openLogin(page);
  await frame.locator('#password-step .cancel').click();
  await page.waitForURL(/\/login\/[^/]+\/nemid/);
  t.match(await page.content(), /You cancelled the login|Du afbrød login/);
  await page.locator('form[action$="/abort"] button').click();
  await page.waitForURL(/\/demo/, { timeout: 30_000 });
  const content = await page.content();
  t.match(content, /urn:oasis:names:tc:SAML:2\.0:status:Responder/);
  t.match(content, /urn:oasis:names:tc:SAML:2\.0:status:AuthnFailed/);
  t.match(content, /NEMID_USER_CANCELLED/);
  await page.close();
});

t.test('a revoked certificate ends at the SP with AuthnFailed', async (t) => {
  const page = await browser.newPage();
  const frame = await openLogin(page);
  await typeUser(frame, 'revoked');
  await page.waitForURL(/\/demo/, { timeout: 30_000 });
  const content = await page.content();
  t.match(content, /urn:oasis:names:tc:SAML:2\.0:status:AuthnFailed/);
  t.match(content, /NEMID_CERT_REVOKED/);
  await page.close();
});
