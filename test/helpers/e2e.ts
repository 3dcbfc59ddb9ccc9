import type { SAML } from '@node-saml/node-saml';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService } from '../../src/app.js';
import type { Clock } from '../../src/shared/index.js';
import { freePort } from '../../bench/lib/free-port.js';
import { nodeSamlFor, writeTestSp, type NodeSamlOptions, type TestSpDefinition } from '../../bench/lib/test-sp.js';
import { createTestDatabase } from './database.js';
import { captureLog } from './log-capture.js';

// End-to-end harness: the whole service (simulator environment, real PostgreSQL, real NemID simulator on its own
// port) with SPs played by an independent SAML library (@node-saml/node-saml), and a small cookie-keeping browser.
// The browser, the NemID client player and the test SPs live in bench/lib, shared with the load driver.

export { TestBrowser, hiddenField, formAction, samlPostForm } from '../../bench/lib/browser.js';
export { loginWithSimulator } from '../../bench/lib/nemid-simulator-client.js';
export { freePort } from '../../bench/lib/free-port.js';
export { SP_KEYS, nodeSamlFor, writeTestSp, type TestSpDefinition } from '../../bench/lib/test-sp.js';

export interface E2eService {
  readonly service: RunningService;
  readonly baseUrl: string;
  readonly simulatorUrl: string;
  readonly logs: ReturnType<typeof captureLog>;
  readonly databaseUrl: string;
  /** A node-saml SP for a registered test SP; each call gives a fresh instance with its own request cache. */
  sp(name: string, options?: NodeSamlOptions): SAML;
  /** Stops the service and starts it again on the same ports, database and DATA_DIR. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** An SP registered with metadata written by another SAML library. */
export interface RawSpDefinition {
  readonly name: string;
  readonly metadataXml: string;
  readonly policy: Record<string, unknown>;
}

/** Starts the service on free ports with a fresh database and the given SPs registered (plus the demo SP). */
export async function startE2eService(
  sps: readonly TestSpDefinition[],
  env: Record<string, string> = {},
  rawSps: readonly RawSpDefinition[] = [],
  options: { clock?: Clock } = {},
): Promise<E2eService> {
  const db = await createTestDatabase({ migrate: true, poolMax: 2 });
  const dataDir = mkdtempSync(join(tmpdir(), 'nemid-idp-e2e-data-'));
  const metadataDir = mkdtempSync(join(tmpdir(), 'nemid-idp-e2e-metadata-'));
  const [port, simulatorPort, pidCprPort] = [await freePort(), await freePort(), await freePort()];
  const baseUrl = `http://localhost:${port}`;
  // The demo SP needs no file: the simulator environment derives its registration from IDP_BASE_URL.
  // node-saml needs a metadata document per SP: it writes one with its own keys.
  for (const def of sps) writeTestSp(metadataDir, baseUrl, def);
  for (const raw of rawSps) {
    writeFileSync(join(metadataDir, `${raw.name}.xml`), raw.metadataXml);
    writeFileSync(join(metadataDir, `${raw.name}.json`), JSON.stringify(raw.policy, null, 2));
  }
  const logs = captureLog();
  const start = () => startService({
    env: {
      NEMID_ENVIRONMENT: 'simulator',
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      METADATA_DIR: metadataDir,
      PORT: String(port),
      SIMULATOR_PORT: String(simulatorPort),
      SIMULATOR_PID_CPR_PORT: String(pidCprPort),
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '10000',
      ...env,
    },
    logDestination: logs.stream as never,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  let service = await start();
  const idpCert = service.config.idp.signing.certPem;
  return {
    get service() {
      return service;
    },
    baseUrl,
    simulatorUrl: `http://localhost:${simulatorPort}`,
    logs,
    databaseUrl: db.url,
    sp: (name, options) => {
      const def = sps.find((candidate) => candidate.name === name);
      if (!def) throw new Error(`no test SP ${name}`);
      return nodeSamlFor(baseUrl, idpCert, def, options);
    },
    async restart() {
      await service.close();
      service = await start();
    },
    async close() {
      await service.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(metadataDir, { recursive: true, force: true });
    },
  };
}
