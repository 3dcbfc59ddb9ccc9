// Full CRLs fetched from the certificate's distribution point (nemid-protocol.md §7). Memory first, then the shared
// persistence (crl_cache), then the network; concurrent requests for one URL share one fetch. A CRL answers only
// when its signature, issuer and window check out; otherwise the answer is UNAVAILABLE, except within an explicitly
// configured grace period past nextUpdate, which is logged and counted.
import { systemClock, type Clock } from '../../shared/index.js';
import type { ParsedCertificate } from '../certificate.js';
import { DerError } from '../der.js';
import { parseCrl, type ParsedCrl } from '../crl.js';
import { crlCurrentAt, crlSignedBy } from '../crl-validation.js';
import { formatName, type ParsedName } from '../names.js';
import { FetchError, fetchBytes, hostAllowed, type FetchLike } from './http-fetch.js';
import {
  silentLogger,
  type CrlPersistence,
  type Logger,
  type MetricHook,
  type RevocationAnswer,
  type RevocationQuery,
  type RevocationSource,
} from './types.js';

export interface CrlSourceOptions {
  /** Host patterns (`crl.*.trust2408.com`, `localhost:8081`); a distribution point elsewhere is never fetched. */
  allowedHosts: readonly string[];
  fetchTimeoutMs?: number;
  maxBytes?: number;
  persistence?: CrlPersistence;
  clock?: Clock;
  log?: Logger;
  onMetric?: MetricHook;
  /** Accept a CRL this long past nextUpdate when no fresher one can be had (default 0: fail closed). */
  graceMs?: number;
  /** HTTP locations of partitioned CRLs, keyed by the partition DN in RFC 4514 form (e.g. `CN=CRL148,CN=…,C=DK`). */
  partitionUrls?: Readonly<Record<string, string>>;
  fetchImpl?: FetchLike;
}

export interface CrlStatusEntry {
  url: string;
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  entries: number;
  fetchedAt: Date;
  ageSeconds: number;
  stale: boolean;
}

export interface CrlRefreshResult {
  url: string;
  ok: boolean;
  reason?: string;
}

export interface CrlSource extends RevocationSource {
  /**
   * Refetches the CRLs this instance has used; the refresh job calls it ahead of nextUpdate. With `dueWithinMs`,
   * only those whose nextUpdate is that close (or past), and a fresher copy in the shared cache is taken first.
   */
  refreshCrls(options?: { dueWithinMs?: number }): Promise<CrlRefreshResult[]>;
  /** Per distribution point, for metrics and readiness (a stale CRL means logins of its CA fail). */
  crlStatus(): CrlStatusEntry[];
  /** Count of failed fetches since start. */
  fetchFailures(): number;
}

interface Target {
  url: string;
  partition?: ParsedName;
}

interface Entry {
  crl: ParsedCrl;
  issuer: ParsedCertificate;
  partition: ParsedName | undefined;
  fetchedAt: Date;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

export function createCrlSource(options: CrlSourceOptions): CrlSource {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const graceMs = options.graceMs ?? 0;
  const memory = new Map<string, Entry>();
  const issuers = new Map<string, { issuer: ParsedCertificate; partition: ParsedName | undefined }>();
  const inflight = new Map<string, Promise<Entry>>();
  let failures = 0;

  const partitionUrls = new Map(Object.entries(options.partitionUrls ?? {}).map(([dn, url]) => [dn.toLowerCase(), url]));

  function targetFor(certificate: ParsedCertificate): Target | { error: string } {
    for (const point of certificate.crlDistributionPoints) {
      for (const name of point.directoryNames) {
        const url = partitionUrls.get(formatName(name).toLowerCase());
        if (url) return { url, partition: name };
      }
    }
    const uris = certificate.crlDistributionPoints.flatMap((point) => point.uris).filter((uri) => /^https?:/i.test(uri));
    if (uris.length === 0) return { error: 'no HTTP CRL distribution point' };
    const allowed = uris.find((uri) => {
      try {
        return hostAllowed(new URL(uri), options.allowedHosts);
      } catch {
        return false;
      }
    });
    return allowed ? { url: allowed } : { error: 'CRL distribution point not on the allow-list' };
  }

  /** Parses and checks DER for `issuer`; throws with a reason when it may not be used at all. */
  function admit(der: Buffer, issuer: ParsedCertificate, partition: ParsedName | undefined, fetchedAt: Date): Entry {
    let crl: ParsedCrl;
    try {
      crl = parseCrl(der);
    } catch (error) {
      if (error instanceof DerError) throw new Error(`CRL malformed: ${error.message}`);
      throw error;
    }
    const signed = crlSignedBy(crl, issuer, partition ? { partition } : {});
    if (!signed.ok) throw new Error(signed.reason);
    return { crl, issuer, partition, fetchedAt };
  }

  function fetchAndStore(url: string, issuer: ParsedCertificate, partition: ParsedName | undefined): Promise<Entry> {
    const running = inflight.get(url);
    if (running) return running;
    const started = process.hrtime.bigint();
    const job = (async () => {
      try {
        const der = await fetchBytes(url, {
          allowedHosts: options.allowedHosts,
          timeoutMs: options.fetchTimeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
          accept: 'application/pkix-crl',
          ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
        });
        const now = clock.now();
        const entry = admit(der, issuer, partition, now);
        // A fetched CRL older than the one held (a lagging mirror) never replaces it.
        const held = memory.get(url);
        if (held && held.crl.thisUpdate.getTime() > entry.crl.thisUpdate.getTime()) return held;
        memory.set(url, entry);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        options.onMetric?.({ name: 'crl_fetch', url, seconds, bytes: der.length, entries: entry.crl.entries });
        log.info({ url, entries: entry.crl.entries, thisUpdate: entry.crl.thisUpdate, nextUpdate: entry.crl.nextUpdate, seconds }, 'CRL fetched');
        if (options.persistence && entry.crl.nextUpdate) {
          await options.persistence
            .put(url, {
              der,
              issuer: entry.crl.issuer,
              thisUpdate: entry.crl.thisUpdate,
              nextUpdate: entry.crl.nextUpdate,
              entries: entry.crl.entries,
            })
            .catch((error: unknown) => log.warn({ url, err: error }, 'CRL could not be persisted'));
        }
        return entry;
      } catch (error) {
        failures++;
        const reason = error instanceof FetchError || error instanceof Error ? error.message : 'failed';
        options.onMetric?.({ name: 'crl_fetch_failure', url, reason });
        log.warn({ url, reason }, 'CRL fetch failed');
        throw error;
      } finally {
        inflight.delete(url);
      }
    })();
    inflight.set(url, job);
    return job;
  }

  async function fromPersistence(url: string, issuer: ParsedCertificate, partition: ParsedName | undefined): Promise<Entry | undefined> {
    if (!options.persistence) return undefined;
    try {
      const stored = await options.persistence.get(url);
      if (!stored) return undefined;
      const entry = admit(stored.der, issuer, partition, stored.fetchedAt);
      const held = memory.get(url);
      if (!held || held.crl.thisUpdate.getTime() < entry.crl.thisUpdate.getTime()) memory.set(url, entry);
      return entry;
    } catch (error) {
      log.warn({ url, err: error }, 'persisted CRL unusable');
      return undefined;
    }
  }

  function usable(entry: Entry | undefined, issuer: ParsedCertificate, at: Date, grace: number): entry is Entry {
    if (!entry) return false;
    if (entry.issuer.fingerprint256 !== issuer.fingerprint256) {
      // Checked against another issuer object: re-verify rather than trust a cached verdict.
      if (!crlSignedBy(entry.crl, issuer, entry.partition ? { partition: entry.partition } : {}).ok) return false;
    }
    return crlCurrentAt(entry.crl, at, grace).ok;
  }

  function answer(entry: Entry, query: RevocationQuery, url: string): RevocationAnswer {
    const current = crlCurrentAt(entry.crl, query.at, graceMs);
    if (current.ok && current.withinGrace) {
      options.onMetric?.({ name: 'crl_grace_used', url });
      log.warn({ url, nextUpdate: entry.crl.nextUpdate }, 'CRL past nextUpdate used within the configured grace period');
    }
    const revoked = entry.crl.revocationOf(query.certificate.serialHex);
    return revoked ? { status: 'REVOKED', source: 'crl', revoked } : { status: 'GOOD', source: 'crl' };
  }

  return {
    async check(query) {
      const target = targetFor(query.certificate);
      if ('error' in target) return { status: 'UNAVAILABLE', reason: target.error };
      const { url, partition } = target;
      issuers.set(url, { issuer: query.issuer, partition });

      let entry = memory.get(url);
      if (usable(entry, query.issuer, query.at, 0)) return answer(entry, query, url);
      entry = await fromPersistence(url, query.issuer, partition);
      if (usable(entry, query.issuer, query.at, 0)) return answer(entry, query, url);
      let reason = 'no current CRL';
      try {
        const fetched: Entry = await fetchAndStore(url, query.issuer, partition);
        const fetchedCrl = fetched.crl;
        if (usable(fetched, query.issuer, query.at, 0)) return answer(fetched, query, url);
        reason = crlCurrentAt(fetchedCrl, query.at).ok ? 'CRL from another issuer' : 'fetched CRL not current';
      } catch (error) {
        reason = error instanceof Error ? error.message : 'fetch failed';
      }
      // Last resort: the configured grace period past nextUpdate.
      const held = memory.get(url);
      if (graceMs > 0 && usable(held, query.issuer, query.at, graceMs)) return answer(held, query, url);
      return { status: 'UNAVAILABLE', reason };
    },

    async refreshCrls(refreshOptions = {}) {
      const now = clock.now().getTime();
      const dueWithinMs = refreshOptions.dueWithinMs;
      const isDue = (entry: Entry | undefined) =>
        dueWithinMs === undefined || !entry?.crl.nextUpdate || entry.crl.nextUpdate.getTime() - now <= dueWithinMs;
      const results = await Promise.all(
        [...issuers.entries()].map(async ([url, { issuer, partition }]): Promise<CrlRefreshResult> => {
          if (!isDue(memory.get(url))) return { url, ok: true, reason: 'not due' };
          // Another instance may already have refreshed it into the shared cache.
          if (!isDue(await fromPersistence(url, issuer, partition))) return { url, ok: true, reason: 'refreshed by another instance' };
          try {
            await fetchAndStore(url, issuer, partition);
            return { url, ok: true };
          } catch (error) {
            return { url, ok: false, reason: error instanceof Error ? error.message : 'failed' };
          }
        }),
      );
      return results;
    },

    crlStatus() {
      const now = clock.now().getTime();
      return [...memory.entries()].map(([url, entry]) => ({
        url,
        issuer: entry.crl.issuer,
        thisUpdate: entry.crl.thisUpdate,
        nextUpdate: entry.crl.nextUpdate,
        entries: entry.crl.entries,
        fetchedAt: entry.fetchedAt,
        ageSeconds: Math.max(0, Math.round((now - entry.crl.thisUpdate.getTime()) / 1000)),
        stale: !entry.crl.nextUpdate || now > entry.crl.nextUpdate.getTime(),
      }));
    },

    fetchFailures: () => failures,
  };
}
