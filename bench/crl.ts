// CRL benchmark (issue 4): builds a 1,000,000-entry CRL directly in DER and signs it, then loads it in a fresh
// process (parse + signature check + serial index) and reports load time, peak RSS and lookup time.
// Run: `npx tsx bench/crl.ts [entries]`. The targets are under 2 s and under 200 MB.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAuthorities, buildCrl, crlSignedBy, parseCertificate, parseCrl } from '../src/pki/index.js';

const SELF = fileURLToPath(import.meta.url);

function* randomEntries(count: number, revokedAt: Date) {
  const pool = randomBytes(count * 16);
  for (let i = 0; i < count; i++) {
    const bytes = pool.subarray(i * 16, i * 16 + 16);
    bytes[0] = (bytes[0]! & 0x7f) | 0x01;
    yield { serialHex: bytes.toString('hex').toUpperCase(), revokedAt, reason: 'keyCompromise' as const };
  }
}

/**
 * Peak RSS of this process. VmHWM is per address space and starts afresh at exec; getrusage's maxRSS does not on
 * Linux (it inherits the parent's high-water mark at fork), so it is only the fallback.
 */
function peakRssMB(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Child: load the CRL and report as one JSON line. */
function load(crlFile: string, issuerFile: string, probeFile: string): void {
  const issuer = parseCertificate(readFileSync(issuerFile, 'latin1'));
  const probes = readFileSync(probeFile, 'utf8').trim().split('\n');
  const der = readFileSync(crlFile);
  const baselineRss = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const crl = parseCrl(der);
  const parsedAt = process.hrtime.bigint();
  const signed = crlSignedBy(crl, issuer);
  const loadedAt = process.hrtime.bigint();
  if (!signed.ok) throw new Error(`CRL refused: ${signed.reason}`);
  let hits = 0;
  const lookupStart = process.hrtime.bigint();
  for (let round = 0; round < 10; round++) for (const probe of probes) if (crl.isRevoked(probe)) hits++;
  const lookupNs = Number(process.hrtime.bigint() - lookupStart) / (10 * probes.length);
  const result = {
    entries: crl.entries,
    derBytes: der.length,
    parseMs: Number(parsedAt - started) / 1e6,
    signatureMs: Number(loadedAt - parsedAt) / 1e6,
    loadMs: Number(loadedAt - started) / 1e6,
    baselineRssMB: baselineRss / 2 ** 20,
    peakRssMB: peakRssMB(),
    lookupNs,
    hits: hits / 10,
    probes: probes.length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  if (argv[0] === '--load') {
    load(argv[1]!, argv[2]!, argv[3]!);
    return 0;
  }
  const count = Number(argv[0] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'crl-bench-'));
  try {
    const pki = await buildAuthorities({ baseUrl: 'http://127.0.0.1:1', rootKeyBits: 2048 });
    const generationStart = Date.now();
    const entries = [...randomEntries(count, new Date())];
    const crl = buildCrl({
      issuer: pki.issuingCa.certificate.subjectDer,
      signingKey: pki.issuingCa.privateKey,
      authorityKeyId: Buffer.from(pki.issuingCa.certificate.subjectKeyIdHex ?? '', 'hex'),
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 12 * 3600_000),
      crlNumber: 1,
      entries,
    });
    const generationMs = Date.now() - generationStart;
    // Half the probes are listed serials, half random ones that are not.
    const probes = [
      ...entries.filter((_, i) => i % Math.max(1, Math.floor(count / 500)) === 0).slice(0, 500).map((e) => e.serialHex),
      ...[...randomEntries(500, new Date())].map((e) => e.serialHex.replace(/^./, '0')),
    ];
    writeFileSync(join(dir, 'big.crl'), crl);
    writeFileSync(join(dir, 'issuer.pem'), pki.issuingCa.certificatePem);
    writeFileSync(join(dir, 'probes.txt'), probes.join('\n'));
    const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--load', join(dir, 'big.crl'), join(dir, 'issuer.pem'), join(dir, 'probes.txt')], {
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      return 1;
    }
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number>;
    const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(28)} ${value}\n`);
    line('entries', String(result.entries));
    line('DER size', `${((result.derBytes ?? 0) / 2 ** 20).toFixed(1)} MiB (generated in ${generationMs} ms)`);
    line('parse + index', `${result.parseMs?.toFixed(0)} ms`);
    line('signature check', `${result.signatureMs?.toFixed(0)} ms`);
    line('load time', `${result.loadMs?.toFixed(0)} ms (target < 2000 ms)`);
    line('RSS before load', `${result.baselineRssMB?.toFixed(0)} MB (tsx loader and the file)`);
    line('peak RSS', `${result.peakRssMB?.toFixed(0)} MB (target < 200 MB)`);
    line('lookup', `${result.lookupNs?.toFixed(0)} ns per isRevoked (${result.hits}/${result.probes} probes listed)`);
    const ok = (result.loadMs ?? Infinity) < 2000 && (result.peakRssMB ?? Infinity) < 200 && result.hits === 500;
    line('verdict', ok ? 'PASS' : 'FAIL');
    return ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
