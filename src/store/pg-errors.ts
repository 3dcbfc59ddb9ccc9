import { IdpError, type ErrorCode } from '../errors/index.js';

// SQLSTATE classes and codes that mean "the database is not there right now" rather than "this query is wrong".
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
// node-postgres raises these without a code when a connection dies or the pool cannot hand one out in time.
const DRIVER_UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end on the pool',
  'Query read timeout',
];

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node's happy-eyeballs connect (localhost → ::1 and 127.0.0.1) fails with an AggregateError of per-address errors.
  if (error instanceof AggregateError) return error.errors.map(codeOf).find((c) => c !== undefined);
  return undefined;
}

/** True for errors raised by PostgreSQL, node-postgres or the network below it (not application errors). */
export function isDriverError(error: unknown): boolean {
  if (error instanceof IdpError) return false;
  if (codeOf(error) !== undefined) return true;
  const message = error instanceof Error ? error.message : '';
  return DRIVER_UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

export function pgErrorCode(error: unknown): ErrorCode {
  const code = codeOf(error);
  if (code !== undefined) {
    if (code.startsWith('08') || UNAVAILABLE_CODES.has(code) || NETWORK_CODES.has(code)) return 'DB_UNAVAILABLE';
    if (code === '23505' || code === '23503') return 'DB_CONFLICT';
    if (code === '40001' || code === '40P01') return 'DB_SERIALIZATION_FAILURE';
    // character_not_in_repertoire, untranslatable_character (jsonb and text refuse U+0000): the client's data.
    if (code === '22021' || code === '22P05') return 'DB_TEXT_REFUSED';
    return 'DB_QUERY_FAILED';
  }
  const message = error instanceof Error ? error.message : '';
  if (DRIVER_UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return 'DB_UNAVAILABLE';
  return 'DB_QUERY_FAILED';
}

/**
 * Maps a PostgreSQL or driver error to a catalogue error. The SQLSTATE, constraint and table go to `detail` (log
 * only); values from the failing row are deliberately left out, since they may be personal data.
 */
export function mapPgError(error: unknown): IdpError {
  if (error instanceof IdpError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const detail: Record<string, unknown> = {};
  const sqlState = codeOf(error);
  if (sqlState !== undefined) detail.sqlState = sqlState;
  for (const key of ['constraint', 'table', 'column', 'routine'] as const) {
    if (typeof e[key] === 'string') detail[key] = e[key];
  }
  return new IdpError(pgErrorCode(error), undefined, { cause: error, detail });
}
