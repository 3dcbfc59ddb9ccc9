import type { Clock } from '../../shared/index.js';

// Password and code lock-outs per test user (nemid-protocol.md §10 item 3; real thresholds unknown): 3 wrong
// passwords quarantine the user for 8 hours (LOCK001), 3 wrong codes revoke the code card (LOCK003) until the
// simulator is reset with DELETE /control.

export const MAX_WRONG_PASSWORDS = 3;
export const MAX_WRONG_CODES = 3;
export const PASSWORD_QUARANTINE_MS = 8 * 60 * 60 * 1000;

export class Lockouts {
  private readonly wrongPasswords = new Map<string, number>();
  private readonly quarantinedUntil = new Map<string, number>();
  private readonly wrongCodes = new Map<string, number>();
  private readonly cardsRevoked = new Set<string>();

  constructor(private readonly clock: Clock) {}

  /** The lock code that applies to the user now, if any. */
  lockFor(userId: string): 'LOCK001' | 'LOCK003' | undefined {
    if (this.cardsRevoked.has(userId)) return 'LOCK003';
    const until = this.quarantinedUntil.get(userId);
    if (until !== undefined && until > this.clock.now().getTime()) return 'LOCK001';
    return undefined;
  }

  /** Records a wrong password; true when this one locked the user. */
  wrongPassword(userId: string): boolean {
    const count = (this.wrongPasswords.get(userId) ?? 0) + 1;
    if (count >= MAX_WRONG_PASSWORDS) {
      this.wrongPasswords.delete(userId);
      this.quarantinedUntil.set(userId, this.clock.now().getTime() + PASSWORD_QUARANTINE_MS);
      return true;
    }
    this.wrongPasswords.set(userId, count);
    return false;
  }

  /** Wrong passwords the user may still type before the lock (shown as "tries left"). */
  passwordAttemptsLeft(userId: string): number {
    return MAX_WRONG_PASSWORDS - (this.wrongPasswords.get(userId) ?? 0);
  }

  /** Wrong codes the user may still type before the card is revoked. */
  codeAttemptsLeft(userId: string): number {
    return MAX_WRONG_CODES - (this.wrongCodes.get(userId) ?? 0);
  }

  rightPassword(userId: string): void {
    this.wrongPasswords.delete(userId);
  }

  /** Records a wrong code; true when this one revoked the card. */
  wrongCode(userId: string): boolean {
    const count = (this.wrongCodes.get(userId) ?? 0) + 1;
    if (count >= MAX_WRONG_CODES) {
      this.wrongCodes.delete(userId);
      this.cardsRevoked.add(userId);
      return true;
    }
    this.wrongCodes.set(userId, count);
    return false;
  }

  rightCode(userId: string): void {
    this.wrongCodes.delete(userId);
  }

  reset(): void {
    this.wrongPasswords.clear();
    this.quarantinedUntil.clear();
    this.wrongCodes.clear();
    this.cardsRevoked.clear();
  }
}
