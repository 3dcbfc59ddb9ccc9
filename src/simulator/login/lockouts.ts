import type { Clock } from '../../shared/index.js';
import type { SimulatorStore } from '../store-port.js';

// Password and code lock-outs per test user (nemid-protocol.md §10 item 3; real thresholds unknown): 3 wrong
// passwords quarantine the user for 8 hours (LOCK001), 3 wrong codes lock the code card (LOCK003) until a new card
// is issued on the user's page, its lock-outs are reset there, or the simulator is reset with DELETE /control.

export const MAX_WRONG_PASSWORDS = 3;
export const MAX_WRONG_CODES = 3;
export const PASSWORD_QUARANTINE_MS = 8 * 60 * 60 * 1000;

export class Lockouts {
  constructor(
    private readonly store: SimulatorStore,
    private readonly clock: Clock,
  ) {}

  /** The lock code that applies to the user now, if any. */
  async lockFor(userId: string): Promise<'LOCK001' | 'LOCK003' | undefined> {
    const state = await this.store.lockouts.get(userId);
    if (state.cardLocked) return 'LOCK003';
    if (state.quarantinedUntil && state.quarantinedUntil.getTime() > this.clock.now().getTime()) return 'LOCK001';
    return undefined;
  }

  /** Records a wrong password: whether this one locked the user, and how many tries are left (shown as "tries left"). */
  async wrongPassword(userId: string): Promise<{ locked: boolean; attemptsLeft: number }> {
    const count = await this.store.lockouts.countWrong(userId, 'password');
    if (count < MAX_WRONG_PASSWORDS) return { locked: false, attemptsLeft: MAX_WRONG_PASSWORDS - count };
    await this.store.lockouts.quarantine(userId, new Date(this.clock.now().getTime() + PASSWORD_QUARANTINE_MS));
    return { locked: true, attemptsLeft: 0 };
  }

  rightPassword(userId: string): Promise<void> {
    return this.store.lockouts.clearWrong(userId, 'password');
  }

  /** Records a wrong code: whether this one locked the card, and how many tries are left. */
  async wrongCode(userId: string): Promise<{ locked: boolean; attemptsLeft: number }> {
    const count = await this.store.lockouts.countWrong(userId, 'code');
    if (count < MAX_WRONG_CODES) return { locked: false, attemptsLeft: MAX_WRONG_CODES - count };
    await this.store.lockouts.lockCard(userId);
    return { locked: true, attemptsLeft: 0 };
  }

  rightCode(userId: string): Promise<void> {
    return this.store.lockouts.clearWrong(userId, 'code');
  }
}
