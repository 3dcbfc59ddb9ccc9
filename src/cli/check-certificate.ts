// `nemid-idp check-certificate <pem|der> [--environment] [--trust-dir] [--root-sha256] [--crl file…] [--revocation skip]
// [--at ISO-8601] [--json] [--chain file…]`: the certificate decision of a login, offline or with live CRLs.
// Exit 0 only when VALID; 1 for any other status; 2 for a usage or input error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  certificatesFromFile,
  createCertificateValidator,
  createCrlSource,
  createStaticCrlSource,
  loadTrustStore,
  parseCertificate,
  type CertificateVerdict,
  type Environment,
  type RevocationSource,
} from '../pki/index.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE =
  'usage: check-certificate <file.pem|file.der> [--environment production|preproduction|simulator] [--trust-dir DIR]\n' +
  '       [--root-sha256 FP[,FP]] [--crl FILE]... [--chain FILE]... [--revocation check|skip] [--at ISO-8601] [--json]\n';

const DEFAULT_CRL_HOSTS = ['crl.*.trust2408.com'];

interface Parsed {
  file: string;
  environment: Environment;
  trustDir?: string;
  rootSha256?: string;
  crls: string[];
  chain: string[];
  revocation: 'check' | 'skip';
  at?: Date;
  json: boolean;
}

function parseArgs(args: string[]): Parsed | string {
  const parsed: Parsed = { file: '', environment: 'production', crls: [], chain: [], revocation: 'check', json: false };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new RangeError(`${arg} needs a value`);
      return next;
    };
    try {
      switch (arg) {
        case '--environment': {
          const env = value();
          if (env !== 'production' && env !== 'preproduction' && env !== 'simulator') return `unknown environment ${env}`;
          parsed.environment = env;
          break;
        }
        case '--trust-dir':
          parsed.trustDir = value();
          break;
        case '--root-sha256':
          parsed.rootSha256 = value();
          break;
        case '--crl':
          parsed.crls.push(value());
          break;
        case '--chain':
          parsed.chain.push(value());
          break;
        case '--revocation': {
          const mode = value();
          if (mode !== 'check' && mode !== 'skip') return `unknown revocation mode ${mode}`;
          parsed.revocation = mode;
          break;
        }
        case '--at': {
          const text = value();
          const at = new Date(text);
          if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(at.getTime())) return `invalid --at ${text}`;
          parsed.at = at;
          break;
        }
        case '--json':
          parsed.json = true;
          break;
        default:
          if (arg.startsWith('--')) return `unknown option ${arg}`;
          files.push(arg);
      }
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
  if (files.length !== 1) return 'exactly one certificate file is required';
  parsed.file = files[0]!;
  return parsed;
}

function toJson(verdict: CertificateVerdict): Record<string, unknown> {
  const identity = verdict.identity;
  return {
    status: verdict.status,
    type: verdict.type ?? null,
    revocation: verdict.revocation,
    ...(identity
      ? {
          subjectSerialNumber: identity.subjectSerialNumber,
          pid: identity.pid,
          cvr: identity.cvr,
          rid: identity.rid,
          uid: identity.uid,
          fid: identity.fid,
          commonName: identity.commonName,
          organizationName: identity.organizationName,
          email: identity.email,
          youth: identity.youth,
          pseudonym: identity.pseudonym,
          certificateSerialHex: identity.certificateSerialHex,
          issuerDn: identity.issuerDn,
          policyOid: identity.policyOid,
          notBefore: identity.notBefore.toISOString(),
          notAfter: identity.notAfter.toISOString(),
        }
      : {}),
    chain: verdict.chain.map((c) => ({ ...c, notAfter: c.notAfter.toISOString() })),
    ...(verdict.reason ? { reason: verdict.reason } : {}),
  };
}

function toText(verdict: CertificateVerdict): string {
  const lines = [`status: ${verdict.status}`];
  const identity = verdict.identity;
  if (identity) {
    lines.push(`type: ${identity.type}`, `subject serialNumber: ${identity.subjectSerialNumber}`);
    for (const key of ['pid', 'cvr', 'rid', 'uid', 'fid', 'email'] as const) if (identity[key]) lines.push(`${key}: ${identity[key]}`);
    lines.push(
      `name: ${identity.commonName}${identity.pseudonym ? ' (pseudonym)' : ''}${identity.youth ? ' (youth certificate)' : ''}`,
      `organisation: ${identity.organizationName}`,
      `serial: ${identity.certificateSerialHex}`,
      `valid: ${identity.notBefore.toISOString()} → ${identity.notAfter.toISOString()}`,
    );
  }
  lines.push(`revocation: ${verdict.revocation}`);
  if (verdict.chain.length > 0) {
    lines.push('chain:');
    verdict.chain.forEach((c, i) => lines.push(`  ${i}: ${c.subject} [${c.serialHex}] notAfter ${c.notAfter.toISOString()} revocation ${c.revocation}`));
  }
  if (verdict.reason) lines.push(`reason: ${verdict.reason}`);
  return `${lines.join('\n')}\n`;
}

export async function checkCertificateCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.stderr(`check-certificate: ${parsed}\n${USAGE}`);
    return 2;
  }
  let leaf: Buffer;
  const bag: Buffer[] = [];
  let revocation: RevocationSource;
  let store;
  try {
    const inFile = certificatesFromFile(readFileSync(parsed.file));
    // The leaf is found structurally: the one non-CA certificate of the file; the rest joins the bag.
    const leaves = inFile.filter((der) => !parseCertificate(der, { errorCode: 'BAD_REQUEST' }).isCa);
    if (leaves.length !== 1) throw new RangeError(`expected one end-entity certificate in ${parsed.file}, found ${leaves.length}`);
    leaf = leaves[0]!;
    bag.push(...inFile.filter((der) => der !== leaf));
    for (const file of parsed.chain) bag.push(...certificatesFromFile(readFileSync(file)));
    // A folder may hold several environments' certificates: the environment's pinned roots and what they signed
    // are selected, the rest ignored (a certificate still has to chain to a pinned root of this environment).
    store = loadTrustStore(parsed.environment, parsed.trustDir ?? join('trust', parsed.environment), {
      mode: 'select',
      ...(parsed.rootSha256 ? { pinnedRootSha256: parsed.rootSha256 } : {}),
    });
    revocation =
      parsed.crls.length > 0
        ? createStaticCrlSource(parsed.crls.map((file) => readFileSync(file)))
        : createCrlSource({ allowedHosts: DEFAULT_CRL_HOSTS });
  } catch (error) {
    io.stderr(`check-certificate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const validator = createCertificateValidator({ trustStore: store, revocation });
  const verdict = await validator.validate(leaf, bag, {
    revocation: parsed.revocation,
    ...(parsed.at ? { at: parsed.at } : {}),
  });
  io.stdout(parsed.json ? `${JSON.stringify(toJson(verdict))}\n` : toText(verdict));
  return verdict.status === 'VALID' ? 0 : 1;
}
