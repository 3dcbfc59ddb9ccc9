import { IdpError } from '../errors/index.js';
import { idpSessions, participants } from '../store/index.js';
import { audit, nameIdHash } from './audit.js';
import type { LoginDeps } from './deps.js';
import { nextLogoutStep, type LogoutChain } from './logout-chain.js';
import { logoutRequestTo, logoutResponseTo, logoutTarget, navigationTo } from './logout-send.js';
import type { LoggedOutView } from './logout-views.js';
import type { Outcome } from './outcome.js';

// Moves a logout chain on by one navigation: the next participant gets our LogoutRequest (its state becomes `sent`
// with the request ID, by compare-and-set, so two instances never send it twice), participants we cannot reach are
// `skipped`, and when none is left the initiator gets its answer. All state lives in PostgreSQL.

const MAX_STEPS = 1000;

export async function runLogoutChain(deps: LoginDeps, sessionId: string, chain: LogoutChain, traceId?: string): Promise<Outcome> {
  for (let guard = 0; guard < MAX_STEPS; guard++) {
    const list = await participants.list(deps.pool, sessionId);
    const step = nextLogoutStep(list, (spEntityId) => logoutTarget(deps, spEntityId) !== undefined);
    if (step.kind === 'done') return finishLogoutChain(deps, sessionId, chain, step.partial, traceId);
    if (step.kind === 'waiting') {
      // Another navigation of this chain is out (a second tab, a double submit): that one carries it on.
      return loggedOut(true);
    }
    const { participant } = step;
    if (step.kind === 'skip') {
      await participants.setLogoutState(deps.pool, sessionId, participant.spEntityId, participant.logoutState, 'skipped', null);
      await audit(deps, { type: 'logout', ...(traceId ? { traceId } : {}), spEntityId: participant.spEntityId, sessionId, data: { phase: 'skipped', nameIdHash: nameIdHash(participant.nameId) } });
      continue;
    }
    const sp = logoutTarget(deps, participant.spEntityId)!;
    const message = logoutRequestTo(deps, sp, participant);
    const claimed = await participants.setLogoutState(deps.pool, sessionId, participant.spEntityId, participant.logoutState, 'sent', message.requestId);
    if (!claimed) continue;
    await audit(deps, {
      type: 'logout',
      ...(traceId ? { traceId } : {}),
      spEntityId: participant.spEntityId,
      sessionId,
      data: { phase: 'request_sent', requestId: message.requestId, binding: message.binding, nameIdHash: nameIdHash(participant.nameId), sessionIndex: participant.sessionIndex },
    });
    return navigationTo(message);
  }
  throw new IdpError('INTERNAL_ERROR', 'logout chain did not settle');
}

async function finishLogoutChain(deps: LoginDeps, sessionId: string, chain: LogoutChain, partial: boolean, traceId?: string): Promise<Outcome> {
  const status = partial ? 'PartialLogout' : 'Success';
  await idpSessions.setLogout(deps.pool, sessionId, { ...chain, finishedAt: deps.clock.now().toISOString(), status });
  const { initiator } = chain;
  const initiatorSp = initiator.kind === 'sp' ? deps.registry().byEntityId(initiator.spEntityId) : undefined;
  const answer = initiator.kind === 'sp' && initiatorSp ? logoutResponseTo(deps, initiatorSp, initiator, status) : undefined;
  await audit(deps, {
    type: 'logout',
    ...(traceId ? { traceId } : {}),
    ...(initiator.kind === 'sp' ? { spEntityId: initiator.spEntityId } : {}),
    sessionId,
    data: { phase: 'finished', initiator: initiator.kind, status, ...(answer ? { responseId: answer.responseId, binding: answer.binding } : {}) },
  });
  return answer ? navigationTo(answer) : loggedOut(partial);
}

export function loggedOut(partial: boolean, hadSession = true): Outcome<LoggedOutView> {
  return { type: 'page', view: { kind: 'logged-out', partial, hadSession } };
}
