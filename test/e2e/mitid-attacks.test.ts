import t from 'tap';
import pg from 'pg';
import { startE2eService, TestBrowser, samlPostForm, type E2eService, type TestSpDefinition } from '../helpers/e2e.js';
import { loginWithMitid } from '../helpers/mitid-e2e.js';

// Attacks on the MitID callback through the whole service (the ID-token forgeries are refused by the broker client
// in test/integration/mitid/broker-client.test.ts): each test is named for the attack.

const SPS: TestSpDefinition[] = [{ name: 'mitid-sp', policy: { sector: 'public', cpr: 'lookup', releaseCpr: true, attributeProfile: 'oiosaml3', methods: ['mitid'] } }];

let e2e: E2eService;
let db: pg.Client;
t.before(async () => {
  e2e = await startE2eService(SPS, { MITID_TIMEOUT_MS: '1500' });
  db = new pg.Client({ connectionString: e2e.databaseUrl });
  await db.connect();
});
t.teardown(async () => {
  await db?.end();
  await e2e?.close();
});
const control = (fields: Record<string, unknown>) => fetch(`${e2e.simulatorUrl}/mitid-simulator/control`, { method: 'POST', body: JSON.stringify(fields) });
t.afterEach(() => fetch(`${e2e.simulatorUrl}/mitid-simulator/control`, { method: 'DELETE' }));

async function toCallback(browser: TestBrowser, userId = 'mitid-citizen'): Promise<string> {
  const url = await e2e.sp('mitid-sp').getAuthorizeUrlAsync('', undefined, {});
  let callback = '';
  await loginWithMitid(browser, await browser.request(url), userId, { onCallback: (u) => (callback = u), stopAtCallback: true });
  if (!callback) throw new Error('the broker did not call back');
  return callback;
}

async function codeOf(answer: { status: number; text: string }): Promise<string | undefined> {
  return /(?:StatusMessage>|data-code="|Reference|code">)([A-Z_]{6,})/.exec(answer.text)?.[1] ?? /\b(MITID_[A-Z_]+|LOGIN_[A-Z_]+)\b/.exec(answer.text)?.[1];
}

t.test('attack: replayed state (the same callback twice)', async (t) => {
  const browser = new TestBrowser();
  let callback = '';
  const url = await e2e.sp('mitid-sp').getAuthorizeUrlAsync('', undefined, {});
  const first = await loginWithMitid(browser, await browser.request(url), 'mitid-citizen', { onCallback: (u) => (callback = u) });
  t.match(first.text, 'SAMLResponse', 'the first callback logs in');
  const replay = await browser.request(callback);
  t.equal(replay.status, 400);
  t.equal(await codeOf(replay), 'MITID_STATE_REPLAYED');
  t.notMatch(replay.text, 'SAMLResponse', 'no second assertion');
});

t.test('attack: state from another browser (login CSRF / session swap)', async (t) => {
  const victim = new TestBrowser();
  const callback = await toCallback(new TestBrowser());
  const answer = await victim.request(callback);
  t.equal(answer.status, 403);
  t.equal(await codeOf(answer), 'LOGIN_BROWSER_MISMATCH');
  const state = new URL(callback).searchParams.get('state');
  const row = await db.query('SELECT state, mitid_request IS NOT NULL AS pending FROM login_transactions WHERE mitid_state = $1', [state]);
  t.same(row.rows[0], { state: 'mitid_started', pending: true }, "the owner's login is left intact");
});

t.test('attack: unknown state', async (t) => {
  const answer = await new TestBrowser().request(`${e2e.baseUrl}/login/mitid/callback?code=x&state=forged-state&iss=x`);
  t.equal(await codeOf(answer), 'MITID_STATE_UNKNOWN');
});

t.test('attack: callback without iss (mix-up)', async (t) => {
  await control({ callback: 'omit-iss' });
  const browser = new TestBrowser();
  const answer = await browser.request(await toCallback(browser));
  const xml = Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8');
  t.match(xml, 'MITID_ISSUER_MISMATCH');
  t.match(xml, 'status:AuthnFailed');
});

t.test('attack: callback with another issuer (mix-up)', async (t) => {
  await control({ callback: 'wrong-iss' });
  const browser = new TestBrowser();
  const answer = await browser.request(await toCallback(browser));
  t.match(Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8'), 'MITID_ISSUER_MISMATCH');
});

t.test('attack: replayed authorization code in a new login', async (t) => {
  const browser = new TestBrowser();
  const used = new URL(await toCallback(browser));
  await browser.request(used.href);
  // A fresh login of the same browser, its callback carrying the old code with the new state.
  const fresh = new URL(await toCallback(browser));
  fresh.searchParams.set('code', used.searchParams.get('code')!);
  const answer = await browser.request(fresh.href);
  const xml = Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8');
  t.match(xml, 'MITID_TOKEN_EXCHANGE_FAILED', 'the broker refuses a code used before (and bound to another PKCE verifier)');
});

for (const [mode, title] of [['error-500', 'answers 500'], ['timeout', 'times out']] as const) {
  t.test(`a broker that ${title}: SP answered, nothing stored`, async (t) => {
    await control({ tokenEndpoint: mode });
    const browser = new TestBrowser();
    const callback = await toCallback(browser);
    const sessionsBefore = (await db.query('SELECT count(*)::int AS n FROM idp_sessions')).rows[0].n;
    const answer = await browser.request(callback);
    const xml = Buffer.from(samlPostForm(answer.text).SAMLResponse, 'base64').toString('utf8');
    t.match(xml, 'status:Responder');
    t.match(xml, 'MITID_BROKER_UNAVAILABLE');
    const state = new URL(callback).searchParams.get('state');
    const row = await db.query('SELECT state, identity, error_code, mitid_request FROM login_transactions WHERE mitid_state = $1', [state]);
    t.same(row.rows[0], { state: 'failed', identity: null, error_code: 'MITID_BROKER_UNAVAILABLE', mitid_request: null }, 'no identity, no pending request');
    t.equal((await db.query('SELECT count(*)::int AS n FROM idp_sessions')).rows[0].n, sessionsBefore, 'no session');
  });
}
