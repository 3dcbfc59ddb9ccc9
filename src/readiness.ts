import type { X509Certificate } from 'node:crypto';
import type { ReadinessCheck, ReadinessReport } from './http/index.js';
import type { Clock } from './shared/index.js';
import { checkDatabase, pendingMigrations, type Pool } from './store/index.js';

export interface ReadinessSources {
  readonly pool: Pool;
  readonly migrationsDir: string;
  readonly clock: Clock;
  /** Certificates whose expiry decides readiness (signing, NemID VOCES, …), by name. */
  readonly certificates: ReadonlyArray<{ name: string; cert: X509Certificate }>;
  /** Further checks added by later modules (SP registry reload, CRL freshness). */
  readonly extraChecks?: ReadonlyArray<() => Promise<[string, ReadinessCheck]>>;
}

/**
 * The schema state is cached for a few seconds: readiness probes and the request gate both ask, and a migration run
 * by ops from another process is seen without a restart.
 */
export function createSchemaState(pool: Pool, migrationsDir: string, clock: Clock, maxAgeMs = 5000) {
  let cached: { at: number; pending: string[] } | null = null;
  return {
    async pending(): Promise<string[]> {
      const now = clock.now().getTime();
      if (cached && now - cached.at < maxAgeMs && cached.pending.length === 0) return cached.pending;
      const pending = await pendingMigrations(pool, migrationsDir);
      cached = { at: now, pending };
      return pending;
    },
  };
}

export type SchemaState = ReturnType<typeof createSchemaState>;

export async function readinessReport(sources: ReadinessSources, schema: SchemaState): Promise<ReadinessReport> {
  const checks: Record<string, ReadinessCheck> = {};
  const db = await checkDatabase(sources.pool);
  checks['database'] = db.reachable ? { ok: true, detail: `${db.latencyMs.toFixed(1)} ms` } : { ok: false, detail: db.errorCode ?? 'unreachable' };
  if (db.reachable) {
    try {
      const pending = await schema.pending();
      checks['schema'] = pending.length === 0 ? { ok: true } : { ok: false, detail: `pending migrations: ${pending.join(', ')}` };
    } catch {
      checks['schema'] = { ok: false, detail: 'schema state unknown' };
    }
  } else {
    checks['schema'] = { ok: false, detail: 'database unreachable' };
  }
  const now = sources.clock.now();
  let nearest: { name: string; notAfter: Date } | null = null;
  for (const { name, cert } of sources.certificates) {
    const notAfter = new Date(cert.validTo);
    const notBefore = new Date(cert.validFrom);
    const ok = notBefore <= now && now < notAfter;
    checks[`certificate:${name}`] = ok ? { ok: true, detail: `valid until ${notAfter.toISOString()}` } : { ok: false, detail: `not valid now (${notBefore.toISOString()} – ${notAfter.toISOString()})` };
    if (!nearest || notAfter < nearest.notAfter) nearest = { name, notAfter };
  }
  for (const check of sources.extraChecks ?? []) {
    const [name, result] = await check();
    checks[name] = result;
  }
  const ready = Object.values(checks).every((c) => c.ok);
  return nearest ? { ready, checks, nearestCertificateExpiry: `${nearest.name} ${nearest.notAfter.toISOString()}` } : { ready, checks };
}
