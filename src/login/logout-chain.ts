import type { Participant } from '../store/index.js';

// The single-logout chain (saml-profile.md §6) as plain data: who started it (kept in idp_sessions.logout, so any
// instance can continue it) and, from the participants' logout states, what happens next. No I/O here.

/** Who started the logout, and how to answer them at the end. */
export type LogoutInitiator =
  | { readonly kind: 'idp' }
  | {
      readonly kind: 'sp';
      readonly spEntityId: string;
      /** The LogoutRequest ID our final LogoutResponse answers. */
      readonly requestId: string;
      readonly binding: 'redirect' | 'post';
      readonly relayState?: string;
    };

export interface LogoutChain {
  readonly version: 1;
  readonly initiator: LogoutInitiator;
  readonly startedAt: string;
}

export function newLogoutChain(initiator: LogoutInitiator, now: Date): LogoutChain {
  return { version: 1, initiator, startedAt: now.toISOString() };
}

/**
 * The chain as stored in idp_sessions.logout. The initiator's RelayState is the only client-chosen text in it: it is
 * kept as base64 of its UTF-8 bytes, so the statement that ends the session can never fail on what a client sent
 * (jsonb refuses U+0000; a refused update would keep the session alive).
 */
export function logoutChainForStorage(chain: LogoutChain): Record<string, unknown> {
  if (chain.initiator.kind !== 'sp' || chain.initiator.relayState === undefined) return { ...chain };
  const { relayState, ...initiator } = chain.initiator;
  return { ...chain, initiator: { ...initiator, relayStateB64: Buffer.from(relayState, 'utf8').toString('base64') } };
}

/** Reads the chain back from the JSON column; anything not written by newLogoutChain is no chain (fail closed). */
export function readLogoutChain(value: unknown): LogoutChain | null {
  if (!value || typeof value !== 'object') return null;
  const chain = value as Record<string, unknown>;
  const initiator = chain['initiator'] as Record<string, unknown> | undefined;
  if (chain['version'] !== 1 || typeof chain['startedAt'] !== 'string' || !initiator) return null;
  if (initiator['kind'] === 'idp') return { version: 1, initiator: { kind: 'idp' }, startedAt: chain['startedAt'] };
  const { spEntityId, requestId, binding, relayStateB64 } = initiator;
  if (initiator['kind'] !== 'sp' || typeof spEntityId !== 'string' || typeof requestId !== 'string') return null;
  if (binding !== 'redirect' && binding !== 'post') return null;
  if (relayStateB64 !== undefined && typeof relayStateB64 !== 'string') return null;
  // Rows written before RelayState was stored as base64 hold it as text.
  const plain = initiator['relayState'];
  if (plain !== undefined && typeof plain !== 'string') return null;
  const relayState = typeof relayStateB64 === 'string' ? Buffer.from(relayStateB64, 'base64').toString('utf8') : plain;
  return {
    version: 1,
    initiator: { kind: 'sp', spEntityId, requestId, binding, ...(relayState !== undefined ? { relayState } : {}) },
    startedAt: chain['startedAt'],
  };
}

export type LogoutStep =
  /** Send this participant a LogoutRequest (it has a SingleLogoutService). */
  | { readonly kind: 'send'; readonly participant: Participant }
  /** Mark this participant skipped: it is no longer registered or has no SingleLogoutService. */
  | { readonly kind: 'skip'; readonly participant: Participant }
  /** A LogoutRequest is out and its answer has not come back: nothing to do until it does. */
  | { readonly kind: 'waiting'; readonly participant: Participant }
  /** Every participant has been visited; partial when any did not confirm. */
  | { readonly kind: 'done'; readonly partial: boolean };

/**
 * The next step of the chain: participants are visited one at a time in the order they joined (the list order);
 * `canReceiveLogout` says whether an SP is registered now and has a SingleLogoutService.
 */
export function nextLogoutStep(participants: readonly Participant[], canReceiveLogout: (spEntityId: string) => boolean): LogoutStep {
  const sent = participants.find((p) => p.logoutState === 'sent');
  if (sent) return { kind: 'waiting', participant: sent };
  const next = participants.find((p) => p.logoutState === null || p.logoutState === 'pending');
  if (next) return canReceiveLogout(next.spEntityId) ? { kind: 'send', participant: next } : { kind: 'skip', participant: next };
  return { kind: 'done', partial: participants.some((p) => p.logoutState !== 'succeeded') };
}

export type NameIdMismatch = 'value' | 'format' | 'nameQualifier' | 'spNameQualifier';

/**
 * Why the NameID of a LogoutRequest is not the one we issued to that participant, or null when it is. Value and
 * Format must be equal; an absent qualifier takes the value the context implies (SAML core §8.3.7 and §3.7.3.1:
 * NameQualifier = the IdP that issued it, SPNameQualifier = the SP it was issued to, here the requesting SP), on
 * both sides, so `NameQualifier` omitted by the SP matches ours and a qualifier naming someone else never does.
 */
export function nameIdMismatch(
  participant: Pick<Participant, 'nameId' | 'nameIdFormat' | 'nameQualifier' | 'spNameQualifier'>,
  requested: { value: string; format?: string; nameQualifier?: string; spNameQualifier?: string },
  implied: { idpEntityId: string; spEntityId: string },
): NameIdMismatch | null {
  if (requested.value !== participant.nameId) return 'value';
  if (requested.format !== participant.nameIdFormat) return 'format';
  if ((requested.nameQualifier ?? implied.idpEntityId) !== (participant.nameQualifier ?? implied.idpEntityId)) return 'nameQualifier';
  if ((requested.spNameQualifier ?? implied.spEntityId) !== (participant.spNameQualifier ?? implied.spEntityId)) return 'spNameQualifier';
  return null;
}

/** The NameID in a LogoutRequest is the one we issued to that participant (see nameIdMismatch). */
export function sameNameId(
  participant: Pick<Participant, 'nameId' | 'nameIdFormat' | 'nameQualifier' | 'spNameQualifier'>,
  requested: { value: string; format?: string; nameQualifier?: string; spNameQualifier?: string },
  implied: { idpEntityId: string; spEntityId: string },
): boolean {
  return nameIdMismatch(participant, requested, implied) === null;
}

/** A SessionIndex, when the request lists any, must include this participant's. */
export function sessionIndexMatches(participant: Pick<Participant, 'sessionIndex'>, requested: readonly string[]): boolean {
  return requested.length === 0 || requested.includes(participant.sessionIndex);
}
