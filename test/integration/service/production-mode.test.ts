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
      DATABASE_URL: db.url,
      METADATA_DIR: metadataDir,
      JOBS_ENABLED: 'false',
    }),
    logDestination: logs.stream as never,
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
