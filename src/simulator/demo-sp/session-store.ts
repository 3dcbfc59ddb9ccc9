import { opaqueId } from '../../shared/index.js';
import type { DemoLogin, DemoNotice } from './types.js';

// The demo SP's memory: browser sessions keyed by the `demo_sp_session` cookie, the request IDs each browser is
// waiting for (consumed once), and the IDs of assertions and logout requests already seen. Bounded, and swept by
// the injected clock, since anyone can make the demo SP create sessions.

export interface PendingRequest {
  expiresAt: number;
  relayState?: string;
}

export interface DemoSession {
  id: string;
  lastSeen: number;
  pendingRequests: Map<string, PendingRequest>;
  pendingLogout?: { id: string; expiresAt: number };
  login?: DemoLogin;
  notice?: DemoNotice;
  /** The language the user chose here; kept across the login and the answer from the IdP. */
  language?: 'da' | 'en';
}

const SESSION_IDLE_MS = 8 * 3600_000;
const MAX_SESSIONS = 10_000;
const MAX_PENDING_PER_SESSION = 8;
const MAX_SEEN_IDS = 100_000;
const SWEEP_EVERY_MS = 60_000;
const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

export class DemoSessionStore {
  private readonly sessions = new Map<string, DemoSession>();
  private readonly seenIds = new Map<string, number>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number) {}

  /** The live session named by the cookie value, if any. */
  find(cookieValue: string | undefined): DemoSession | undefined {
    this.sweep();
    if (cookieValue === undefined || !SESSION_ID.test(cookieValue)) return undefined;
    const session = this.sessions.get(cookieValue);
    if (!session) return undefined;
    if (this.now() - session.lastSeen > SESSION_IDLE_MS) {
      this.sessions.delete(cookieValue);
      return undefined;
    }
    session.lastSeen = this.now();
    return session;
  }

  create(): DemoSession {
    this.sweep();
    // Oldest first: Map keeps insertion order.
    while (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session: DemoSession = { id: opaqueId(), lastSeen: this.now(), pendingRequests: new Map() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** A fresh session id for `session`'s browser (on login: a cookie set before login never names a logged-in session). */
  rotate(session: DemoSession): DemoSession {
    this.sessions.delete(session.id);
    const fresh = this.create();
    fresh.pendingRequests = session.pendingRequests;
    if (session.pendingLogout) fresh.pendingLogout = session.pendingLogout;
    return fresh;
  }

  addPendingRequest(session: DemoSession, requestId: string, pending: PendingRequest): void {
    while (session.pendingRequests.size >= MAX_PENDING_PER_SESSION) {
      const oldest = session.pendingRequests.keys().next().value;
      if (oldest === undefined) break;
      session.pendingRequests.delete(oldest);
    }
    session.pendingRequests.set(requestId, pending);
  }

  /** Removes and returns the outstanding request `requestId` of this session; undefined when unknown or expired. */
  consumePendingRequest(session: DemoSession, requestId: string): PendingRequest | undefined {
    const pending = session.pendingRequests.get(requestId);
    session.pendingRequests.delete(requestId);
    return pending && pending.expiresAt > this.now() ? pending : undefined;
  }

  /** Records `id` as seen until `until` (ms); false when it was already seen (a replay). */
  markSeen(id: string, until: number): boolean {
    this.sweep();
    if (this.seenIds.has(id)) return false;
    if (this.seenIds.size >= MAX_SEEN_IDS) {
      const oldest = this.seenIds.keys().next().value;
      if (oldest !== undefined) this.seenIds.delete(oldest);
    }
    this.seenIds.set(id, until);
    return true;
  }

  /** Ends every login whose NameID value (and SessionIndex, when given) matches; returns how many. */
  endLogins(nameIdValue: string, sessionIndexes: readonly string[]): number {
    let ended = 0;
    for (const session of this.sessions.values()) {
      const login = session.login;
      if (!login || login.nameId.value !== nameIdValue) continue;
      if (sessionIndexes.length > 0 && (login.sessionIndex === undefined || !sessionIndexes.includes(login.sessionIndex))) continue;
      delete session.login;
      session.notice = { kind: 'logged-out-by-idp' };
      ended += 1;
    }
    return ended;
  }

  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [id, session] of this.sessions) {
      if (now - session.lastSeen > SESSION_IDLE_MS) this.sessions.delete(id);
    }
    for (const [id, until] of this.seenIds) {
      if (until <= now) this.seenIds.delete(id);
    }
  }
}
