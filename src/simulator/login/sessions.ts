import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/index.js';
import type { CheckedParameters } from '../parameters/check-parameters.js';
import type { ResolvedUser } from '../users/test-users.js';

// One client run = one simulator session, addressed by an unguessable id held by the launcher page (no cookie: a
// third-party iframe may not keep one). Idle for more than 10 minutes, a session is lost (SRV006), like NemID's.

export const SESSION_IDLE_LIMIT_MS = 10 * 60 * 1000;

export interface SimSession {
  id: string;
  checked: CheckedParameters;
  lastActivity: number;
  step: 'password' | 'code';
  /** Wrong user ids typed in this session (an unknown id has no per-user counter). */
  unknownUserAttempts: number;
  user?: Extract<ResolvedUser, { type: 'user' }>;
  /** The code card key asked for. */
  challengeKey?: string;
  rememberUserid: boolean;
}

export type SessionLookup = { state: 'active'; session: SimSession } | { state: 'lost' };

export class Sessions {
  private readonly sessions = new Map<string, SimSession>();

  constructor(private readonly clock: Clock) {}

  create(checked: CheckedParameters): SimSession {
    this.sweep();
    const session: SimSession = {
      id: randomBytes(18).toString('base64url'),
      checked,
      lastActivity: this.clock.now().getTime(),
      step: 'password',
      unknownUserAttempts: 0,
      rememberUserid: false,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session if it exists and was used within the idle limit; touching it restarts the idle timer. */
  touch(id: string): SessionLookup {
    const session = this.sessions.get(id);
    const now = this.clock.now().getTime();
    if (!session) return { state: 'lost' };
    if (now - session.lastActivity > SESSION_IDLE_LIMIT_MS) {
      this.sessions.delete(id);
      return { state: 'lost' };
    }
    session.lastActivity = now;
    return { state: 'active', session };
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [id, session] of this.sessions) {
      if (now - session.lastActivity > SESSION_IDLE_LIMIT_MS) this.sessions.delete(id);
    }
  }
}
