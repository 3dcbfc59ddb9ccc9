import t from 'tap';
import { loginWithSimulator, samlPostForm, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issue 12.3: what one complete code-card login costs the database, read from the pool's own counters on /metrics
// (the same figures bench/login.ts reports). A login here is a fresh browser, no SSO, no CPR or business step.

let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService([{ name: 'shop', policy: { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' } }]);
});
t.teardown(() => e2e?.close());
t.afterEach(async (t) => {
  if (!t.passing()) for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-5)) t.comment(line.slice(0, 1500));
});

async function counters(): Promise<{ statements: number; transactions: number }> {
  const text = await (await fetch(`${e2e.baseUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { statements: value('nemid_idp_db_statements_total'), transactions: value('nemid_idp_db_transactions_total') };
}

t.test('a complete login takes at most 8 SQL statements in at most 5 transactions', async (t) => {
  // One login first, so the schema check the request gate caches is fresh and not counted below.
  const warm = new TestBrowser();
  await loginWithSimulator(warm, e2e, await warm.request(await e2e.sp('shop').getAuthorizeUrlAsync('warm', undefined, {})), 'citizen');

  const before = await counters();
  const browser = new TestBrowser();
  const sp = e2e.sp('shop');
  const answer = await loginWithSimulator(browser, e2e, await browser.request(await sp.getAuthorizeUrlAsync('count', undefined, {})), 'citizen');
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlPostForm(answer.text).SAMLResponse });
  t.ok(profile, 'the login succeeded');
  const after = await counters();
  const used = { statements: after.statements - before.statements, transactions: after.transactions - before.transactions };
  t.comment(`one login: ${used.statements} statements, ${used.transactions} transactions`);
  t.ok(used.statements <= 8, `statements: ${used.statements}`);
  t.ok(used.transactions <= 5, `transactions: ${used.transactions}`);
});
