import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/index.js';
import type { CheckedParameters } from '../parameters/check-parameters.js';
import type { SimulatorStore, StoredSession } from '../store-port.js';

// One client run = one simulator session, addressed by an unguessable id held by the launcher page (no cookie: a
// third-party iframe may not keep one), kept in the store so that any instance serves the next step. Idle for more
// than 10 minutes, a session is lost (SRV006), like NemID's.

export const SESSION_IDLE_LIMIT_MS = 10 * 60 * 1000;

export type SimSession = StoredSession;

export type SessionLookup = { state: 'active'; session: SimSession } | { state: 'lost' };

export class Sessions {
  constructor(
    private readonly store: SimulatorStore,
    private readonly clock: Clock,
  ) {}

  async create(checked: CheckedParameters): Promise<SimSession> {
    const now = this.clock.now().getTime();
    await this.store.sessions.sweep(new Date(now - SESSION_IDLE_LIMIT_MS));
    const session: SimSession = {
      id: randomBytes(18).toString('base64url'),
      checked,
      lastActivity: now,
      step: 'password',
      unknownUserAttempts: 0,
      rememberUserid: false,
    };
    await this.store.sessions.create(session);
    return session;
  }

  /** The session if it exists and was used within the idle limit; touching it restarts the idle timer. */
  async touch(id: string): Promise<SessionLookup> {
    if (!/^[A-Za-z0-9_-]{24}$/.test(id)) return { state: 'lost' };
    const session = await this.store.sessions.get(id);
    const now = this.clock.now().getTime();
    if (!session) return { state: 'lost' };
    if (now - session.lastActivity > SESSION_IDLE_LIMIT_MS) {
      await this.store.sessions.end(id);
      return { state: 'lost' };
    }
    session.lastActivity = now;
    return { state: 'active', session };
  }

  /** Writes the session's new step (and its touched idle timer). */
  save(session: SimSession): Promise<void> {
    return this.store.sessions.save(session);
  }

  end(id: string): Promise<void> {
    return this.store.sessions.end(id);
  }
}
