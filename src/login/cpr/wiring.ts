import { readFileSync } from 'node:fs';
import type { Config } from '../../config/index.js';
import { IdpError } from '../../errors/index.js';
import { createPidCprClient, type PidCprClient } from '../../nemid/index.js';
import { createCprStep, type CprStep } from './step.js';
import { createCprVault, type CprKeyRing } from './vault.js';

// Building the CPR step and vault from configuration (for app.ts). Over https the client authenticates with the
// VOCES (NEMID_SP_KEY/_CERT) and trusts only PID_CPR_SERVER_CA; plain http is accepted only in the simulator
// environment (config validation refuses it elsewhere).

export function pidCprClientFromConfig(config: Config): PidCprClient | null {
  const { url, spid, serverCaPath, timeoutMs } = config.pidCpr;
  if (!url || !spid) return null;
  if (new URL(url).protocol !== 'https:') {
    if (config.environment !== 'simulator') throw new IdpError('CONFIG_INVALID', 'PID_CPR_URL must use https outside the simulator');
    return createPidCprClient({ url, spid, timeoutMs });
  }
  if (!serverCaPath) throw new IdpError('CONFIG_INVALID', 'PID_CPR_SERVER_CA is required for an https PID_CPR_URL');
  const serverCaPem = readFileSync(serverCaPath, 'utf8');
  return createPidCprClient({
    url,
    spid,
    timeoutMs,
    tls: { clientKeyPem: config.nemid.sp.keyPem, clientCertPem: config.nemid.sp.certPem, serverCaPem },
  });
}

/** The vault (null without CPR_ENCRYPTION_KEYS) and the CPR step for LoginDeps.cprVault and LoginDeps.steps. */
export function cprFromConfig(config: Config, overrides: { pidCpr?: PidCprClient | null } = {}): { vault: CprKeyRing | null; step: CprStep } {
  const vault = config.secrets.cprEncryption.length > 0 ? createCprVault(config.secrets.cprEncryption) : null;
  const pidCpr = overrides.pidCpr !== undefined ? overrides.pidCpr : pidCprClientFromConfig(config);
  return { vault, step: createCprStep({ pidCpr, pidHmacSecret: config.secrets.cprPidHmac }) };
}
