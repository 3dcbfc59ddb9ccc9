import type { Queryable } from './pool.js';
import { query } from './query.js';

// CRLs shared across instances. A cache only: pki/ verifies the DER again whenever it loads one.

export interface CachedCrl {
  url: string;
  issuer: string;
  der: Buffer;
  thisUpdate: Date;
  nextUpdate: Date;
  fetchedAt: Date;
  entries: number;
}

export type CrlSummary = Omit<CachedCrl, 'der'>;

interface Row {
  url: string;
  issuer: string;
  der: Buffer;
  this_update: Date;
  next_update: Date;
  fetched_at: Date;
  entries: number;
}

export async function get(db: Queryable, url: string): Promise<CachedCrl | null> {
  const result = await query<Row>(db, 'SELECT * FROM crl_cache WHERE url = $1', [url]);
  const r = result.rows[0];
  return r
    ? { url: r.url, issuer: r.issuer, der: r.der, thisUpdate: r.this_update, nextUpdate: r.next_update, fetchedAt: r.fetched_at, entries: r.entries }
    : null;
}

/**
 * Stores a verified CRL. An older CRL (earlier thisUpdate) never replaces a newer one, so two instances refreshing
 * at once cannot roll the cache back. Returns false when the stored one was newer.
 */
export async function put(
  db: Queryable,
  url: string,
  crl: { der: Buffer; issuer: string; thisUpdate: Date; nextUpdate: Date; entries: number },
  fetchedAt: Date,
): Promise<boolean> {
  const result = await query(
    db,
    `INSERT INTO crl_cache (url, issuer, der, this_update, next_update, fetched_at, entries)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (url) DO UPDATE SET issuer = EXCLUDED.issuer, der = EXCLUDED.der, this_update = EXCLUDED.this_update,
       next_update = EXCLUDED.next_update, fetched_at = EXCLUDED.fetched_at, entries = EXCLUDED.entries
     WHERE crl_cache.this_update <= EXCLUDED.this_update`,
    [url, crl.issuer, crl.der, crl.thisUpdate, crl.nextUpdate, fetchedAt, crl.entries],
  );
  return result.rowCount === 1;
}

/** Metadata of every cached CRL, soonest nextUpdate first (for the refresh job). */
export async function list(db: Queryable): Promise<CrlSummary[]> {
  const result = await query<Omit<Row, 'der'>>(
    db,
    'SELECT url, issuer, this_update, next_update, fetched_at, entries FROM crl_cache ORDER BY next_update, url',
  );
  return result.rows.map((r) => ({
    url: r.url, issuer: r.issuer, thisUpdate: r.this_update, nextUpdate: r.next_update, fetchedAt: r.fetched_at, entries: r.entries,
  }));
}
