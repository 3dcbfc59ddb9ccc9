import type { SimulatorStore } from '../store-port.js';
import type { CprSealer } from './cpr-seal.js';
import type { SimUser } from './model.js';
import { hashPassword, SHIPPED_USER_COST, verifyPassword } from './passwords.js';
import { parseTypedUserId, TEST_USERS, type FaultName, type TestUser } from './test-users.js';

// The registry as a login sees it: a typed user id resolved to an error user, a fault user or a stored user;
// passwords checked against their hashes; CPR numbers opened only where a service answers with one.

export type ResolvedUser = { type: 'user'; user: SimUser; fault?: FaultName } | { type: 'error'; code: string };

/** The day the shipped users "were created": before any created user, in TEST_USERS order. */
const SHIPPED_EPOCH = Date.UTC(2020, 0, 1);

export class UserDirectory {
  constructor(
    readonly store: SimulatorStore,
    readonly sealer: CprSealer,
  ) {}

  /** The user a typed user id names; null for an unknown id. */
  async resolve(typedUserId: string): Promise<ResolvedUser | null> {
    const parsed = parseTypedUserId(typedUserId);
    if (parsed.type === 'invalid') return null;
    if (parsed.type === 'error') return { type: 'error', code: parsed.code };
    const user = await this.store.users.find(parsed.type === 'fault' ? 'fault' : parsed.userId);
    if (!user) return null;
    return parsed.type === 'fault' ? { type: 'user', user, fault: parsed.fault } : { type: 'user', user };
  }

  checkPassword(user: SimUser, password: string): Promise<boolean> {
    return verifyPassword(password, user.passwordHash);
  }

  cprOf(user: SimUser): string | undefined {
    return user.cpr ? this.sealer.open(user.cpr) : undefined;
  }

  /** Puts every shipped user that is missing into the registry (first start, or after a new one was added). */
  async seedShipped(): Promise<string[]> {
    const seeded: string[] = [];
    for (const [index, shipped] of TEST_USERS.entries()) {
      if (await this.store.users.find(shipped.userId)) continue;
      if (await this.store.users.insert(await this.shippedRecord(shipped, index))) seeded.push(shipped.userId);
    }
    return seeded;
  }

  private async shippedRecord(shipped: TestUser, index: number): Promise<SimUser> {
    const { password, cpr, ...identity } = shipped;
    return {
      ...structuredClone(identity),
      eid: 'nemid',
      origin: 'shipped',
      passwordHash: await hashPassword(password, SHIPPED_USER_COST),
      ...(cpr === undefined ? {} : { cpr: this.sealer.seal(cpr) }),
      createdAt: new Date(SHIPPED_EPOCH + index * 1000),
    };
  }
}
