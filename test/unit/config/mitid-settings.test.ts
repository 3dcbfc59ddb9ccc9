import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveCommand } from '../../../src/cli/serve.js';
import { ConfigError, loadConfig } from '../../../src/config/index.js';
import { productionEnv } from '../../helpers/production-env.js';

// MITID_* settings (mitid.md "Configuration"): MitID only with MITID_ISSUER, exactly one client authentication,
// and production refuses the broker simulator's issuer (exit 78, before the database).

async function problemsOf(env: Record<string, string | undefined>): Promise<string[]> {
  try {
    await loadConfig({ env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

const real = { MITID_ISSUER: 'https://broker.example.dk/oidc', MITID_CLIENT_ID: 'idp', MITID_CLIENT_SECRET: 'secret-of-the-test' };

t.test('no MITID_ISSUER: MitID is not configured', async (t) => {
  const config = await loadConfig({ env: productionEnv() });
  t.equal(config.mitid, null);
});

t.test('a real broker with a client secret', async (t) => {
  const config = await loadConfig({ env: productionEnv(real) });
  t.equal(config.mitid?.issuer, 'https://broker.example.dk/oidc');
  t.equal(config.mitid?.clientAuth.method, 'client_secret_basic');
  t.equal(config.mitid?.allowInsecureHttp, false);
});

t.test('a real broker with private_key_jwt', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mitid-key-'));
  const path = join(dir, 'mitid-client.TEST-ONLY.key.pem');
  writeFileSync(path, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const config = await loadConfig({ env: productionEnv({ ...real, MITID_CLIENT_SECRET: undefined, MITID_CLIENT_KEY: path }) });
  t.equal(config.mitid?.clientAuth.method, 'private_key_jwt');
});

t.test('production refuses the broker simulator as issuer', async (t) => {
  for (const issuer of ['http://localhost:8081/mitid-simulator', 'https://localhost:8443/oidc', 'https://broker.example.dk/mitid-simulator']) {
    const problems = await problemsOf(productionEnv({ ...real, MITID_ISSUER: issuer }));
    t.ok(problems.some((p) => p.startsWith('MITID_ISSUER:') && /simulator/.test(p)), `${issuer} refused`);
  }
});

t.test('settings that do not fit together', async (t) => {
  t.ok((await problemsOf(productionEnv({ MITID_CLIENT_ID: 'idp' }))).some((p) => p.startsWith('MITID_CLIENT_ID:')), 'a client id without an issuer');
  t.ok((await problemsOf(productionEnv({ ...real, MITID_CLIENT_KEY: '/x.pem' }))).some((p) => p.startsWith('MITID_CLIENT_KEY/MITID_CLIENT_SECRET:')), 'key and secret');
  t.ok((await problemsOf(productionEnv({ ...real, MITID_CLIENT_SECRET: undefined }))).some((p) => p.startsWith('MITID_CLIENT_KEY/MITID_CLIENT_SECRET:')), 'neither');
  t.ok((await problemsOf(productionEnv({ ...real, MITID_CLAIMS_MAP: '{not json' }))).some((p) => p.startsWith('MITID_CLAIMS_MAP:')), 'a claims map that is not JSON');
});

t.test('serve exits 78 naming MITID_ISSUER for a simulator issuer in production (before the database)', async (t) => {
  let stderr = '';
  const code = await serveCommand([], { env: productionEnv({ ...real, MITID_ISSUER: 'http://localhost:8081/mitid-simulator' }), stdout: () => undefined, stderr: (text) => (stderr += text) });
  t.equal(code, 78);
  t.match(stderr, /MITID_ISSUER: .*simulator/);
});
