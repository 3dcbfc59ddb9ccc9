import t from 'tap';
import { request as httpRequest, Agent } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startE2eService, TestBrowser, type E2eService } from '../../helpers/e2e.js';

// Issue 13 items 2, 3, 4, 7, 9 and issue 16 item 5 on one running service: readiness survives a bad SP file, the
// drain keeps serving with /readyz 503, the pool's queue limit answers SERVICE_BUSY at once while /readyz and
// /healthz still answer, log lines stay JSON, every response names its instance, and HEAD never runs a GET.

const POLICY = { sector: 'private', allowedCertificates: ['POCES', 'MOCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' };
let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService([{ name: 'shop', policy: POLICY }], { INSTANCE_ID: 'idp-test-1', DB_POOL_MAX: '2', DB_QUEUE_LIMIT: '0' });
});
t.teardown(() => e2e?.close());

const readyz = async () => {
  const response = await fetch(`${e2e.baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> } };
};

t.test('every response names its instance; every log line carries it', async (t) => {
  const response = await fetch(`${e2e.baseUrl}/saml/metadata`);
  t.equal(response.headers.get('x-served-by'), 'idp-test-1');
  const lines = e2e.logs.lines.map((line) => JSON.parse(line) as { instance?: string });
  t.ok(lines.length > 0);
  t.ok(lines.every((line) => line.instance === 'idp-test-1'), 'instance id in every line');
});

t.test('a bad SP file and a reload: /readyz stays 200 with a warning, the metric shows the failed reload', async (t) => {
  const metadataDir = e2e.service.config.metadataDir;
  writeFileSync(join(metadataDir, 'broken.xml'), '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>');
  writeFileSync(join(metadataDir, 'broken.json'), '{}');
  t.teardown(async () => {
    const { rmSync } = await import('node:fs');
    rmSync(join(metadataDir, 'broken.xml'));
    rmSync(join(metadataDir, 'broken.json'));
    await e2e.service.registry.reload();
  });
  const reloaded = await e2e.service.registry.reload();
  t.equal(reloaded.ok, false);
  const ready = await readyz();
  t.equal(ready.status, 200, `the previous registry still serves (${JSON.stringify(Object.entries(ready.body.checks).filter(([, c]) => !c.ok))})`);
  t.equal(ready.body.checks['metadata']?.ok, true);
  t.match(ready.body.checks['metadata']?.detail, /warning: last reload failed/);
  const metrics = await (await fetch(`${e2e.baseUrl}/metrics`)).text();
  t.match(metrics, /nemid_idp_metadata_reload_failed 1/);
  t.match(metrics, /nemid_idp_metadata_reloads_total\{outcome="failed"\} 1/);
});

t.test('HEAD on /saml/sso is refused with 405 and the request ID is not spent', async (t) => {
  const sp = e2e.sp('shop');
  const url = await sp.getAuthorizeUrlAsync('head-test', undefined, {});
  const head = await fetch(url, { method: 'HEAD', redirect: 'manual' });
  t.equal(head.status, 405);
  const requestId = /ID="([^"]+)"/.exec(await inflatedRequest(url))?.[1];
  t.ok(requestId);
  const { rows } = await e2e.service.pool.query('SELECT count(*)::int AS n FROM authn_request_ids WHERE request_id = $1', [requestId]);
  t.equal(rows[0].n, 0, 'request ID not recorded');
  const loginPage = await new TestBrowser().request(url);
  t.equal(loginPage.status, 200, 'the same request still starts its login');
  t.match(loginPage.url, /\/login\//);
  for (const path of ['/login/abc', '/saml/slo']) {
    t.equal((await fetch(`${e2e.baseUrl}${path}`, { method: 'HEAD', redirect: 'manual' })).status, 405, `HEAD ${path}`);
  }
  t.equal((await fetch(`${e2e.baseUrl}/saml/metadata`, { method: 'HEAD' })).status, 200, 'HEAD on the metadata document');
});

t.test('beyond the queue limit: SERVICE_BUSY at once; /readyz and /healthz still answer', async (t) => {
  // Both pooled connections held, and a queue limit of 0: the next request that needs the database is refused.
  const held = await Promise.all([e2e.service.pool.connect(), e2e.service.pool.connect()]);
  t.teardown(() => held.forEach((client) => client.release()));
  const busy = await fetch(`${e2e.baseUrl}/login/AAAAAAAAAAAAAAAAAAAAAA`, { headers: { accept: 'application/json' } });
  t.equal(busy.status, 503);
  t.equal(((await busy.json()) as { error: string }).error, 'SERVICE_BUSY');
  const ready = await readyz();
  t.equal(ready.status, 200, `/readyz has its own connection (${JSON.stringify(Object.entries(ready.body.checks).filter(([, c]) => !c.ok))})`);
  t.equal((await fetch(`${e2e.baseUrl}/healthz`)).status, 200);
});

t.test('log lines stay JSON: an idle connection error never logs the pg client; CPR-shaped numbers redacted in place', async (t) => {
  const before = e2e.logs.lines.length;
  const error = Object.assign(new Error('Connection terminated unexpectedly'), { client: { processID: 4242, secretKey: 1234567890, password: 'x' } });
  e2e.service.pool.emit('error', error, error.client as never);
  e2e.service.log.warn({ count: 1234567890, nested: { id: '010203-1234' } }, 'a line with CPR-shaped values');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const lines = e2e.logs.lines.slice(before);
  t.ok(lines.length >= 2);
  for (const line of lines) t.doesNotThrow(() => JSON.parse(line), 'valid JSON');
  const idle = lines.map((l) => JSON.parse(l) as { msg: string; err?: Record<string, unknown> }).find((l) => l.msg === 'idle database connection failed');
  t.ok(idle);
  t.notOk(idle?.err?.['client'], 'no client object');
  t.notMatch(JSON.stringify(idle), /secretKey|processID/);
  const cpr = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'a line with CPR-shaped values');
  t.equal(cpr?.['count'], '[REDACTED-CPR]');
  t.same(cpr?.['nested'], { id: '[REDACTED-CPR]' });
});

t.test('drain: /readyz 503 at once, requests still served, each closing its kept-alive connection', async (t) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  const get = (path: string) =>
    new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest(`${e2e.baseUrl}${path}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.end();
    });
  t.equal((await get('/healthz')).connection, 'keep-alive', 'kept alive before the drain');
  e2e.service.startDrain();
  const ready = await readyz();
  t.equal(ready.status, 503);
  t.equal(ready.body.checks['shutdown']?.ok, false);
  const during = await get('/saml/metadata');
  t.equal(during.status, 200, 'still serving');
  t.equal(during.connection, 'close', 'the connection is closed politely');
});

async function inflatedRequest(url: string): Promise<string> {
  const { inflateRawSync } = await import('node:zlib');
  const encoded = new URL(url).searchParams.get('SAMLRequest')!;
  return inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
}
