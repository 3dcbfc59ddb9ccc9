// `nemid-idp dev-pki [--out DIR] [--base-url URL] [--root-bits N]`: generates the simulator PKI and writes it
// (keys, certificates, state, and `trust/` for NEMID_ENVIRONMENT=simulator) into DIR (default `.data/dev-pki`).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateDevPki, writeDevPki } from '../pki/index.js';
import type { CliIo } from './check-certificate.js';

const USAGE = 'usage: dev-pki [--out DIR] [--base-url URL] [--root-bits 2048|3072|4096] [--force]\n';

export async function devPkiCommand(args: string[], io: CliIo): Promise<number> {
  let out = join('.data', 'dev-pki');
  let baseUrl = 'http://localhost:8081';
  let rootKeyBits = 4096;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg === '--force') {
      force = true;
      continue;
    }
    if (next === undefined || !['--out', '--base-url', '--root-bits'].includes(arg)) {
      io.stderr(`dev-pki: unexpected argument ${arg}\n${USAGE}`);
      return 2;
    }
    i++;
    if (arg === '--out') out = next;
    else if (arg === '--base-url') baseUrl = next;
    else rootKeyBits = Number(next);
  }
  if (![2048, 3072, 4096].includes(rootKeyBits)) {
    io.stderr(`dev-pki: --root-bits must be 2048, 3072 or 4096\n${USAGE}`);
    return 2;
  }
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError('not http(s)');
  } catch {
    io.stderr(`dev-pki: invalid --base-url ${baseUrl}\n`);
    return 2;
  }
  if (existsSync(join(out, 'state.json')) && !force) {
    io.stderr(`dev-pki: ${out} already holds a PKI (use --force to replace it)\n`);
    return 2;
  }
  const pki = await generateDevPki({ baseUrl, rootKeyBits });
  writeDevPki(out, pki);
  io.stdout(`dev-pki written to ${out}\nroot SHA-256 ${pki.rootFingerprint256}\nusers: ${[...pki.users.keys()].join(', ')}\n`);
  return 0;
}
