// Persisting a generated dev-pki under `.data/` so the simulator generates once and reuses it. Private keys are
// written with mode 0600; `trust/` holds what the IdP's simulator trust store loads (root, issuing CA, root pin).
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate } from '../certificate.js';
import type { OcesType } from '../oces-profile.js';
import { SIMULATOR_PIN_FILE } from '../trust-store.js';
import type { CrlReason } from './builders.js';
import { DevPki, type DevPkiCredential, type RevocationRecord } from './generate.js';

interface State {
  format: 1;
  baseUrl: string;
  keyBits: number;
  crlNumber: number;
  users: Array<{ name: string; type: OcesType }>;
  revocations: Array<{ serialHex: string; revokedAt: string; reason: CrlReason; list: 'root' | 'ca' }>;
}

const SAFE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function writeCredential(dir: string, stem: string, credential: DevPkiCredential): void {
  writeFileSync(join(dir, `${stem}.cert.pem`), credential.certificatePem);
  writeFileSync(join(dir, `${stem}.key.pem`), credential.privateKeyPem, { mode: 0o600 });
}

function readCredential(dir: string, stem: string): DevPkiCredential {
  const certificatePem = readFileSync(join(dir, `${stem}.cert.pem`), 'latin1');
  const privateKeyPem = readFileSync(join(dir, `${stem}.key.pem`), 'latin1');
  const certificate = parseCertificate(certificatePem, { errorCode: 'CONFIG_INVALID' });
  return { certificateDer: certificate.der, certificatePem, privateKey: createPrivateKey(privateKeyPem), privateKeyPem, certificate };
}

export function writeDevPki(dir: string, pki: DevPki): void {
  mkdirSync(join(dir, 'users'), { recursive: true });
  mkdirSync(join(dir, 'trust'), { recursive: true });
  writeCredential(dir, 'root', pki.root);
  writeCredential(dir, 'ca1', pki.issuingCa);
  writeCredential(dir, 'ocsp', pki.ocspResponder);
  for (const user of pki.users.values()) {
    if (!SAFE_NAME.test(user.name)) throw new RangeError(`unsafe dev-pki user name ${user.name}`);
    writeCredential(join(dir, 'users'), user.name, user);
  }
  writeFileSync(join(dir, 'trust', 'root.cert.pem'), pki.root.certificatePem);
  writeFileSync(join(dir, 'trust', 'ca1.cert.pem'), pki.issuingCa.certificatePem);
  writeFileSync(join(dir, 'trust', SIMULATOR_PIN_FILE), `${pki.rootFingerprint256}\n`);
  const state: State = {
    format: 1,
    baseUrl: pki.baseUrl,
    keyBits: pki.keyBits,
    crlNumber: pki.crlNumber,
    users: [...pki.users.values()].map((u) => ({ name: u.name, type: u.type })),
    revocations: [...pki.revocations.values()].map((r) => ({ ...r, revokedAt: r.revokedAt.toISOString() })),
  };
  writeFileSync(join(dir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
}

export function loadDevPki(dir: string): DevPki {
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as State;
  if (state.format !== 1) throw new RangeError('unknown dev-pki state format');
  const pki = new DevPki(state.baseUrl, readCredential(dir, 'root'), readCredential(dir, 'ca1'), readCredential(dir, 'ocsp'), state.keyBits);
  pki.crlNumber = state.crlNumber;
  for (const { name, type } of state.users) {
    if (!SAFE_NAME.test(name)) throw new RangeError(`unsafe dev-pki user name ${name}`);
    pki.users.set(name, { ...readCredential(join(dir, 'users'), name), name, type });
  }
  for (const r of state.revocations) {
    const record: RevocationRecord = { ...r, revokedAt: new Date(r.revokedAt) };
    pki.revocations.set(record.serialHex, record);
  }
  return pki;
}
