import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import t from 'tap';
import { SP_KEYS, startE2eService, type E2eService } from '../helpers/e2e.js';

// Issue 16 item 4, named for the finding: another web page must not flip the simulator's switches or make test
// users (a cross-site form POST is refused: JSON without a foreign Origin, or a form with the per-start secret),
// and the simulated PID-CPR answers only the TLS client certificate it was configured with, like Nets' service.

const e2e: E2eService = await startE2eService([]);
t.teardown(() => e2e.close());
const secret = /id="control-secret">([a-z]+)</.exec(await (await fetch(`${e2e.simulatorUrl}/developers/?lang=en`)).text())?.[1] ?? '';

const post = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${e2e.simulatorUrl}${path}`, { method: 'POST', headers, body });

t.test('cross-site POST to /control is refused; JSON from a test suite and the form with the secret pass', async (t) => {
  t.match(secret, /^[a-z]{24}$/, 'the secret is shown on /developers/');
  t.ok(e2e.logs.lines.some((line) => line.includes(secret)), 'and in the log');
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const evil = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
  t.equal((await post('/control', 'pidCpr=0', { ...form, ...evil })).status, 403, 'a cross-site form without the secret');
  t.equal((await post('/control', 'pidCpr=0', form)).status, 403, 'any form without the secret');
  t.equal((await post('/control', `pidCpr=0&secret=${secret}`, { ...form, ...evil })).status, 403, 'the secret from another origin');
  t.equal((await post('/control', '{"pidCpr":"0"}', { 'content-type': 'text/plain', ...evil })).status, 403, 'a "simple" cross-site body');
  t.equal((await post('/control', '{"pidCpr":"0"}', { 'content-type': 'application/json', ...evil })).status, 403, 'JSON from another origin');
  t.equal((await post('/control', '{"pidCpr":"ok"}', { 'content-type': 'application/json' })).status, 200, 'JSON from a test suite');
  t.equal((await post('/control', `pidCpr=ok&secret=${secret}`, form)).status, 200, 'the form with the secret');
  const deleted = await fetch(`${e2e.simulatorUrl}/control`, { method: 'DELETE', headers: evil });
  t.equal(deleted.status, 403, 'a cross-site DELETE');

  const created = await post('/developers/users', 'userId=evil-user&password=x1234&type=poces&name=Evil', { ...form, ...evil });
  t.equal(created.status, 400, 'a cross-site form cannot create a test user');
  t.equal((await fetch(`${e2e.simulatorUrl}/developers/api/users/evil-user`)).status, 404);
  t.equal((await post('/developers/api/users', '{"userId":"evil-user","password":"x1234","type":"poces","name":"Evil"}', { 'content-type': 'application/json', ...evil })).status, 403);
});

function pidCprCall(options: { key?: string; cert?: string }): Promise<{ status: number; body: string }> {
  const config = e2e.service.config.pidCpr;
  const url = new URL(config.url!);
  const xml = `<?xml version="1.0" encoding="iso-8859-1"?>\n<method name="pidCprRequest" version="1.0"><request id="r1"><serviceId>${config.spid}</serviceId><pid>9999-2002-2-100000000001</pid></request></method>`;
  const body = `PID_REQUEST=${encodeURIComponent(xml)}`;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', ca: readFileSync(config.serverCaPath!, 'utf8'), ...options, headers: { 'content-type': 'application/x-www-form-urlencoded' }, agent: false },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

t.test('the simulated PID-CPR answers only the configured TLS client certificate', async (t) => {
  t.match(e2e.service.config.pidCpr.url, /^https:\/\/localhost:[0-9]+\/pid_serviceprovider_server\/pidxml\/$/, 'PID-CPR is on its own TLS listener');
  t.equal((await pidCprCall({})).status, 403, 'without a client certificate: refused');
  t.equal((await pidCprCall({ key: SP_KEYS.signingKey, cert: SP_KEYS.signingCert })).status, 403, 'with another certificate: refused');
  const sp = e2e.service.config.nemid.sp;
  const answered = await pidCprCall({ key: sp.keyPem, cert: sp.certPem });
  t.equal(answered.status, 200, "with the IdP's VOCES: answered");
  t.match(answered.body, /statusCode="0"/);
  t.equal((await fetch(`${e2e.simulatorUrl}/pid_serviceprovider_server/pidxml/`, { method: 'POST', body: 'PID_REQUEST=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 404, 'not on the plain simulator origin');
});
