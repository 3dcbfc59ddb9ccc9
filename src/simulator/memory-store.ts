import type { LockState, Revocation, SimulatorStore, StoredSession, UserEvent } from './store-port.js';
import type { SimUser } from './users/model.js';

// The simulator's state in this process's memory: for unit tests and any simulator built without a database. The
// running service always passes the PostgreSQL store instead.

const copy = <T>(value: T): T => structuredClone(value);

export function createMemoryStore(): SimulatorStore {
  const users = new Map<string, SimUser>();
  const retired = new Map<string, string[]>();
  const revocations = new Map<string, Revocation>();
  const lockouts = new Map<string, LockState>();
  const sessions = new Map<string, StoredSession>();
  const tokens = new Map<string, string>();
  const events: UserEvent[] = [];
  const lockOf = (userId: string): LockState => {
    let state = lockouts.get(userId);
    if (!state) lockouts.set(userId, (state = { cardLocked: false, wrongPasswords: 0, wrongCodes: 0 }));
    return state;
  };

  return {
    users: {
      find: async (userId) => copy(users.get(userId) ?? null),
      findByPid: async (pid) => copy([...users.values()].find((user) => user.certificate.pid === pid) ?? null),
      list: async () => copy([...users.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.userId.localeCompare(b.userId))),
      async insert(user) {
        const taken = [...users.values()].some(
          (other) =>
            other.userId === user.userId ||
            other.cardNumber === user.cardNumber ||
            (user.certificate.pid !== undefined && other.certificate.pid === user.certificate.pid) ||
            (user.credential !== undefined && other.credential?.serialHex === user.credential.serialHex),
        );
        if (taken) return false;
        users.set(user.userId, copy(user));
        return true;
      },
      async replaceCard(userId, cardNumber) {
        const user = users.get(userId);
        if (!user || [...users.values()].some((other) => other.cardNumber === cardNumber)) return false;
        retired.set(userId, [...(retired.get(userId) ?? []), user.cardNumber]);
        user.cardNumber = cardNumber;
        const lock = lockOf(userId);
        lock.cardLocked = false;
        lock.wrongCodes = 0;
        return true;
      },
      retiredCards: async (userId) => [...(retired.get(userId) ?? [])],
      async revoke(userId, serialHex, at) {
        const user = users.get(userId);
        if (!user || user.revokedAt) return false;
        user.revokedAt = at;
        revocations.set(serialHex, { serialHex, revokedAt: at });
        return true;
      },
      revocations: async () => copy([...revocations.values()]),
    },
    lockouts: {
      get: async (userId) => copy(lockOf(userId)),
      async countWrong(userId, kind) {
        const lock = lockOf(userId);
        return kind === 'password' ? ++lock.wrongPasswords : ++lock.wrongCodes;
      },
      async clearWrong(userId, kind) {
        const lock = lockOf(userId);
        if (kind === 'password') lock.wrongPasswords = 0;
        else lock.wrongCodes = 0;
      },
      async quarantine(userId, until) {
        const lock = lockOf(userId);
        lock.quarantinedUntil = until;
        lock.wrongPasswords = 0;
      },
      async lockCard(userId) {
        const lock = lockOf(userId);
        lock.cardLocked = true;
        lock.wrongCodes = 0;
      },
      async reset(userId) {
        if (userId === undefined) lockouts.clear();
        else lockouts.delete(userId);
      },
    },
    sessions: {
      create: async (session) => void sessions.set(session.id, copy(session)),
      get: async (id) => copy(sessions.get(id) ?? null),
      save: async (session) => void (sessions.has(session.id) && sessions.set(session.id, copy(session))),
      end: async (id) => void sessions.delete(id),
      async sweep(before) {
        for (const [id, session] of sessions) if (session.lastActivity < before.getTime()) sessions.delete(id);
      },
    },
    rememberTokens: {
      put: async (hash, userId) => void tokens.set(hash.toString('hex'), userId),
      get: async (hash) => tokens.get(hash.toString('hex')) ?? null,
    },
    events: {
      append: async (event) => void events.push(copy(event)),
      forUser: async (userId, limit) =>
        copy(events.filter((event) => event.userId === userId).reverse().slice(0, limit)),
    },
    async resetVolatile() {
      lockouts.clear();
      sessions.clear();
      tokens.clear();
    },
  };
}
