import t from 'tap';
import { startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// MITID_SIMULATOR=false in the simulator environment (and no MITID_ISSUER): the broker simulator is not mounted,
// MitID is not offered even to an SP whose policy lists it, and /developers/ does not list MitID users.

let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService([{ name: 'both', policy: { sector: 'private', methods: ['nemid-codecard', 'mitid'] } }], { MITID_SIMULATOR: 'false' });
});
t.teardown(() => e2e?.close());

t.test('the broker simulator is not reachable', async (t) => {
  t.equal((await fetch(`${e2e.simulatorUrl}/mitid-simulator/.well-known/openid-configuration`)).status, 404);
  t.equal((await fetch(`${e2e.baseUrl}/mitid/jwks`)).status, 404, 'no client key published');
  t.notMatch(await (await fetch(`${e2e.simulatorUrl}/developers/`)).text(), 'mitid-citizen');
  const ready = await (await fetch(`${e2e.baseUrl}/readyz`)).text();
  t.match(ready, /not configured/);
});

t.test('MitID is not offered', async (t) => {
  const browser = new TestBrowser();
  const page = await browser.request(await e2e.sp('both').getAuthorizeUrlAsync('', undefined, {}));
  t.notMatch(page.text, 'method=mitid', 'no MitID choice');
  t.match(page.text, 'nemid_parameters', 'the NemID client straight away (its one method)');
  const mitid = /\/login\/([A-Za-z0-9_-]{22})/.exec(page.url)![1];
  const forced = await browser.request(`${e2e.baseUrl}/login/${mitid}?method=mitid`);
  t.notMatch(forced.url, /mitid-simulator/, 'asking for it by hand does not reach a broker');
});
