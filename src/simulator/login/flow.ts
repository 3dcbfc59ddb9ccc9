import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/index.js';
import type { SimLog } from '../http/types.js';
import { checkParameters, type CheckedParameters, type EnrolledSp } from '../parameters/check-parameters.js';
import type { ClientKind } from '../parameters/rules.js';
import type { EventStep, SimulatorStore } from '../store-port.js';
import { codeFor, pickChallengeKey } from '../users/code-card.js';
import type { ResolvedUser, UserDirectory } from '../users/directory.js';
import type { SimUser } from '../users/model.js';
import type { FaultName } from '../users/test-users.js';
import { Lockouts } from './lockouts.js';
import { Sessions, type SimSession } from './sessions.js';

// The server half of the launcher: parameter checks, user id + password, code card (JS) or key file + password
// (CodeFile), cancel. Each step answers the page with what to show next or with the message to post to the parent
// (nemid-protocol.md §2.6, §3), and records its outcome in the user's transaction log. Passwords and codes are
// compared and forgotten: they never reach the log or the store.

export type DoneCommand = 'changeResponseAndSubmit' | 'logonError' | 'logonCancel';

export type FlowAnswer =
  | { status: 'password'; session: string; language?: 'da' | 'en'; userId?: string; error?: 'wrong-credentials' | 'no-matching-certificate'; attemptsLeft?: number }
  | { status: 'code'; session: string; key: string; error?: 'wrong-code'; attemptsLeft?: number }
  | { status: 'done'; command: DoneCommand; content?: string; targetOrigin?: string };

export interface ResponseRequest {
  checked: CheckedParameters;
  user: SimUser;
  fault?: FaultName;
  rememberUseridToken?: string;
}

/** Produces the signed response document (XML text) for a finished login. */
export type ResponseIssuer = (request: ResponseRequest) => Promise<string>;

export interface FlowOptions {
  clock: Clock;
  log: SimLog;
  store: SimulatorStore;
  directory: UserDirectory;
  enrolledSps: () => readonly EnrolledSp[];
  isRevoked: (certificateDer: Buffer) => boolean;
  issueResponse: ResponseIssuer;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export class LoginFlow {
  readonly sessions: Sessions;
  readonly lockouts: Lockouts;

  constructor(private readonly options: FlowOptions) {
    this.sessions = new Sessions(options.store, options.clock);
    this.lockouts = new Lockouts(options.store, options.clock);
  }

  async start(client: ClientKind, unverifiedParameters: string, messageOrigin: string): Promise<FlowAnswer> {
    const result = checkParameters(unverifiedParameters, {
      client,
      messageOrigin,
      clock: this.options.clock,
      enrolledSps: this.options.enrolledSps(),
      isRevoked: this.options.isRevoked,
    });
    if (!result.ok) {
      this.options.log.warn({ client, code: result.code, reason: result.reason }, 'simulator: parameters refused');
      // No checked ORIGIN exists yet: the page posts to the origin the browser reported for the parameters.
      return client === 'js'
        ? { status: 'done', command: 'changeResponseAndSubmit', content: base64(result.code) }
        : { status: 'done', command: 'logonError', content: base64(result.code) };
    }
    const session = await this.sessions.create(result.checked);
    this.options.log.info({ client, session: logId(session) }, 'simulator: client session started');
    const token = result.checked.rememberUseridToken;
    const remembered = token ? await this.options.store.rememberTokens.get(tokenHash(token)) : null;
    const language = result.checked.language === 'en' ? 'en' : 'da';
    return { status: 'password', session: session.id, language, ...(remembered ? { userId: remembered } : {}) };
  }

  async password(client: ClientKind, sessionId: string, typedUserId: string, password: string, rememberUserid: boolean): Promise<FlowAnswer> {
    const lookup = await this.sessions.touch(sessionId);
    if (lookup.state === 'lost') return this.lost(client);
    const session = lookup.session;
    if (session.step !== 'password') return this.fail(session, 'APP003', 'password step out of order');
    const resolved = await this.options.directory.resolve(typedUserId);
    if (resolved?.type === 'error') return this.fail(session, resolved.code, 'error user');
    if (!resolved) {
      session.unknownUserAttempts += 1;
      if (session.unknownUserAttempts >= 3) return this.fail(session, 'LOCK001', 'unknown user id three times');
      await this.sessions.save(session);
      return { status: 'password', session: session.id, error: 'wrong-credentials', attemptsLeft: 3 - session.unknownUserAttempts };
    }
    const { user } = resolved;
    const lock = await this.lockouts.lockFor(user.userId);
    if (lock) {
      await this.record(session, user, 'password', 'locked');
      return this.fail(session, lock, 'user locked', user);
    }
    if (!(await this.options.directory.checkPassword(user, password))) {
      const wrong = await this.lockouts.wrongPassword(user.userId);
      await this.record(session, user, 'password', 'wrong');
      if (wrong.locked) return this.fail(session, 'LOCK001', 'third wrong password', user);
      this.options.log.info({ session: logId(session), userId: user.userId }, 'simulator: wrong password');
      await this.sessions.save(session);
      return { status: 'password', session: session.id, error: 'wrong-credentials', attemptsLeft: wrong.attemptsLeft };
    }
    await this.lockouts.rightPassword(user.userId);

    if (session.checked.client === 'codefile') {
      // The key file holds the certificate: password + file is the whole login.
      if (!user.hasKeyFile) {
        await this.record(session, user, 'key-file', 'no-key-file');
        await this.sessions.save(session);
        return { status: 'password', session: session.id, error: 'wrong-credentials' };
      }
      const filter = session.checked.subjectDnFilter;
      if ((filter === 'PID:' && user.certificate.kind !== 'POCES') || (filter === 'RID:' && user.certificate.kind !== 'MOCES')) {
        await this.record(session, user, 'key-file', 'no-matching-certificate');
        await this.sessions.save(session);
        return { status: 'password', session: session.id, error: 'no-matching-certificate' };
      }
      await this.record(session, user, 'key-file', 'ok');
      return this.finish(session, resolved);
    }
    await this.record(session, user, 'password', 'ok');
    if (session.checked.preventOtpCard && user.cardOnly) return this.fail(session, 'AUTH019', 'code card prevented', user);
    session.userId = user.userId;
    if (resolved.fault) session.fault = resolved.fault;
    session.rememberUserid = rememberUserid;
    session.step = 'code';
    session.challengeKey = pickChallengeKey(user.cardNumber);
    await this.sessions.save(session);
    return { status: 'code', session: session.id, key: session.challengeKey };
  }

  async code(client: ClientKind, sessionId: string, typedCode: string): Promise<FlowAnswer> {
    const lookup = await this.sessions.touch(sessionId);
    if (lookup.state === 'lost') return this.lost(client);
    const session = lookup.session;
    const key = session.challengeKey;
    const user = session.userId === undefined ? null : await this.options.store.users.find(session.userId);
    if (session.step !== 'code' || !user || !key) return this.fail(session, 'APP003', 'code step out of order');
    const lock = await this.lockouts.lockFor(user.userId);
    if (lock) {
      await this.record(session, user, 'code', 'locked');
      return this.fail(session, lock, 'user locked', user);
    }
    if (typedCode.trim() !== codeFor(user.cardNumber, key)) {
      await this.record(session, user, 'code', 'wrong');
      const wrong = await this.lockouts.wrongCode(user.userId);
      if (wrong.locked) return this.fail(session, 'LOCK003', 'third wrong code', user);
      this.options.log.info({ session: logId(session), userId: user.userId }, 'simulator: wrong code');
      await this.sessions.save(session);
      return { status: 'code', session: session.id, key, error: 'wrong-code', attemptsLeft: wrong.attemptsLeft };
    }
    await this.lockouts.rightCode(user.userId);
    await this.record(session, user, 'code', 'ok');
    return this.finish(session, { type: 'user', user, ...(session.fault ? { fault: session.fault } : {}) });
  }

  async cancel(client: ClientKind, sessionId: string): Promise<FlowAnswer> {
    const lookup = await this.sessions.touch(sessionId);
    if (lookup.state === 'lost') return this.lost(client);
    const session = lookup.session;
    await this.sessions.end(session.id);
    if (session.userId !== undefined) {
      const user = await this.options.store.users.find(session.userId);
      if (user) {
        await this.record(session, user, 'cancel', 'cancelled');
        await this.record(session, user, 'result', 'CAN002');
      }
    }
    this.options.log.info({ session: logId(session) }, 'simulator: user cancelled');
    return session.checked.client === 'js'
      ? { status: 'done', command: 'changeResponseAndSubmit', content: base64('CAN002'), targetOrigin: session.checked.origin }
      : { status: 'done', command: 'logonCancel', targetOrigin: session.checked.origin };
  }

  private async finish(session: SimSession, resolved: Extract<ResolvedUser, { type: 'user' }>): Promise<FlowAnswer> {
    await this.sessions.end(session.id);
    let rememberUseridToken: string | undefined;
    if (session.checked.client === 'js' && session.rememberUserid) {
      rememberUseridToken = Buffer.from(randomBytes(24).toString('hex'), 'ascii').toString('base64');
      await this.options.store.rememberTokens.put(tokenHash(rememberUseridToken), resolved.user.userId, this.options.clock.now());
    }
    const xml = await this.options.issueResponse({
      checked: session.checked,
      user: resolved.user,
      ...(resolved.fault ? { fault: resolved.fault } : {}),
      ...(rememberUseridToken ? { rememberUseridToken } : {}),
    });
    await this.record(session, resolved.user, 'result', resolved.fault ? `signed-response (fault ${resolved.fault})` : 'signed-response');
    this.options.log.info(
      { session: logId(session), userId: resolved.user.userId, fault: resolved.fault ?? null },
      'simulator: login succeeded, signed response issued',
    );
    return { status: 'done', command: 'changeResponseAndSubmit', content: base64(xml), targetOrigin: session.checked.origin };
  }

  private async fail(session: SimSession, code: string, reason: string, user?: SimUser): Promise<FlowAnswer> {
    await this.sessions.end(session.id);
    if (user) await this.record(session, user, 'result', code);
    this.options.log.info({ session: logId(session), userId: user?.userId ?? null, code, reason }, 'simulator: login ended with a client error');
    const command: DoneCommand = session.checked.client === 'js' ? 'changeResponseAndSubmit' : 'logonError';
    return { status: 'done', command, content: base64(code), targetOrigin: session.checked.origin };
  }

  private lost(client: ClientKind): FlowAnswer {
    this.options.log.info({ code: 'SRV006' }, 'simulator: session lost or idle too long');
    // The session (and its checked ORIGIN) is gone: the page posts to the origin it got the parameters from.
    const command: DoneCommand = client === 'js' ? 'changeResponseAndSubmit' : 'logonError';
    return { status: 'done', command, content: base64('SRV006') };
  }

  private record(session: SimSession, user: SimUser, step: EventStep, outcome: string): Promise<void> {
    return this.options.store.events.append({
      sessionId: session.id,
      userId: user.userId,
      at: this.options.clock.now(),
      client: session.checked.client,
      service: session.checked.requestIssuer,
      step,
      outcome,
    });
  }
}

/** Sessions are logged by a short prefix of their id: enough to follow one run, useless to resume it. */
function logId(session: SimSession): string {
  return session.id.slice(0, 8);
}
