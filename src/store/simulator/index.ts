// The NemID simulator's PostgreSQL store (simulator environment only): the test-user registry, code cards,
// revocations, lock-outs, client sessions, remember tokens and the per-user transaction log, in tables of its own
// (migrations/simulator/, ledger pgmigrations_simulator). Receives CPR numbers sealed and passwords hashed.
import path from 'node:path';
import { defaultMigrationsDir, migrate } from '../migrations.js';
import type { StoreLog } from '../log.js';
import type { Pool } from '../pool.js';
import * as state from './state.js';
import type { SessionShape } from './types.js';
import * as users from './users.js';

export type { StoredSimUser, StoredLockState, StoredUserEvent, StoredCertificateIdentity, SessionShape } from './types.js';

export const SIMULATOR_MIGRATIONS_TABLE = 'pgmigrations_simulator';

/** `migrations/simulator/` of the repository. */
export async function simulatorMigrationsDir(): Promise<string> {
  return path.join(await defaultMigrationsDir(), 'simulator');
}

/** Applies the simulator's own migrations (under node-pg-migrate's lock, so concurrent instances wait). */
export async function migrateSimulatorSchema(options: { databaseUrl: string; log?: StoreLog }): Promise<string[]> {
  return migrate({ databaseUrl: options.databaseUrl, dir: await simulatorMigrationsDir(), migrationsTable: SIMULATOR_MIGRATIONS_TABLE, ...(options.log ? { log: options.log } : {}) });
}

/** The store behind the simulator's port (src/simulator/store-port.ts); S is its session record. */
export function createSimulatorStore<S extends SessionShape>(pool: Pool) {
  return {
    users: {
      find: (userId: string) => users.find(pool, userId),
      findByPid: (pid: string) => users.findByPid(pool, pid),
      list: () => users.list(pool),
      insert: (user: Parameters<typeof users.insert>[1]) => users.insert(pool, user),
      replaceCard: (userId: string, cardNumber: string, at: Date) => users.replaceCard(pool, userId, cardNumber, at),
      retiredCards: (userId: string) => users.retiredCards(pool, userId),
      revoke: (userId: string, serialHex: string, at: Date) => users.revoke(pool, userId, serialHex, at),
      revocations: () => users.revocations(pool),
    },
    lockouts: {
      get: (userId: string) => state.lockState(pool, userId),
      countWrong: (userId: string, kind: 'password' | 'code') => state.countWrong(pool, userId, kind),
      clearWrong: (userId: string, kind: 'password' | 'code') => state.clearWrong(pool, userId, kind),
      quarantine: (userId: string, until: Date) => state.quarantine(pool, userId, until),
      lockCard: (userId: string) => state.lockCard(pool, userId),
      reset: (userId?: string) => state.resetLockouts(pool, userId),
    },
    sessions: {
      create: (session: S) => state.createSession(pool, session),
      get: (id: string) => state.getSession<S>(pool, id),
      save: (session: S) => state.saveSession(pool, session),
      end: (id: string) => state.endSession(pool, id),
      sweep: (before: Date) => state.sweepSessions(pool, before),
    },
    rememberTokens: {
      put: (tokenSha256: Buffer, userId: string, at: Date) => state.putRememberToken(pool, tokenSha256, userId, at),
      get: (tokenSha256: Buffer) => state.rememberedUser(pool, tokenSha256),
    },
    events: {
      append: (event: Parameters<typeof state.appendEvent>[1]) => state.appendEvent(pool, event),
      forUser: (userId: string, limit: number) => state.eventsForUser(pool, userId, limit),
    },
    resetVolatile: () => state.resetVolatile(pool),
  };
}
