import pg from 'pg';
import { IdpError } from '../errors/index.js';

/** Anything that can run a query: the pool itself, or one checked-out client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;
export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  /** Maximum connections in this pool (pg's default is 10). */
  max?: number;
  /** Shown in pg_stat_activity, so ops can tell instances and tools apart. */
  applicationName?: string;
  /** How long to wait for a free connection before failing with DB_UNAVAILABLE; default 10 s. */
  connectionTimeoutMillis?: number;
  /** Client-side limit per query (works through PgBouncer, which refuses a statement_timeout start-up parameter). */
  queryTimeoutMillis?: number;
  /** Server-side statement_timeout in ms; 0 or absent = none. */
  statementTimeoutMillis?: number;
  /**
   * Callers allowed to wait for a connection when all `max` are busy; one more is refused at once with SERVICE_BUSY
   * (a quick 503 the balancer and the user can act on, rather than a growing queue). Absent = unbounded.
   */
  queueLimit?: number;
  /** Errors on idle connections (server restart, network cut); without it they are dropped silently. */
  onIdleError?: (error: Error) => void;
  /** Told of every statement sent (for /metrics); see countingClient. */
  onStatement?: StatementListener;
}

/**
 * Called once per statement sent to PostgreSQL. `opensTransaction` is true when the statement starts a database
 * transaction: a BEGIN, or any statement outside BEGIN … COMMIT (PostgreSQL runs it in a transaction of its own).
 */
export type StatementListener = (opensTransaction: boolean) => void;

/** The statement text of a pg query call (a string or a config object), or '' when there is none. */
function statementText(first: unknown): string {
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && typeof (first as { text?: unknown }).text === 'string') return (first as { text: string }).text;
  return '';
}

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const END = /^\s*(COMMIT|ROLLBACK|END|ABORT)\b/i;

/**
 * A pg Client class that reports each statement, counted per connection: so the pool's own queries, checked-out
 * clients and transactions are all seen, and nothing in the store has to remember to count.
 */
function countingClient(listener: StatementListener): typeof pg.Client {
  return class CountingClient extends pg.Client {
    private inTransaction = false;
    override query(...args: unknown[]): never {
      const text = statementText(args[0]);
      if (BEGIN.test(text)) {
        this.inTransaction = true;
        listener(true);
      } else if (END.test(text)) {
        this.inTransaction = false;
        listener(false);
      } else {
        listener(!this.inTransaction);
      }
      return (super.query as (...a: unknown[]) => never)(...args);
    }
  };
}

/**
 * Validates DATABASE_URL before pg sees it: pg accepts almost any string and only fails at the first query, far
 * from the configuration that caused it.
 */
export function parseDatabaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new IdpError('CONFIG_INVALID', 'DATABASE_URL is not a valid URL', { cause, detail: { setting: 'DATABASE_URL' } });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new IdpError('CONFIG_INVALID', 'DATABASE_URL must start with postgres:// or postgresql://', {
      detail: { setting: 'DATABASE_URL', protocol: parsed.protocol },
    });
  }
  if (parsed.hostname === '') {
    throw new IdpError('CONFIG_INVALID', 'DATABASE_URL names no host', { detail: { setting: 'DATABASE_URL' } });
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new IdpError('CONFIG_INVALID', 'DATABASE_URL must name exactly one database', {
      detail: { setting: 'DATABASE_URL' },
    });
  }
  return parsed;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  parseDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'nemid-idp',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    ...(options.onStatement ? { Client: countingClient(options.onStatement) } : {}),
    ...(options.statementTimeoutMillis ? { statement_timeout: options.statementTimeoutMillis } : {}),
    ...(options.queryTimeoutMillis ? { query_timeout: options.queryTimeoutMillis } : {}),
  });
  if (options.queueLimit !== undefined) boundQueue(pool, options.queueLimit);
  // Without a listener an idle client's error (e.g. the server restarting) would crash the process; pg has already
  // discarded that client, and the next query gets a fresh connection or a mapped DB_UNAVAILABLE.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}

/**
 * Refuses a connection request at once when the pool is full and `limit` callers already wait. pool.query goes
 * through pool.connect, so this one place covers both.
 */
function boundQueue(pool: pg.Pool, limit: number): void {
  const connect = pool.connect.bind(pool) as (callback?: (error: Error | undefined, client?: pg.PoolClient, done?: () => void) => void) => unknown;
  const full = () => pool.totalCount >= (pool.options.max ?? 10) && pool.idleCount === 0 && pool.waitingCount >= limit;
  (pool as unknown as { connect: typeof connect }).connect = (callback) => {
    if (!full()) return connect(callback);
    const error = new IdpError('SERVICE_BUSY', `more than ${limit} requests waiting for a database connection`, { detail: { waiting: pool.waitingCount, limit } });
    if (callback) {
      process.nextTick(() => callback(error));
      return undefined;
    }
    return Promise.reject(error);
  };
}
