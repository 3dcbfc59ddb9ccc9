import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startService } from '../../../src/app.js';
import { createTestDatabase } from '../../helpers/database.js';
import { freePort } from '../../helpers/e2e.js';
import { makeTestKeyPair } from '../../helpers/keys.js';
import { captureLog } from '../../helpers/log-capture.js';

// Outside the simulator nothing of the simulator exists: no second port, no demo SP, no test users, no route that
// could mint an identity; the pinned production root is loaded from trust/production.

const ROOT = resolve(import.meta.dirname, '../../..');

t.test('production: no simulator, no demo SP, metadata and readiness served', async (t) => {
  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  const idp = makeTestKeyPair('idp');
  const voces = makeTestKeyPair('voces');
  const metadataDir = mkdtempSync(join(tmpdir(), 'prod-metadata-'));
  t.teardown(() => rmSync(metadataDir, { recursive: true, force: true }));
  const [port, simulatorPort] = [await freePort(), await freePort()];
  const secret = () => randomBytes(32).toString('base64');
  const logs = captureLog();
  const service = await startService({
    env: {
      NEMID_ENVIRONMENT: 'production',
      PORT: String(port),
      SIMULATOR_PORT: String(simulatorPort),
      IDP_BASE_URL: 'https://idp.example.dk',
      IDP_ENTITY_ID: 'https://idp.example.dk',
      IDP_SIGNING_KEY: idp.keyPath,
      IDP_SIGNING_CERT: idp.certPath,
      DATABASE_URL: db.url,
      IDP_DISPLAY_NAME_DA: 'Eksempel',
      IDP_DISPLAY_NAME_EN: 'Example',
      IDP_ORGANIZATION_NAME: 'Eksempel A/S',
      IDP_ORGANIZATION_URL: 'https://example.dk',
      IDP_CONTACT_TECHNICAL: 'drift@example.dk',
      IDP_CONTACT_SUPPORT: 'support@example.dk',
      NEMID_SP_KEY: voces.keyPath,
      NEMID_SP_CERT: voces.certPath,
      NEMID_REQUEST_ISSUER: 'Eksempel',
      NEMID_CLIENT_ORIGIN: 'https://applet.danid.dk',
      NEMID_JS_CLIENT_URL: 'https://applet.danid.dk/launcher/lmt',
      OCES_TRUST_DIR: join(ROOT, 'trust/production'),
      REVOCATION_HOSTS: 'crl.*.trust2408.com',
      COOKIE_SECRETS: secret(),
      PSEUDONYM_SECRET: secret(),
      CPR_ENCRYPTION_KEYS: `k1:${secret()}`,
      CPR_PID_HMAC_SECRET: secret(),
      METADATA_DIR: metadataDir,
      JOBS_ENABLED: 'false',
    },
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
