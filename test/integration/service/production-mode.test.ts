import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../../../src/app.js';
import { createTestDatabase } from '../../helpers/database.js';
import { freePort } from '../../helpers/e2e.js';
import { productionEnv } from '../../helpers/production-env.js';
import { captureLog } from '../../helpers/log-capture.js';

// Outside the simulator nothing of the simulator exists: no second port, no demo SP, no test users, no route that
// could mint an identity; the pinned production root is loaded from trust/production.


t.test('production: no simulator, no demo SP, metadata and readiness served', async (t) => {
  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  const metadataDir = mkdtempSync(join(tmpdir(), 'prod-metadata-'));
  t.teardown(() => rmSync(metadataDir, { recursive: true, force: true }));
  const [port, simulatorPort] = [await freePort(), await freePort()];
  const logs = captureLog();
  const service = await startService({
    env: productionEnv({
      PORT: String(port),
      SIMULATOR_PORT: String(simulatorPort),
      SIMULATOR_PID_CPR_PORT: String(await freePort()),
      DATABASE_URL: db.url,
      METADATA_DIR: metadataDir,
      JOBS_ENABLED: 'false',
    }),
    logDestination: logs.stream as never,
    listen: { metricsPort: 0 },
  });
  t.teardown(() => service.close());
  const base = `http://127.0.0.1:${port}`;
  t.equal(service.simulatorUrl, null);
  t.equal((await fetch(`${base}/readyz`)).status, 200);
  t.equal((await fetch(`${base}/demo`)).status, 404, 'no demo SP');
  t.equal((await fetch(`${base}/developers/`)).status, 404, 'no test users');
  const simulator = await fetch(`http://127.0.0.1:${simulatorPort}/developers/`).then(
    () => 'listening',
    () => 'closed',
  );
  t.equal(simulator, 'closed', 'nothing listens on the simulator port');
  const metadata = await fetch(`${base}/saml/metadata`);
  t.equal(metadata.status, 200);
  t.match(await metadata.text(), /entityID="https:\/\/idp\.example\.dk"/);
  t.notMatch(logs.text(), /SIMULATOR ENVIRONMENT/);
});

// Issue 16 item 6: outside the simulator the public port shows ready/not ready only and has no /metrics; the
// details are on the operations listener, or behind the bearer token when that is the chosen protection.
t.test('production: /metrics not on the public port; details on the operations listener or with the token only', async (t) => {
  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  const metadataDir = mkdtempSync(join(tmpdir(), 'prod-metadata-'));
  t.teardown(() => rmSync(metadataDir, { recursive: true, force: true }));
  const start = async (extra: Record<string, string>) => {
    const port = await freePort();
    const service = await startService({
      env: productionEnv({ PORT: String(port), DATABASE_URL: db.url, METADATA_DIR: metadataDir, JOBS_ENABLED: 'false', ...extra }),
      logDestination: captureLog().stream as never,
    });
    t.teardown(() => service.close());
    return { service, base: `http://127.0.0.1:${port}` };
  };

  const separate = await start({ METRICS_PORT: String(await freePort()) });
  t.equal((await fetch(`${separate.base}/metrics`)).status, 404, 'no /metrics on the public port');
  const publicReady = await fetch(`${separate.base}/readyz`);
  t.equal(publicReady.status, 200);
  t.same(await publicReady.json(), { status: 'ready', ready: true }, 'ready or not ready, nothing more');
  t.ok(separate.service.metricsUrl);
  const metrics = await fetch(`${separate.service.metricsUrl}/metrics`);
  t.equal(metrics.status, 200);
  t.match(await metrics.text(), /nemid_idp_http_request_duration_seconds/);
  const detailed = (await (await fetch(`${separate.service.metricsUrl}/readyz`)).json()) as { checks?: Record<string, unknown> };
  t.ok(detailed.checks?.['database'], 'details on the operations listener');

  const token = 'operations-token-for-the-test-0123';
  const guarded = await start({ METRICS_TOKEN: token });
  t.equal(guarded.service.metricsUrl, null, 'no second listener');
  const refused = await fetch(`${guarded.base}/metrics`, { headers: { accept: 'application/json' } });
  t.equal(refused.status, 401);
  t.equal(((await refused.json()) as { error: string }).error, 'OPERATIONS_UNAUTHORIZED');
  t.equal((await fetch(`${guarded.base}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-the-same-len-0123' } })).status, 401);
  t.equal((await fetch(`${guarded.base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  t.same(await (await fetch(`${guarded.base}/readyz`)).json(), { status: 'ready', ready: true });
  const withToken = (await (await fetch(`${guarded.base}/readyz`, { headers: { authorization: `Bearer ${token}` } })).json()) as { checks?: unknown };
  t.ok(withToken.checks, 'details with the token');
});
