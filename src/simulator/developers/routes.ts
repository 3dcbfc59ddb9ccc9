import { createHash, randomInt, X509Certificate } from 'node:crypto';
import type { Clock } from '../../shared/index.js';
import { hasSecret, isSameOriginOrNonBrowser, isTrustedJsonCall } from '../http/request-guards.js';
import { json, jsonObject, text } from '../http/responses.js';
import type { SimLog, SimRequest, SimResponse, SimRoute } from '../http/types.js';
import { developerLanguage } from '../pages/developer-texts.js';
import { codeCardPage, developersPage, userPage, userPath, type CertificateSummary, type PageContext } from '../pages/developers-page.js';
import type { SimulatorPki } from '../pki-port.js';
import type { SimulatorStore } from '../store-port.js';
import { autofillValues, createUser, type CreateResult, type NewUserInput } from '../users/create-user.js';
import type { UserDirectory } from '../users/directory.js';
import type { SimUser } from '../users/model.js';

// /developers/: the HTML pages (list and create, per-user overview, code card, certificate download, revoke, new
// code card, reset lock-outs) and the same as a JSON API for SP test suites under /developers/api/.

export interface DeveloperDeps {
  origin: string;
  secret: string;
  store: SimulatorStore;
  directory: UserDirectory;
  pki: SimulatorPki;
  clock: Clock;
  log: SimLog;
  /** The MitID broker simulator is mounted: /developers/ lists its users. */
  mitid: boolean;
}

const EVENTS_SHOWN = 200;

function derToPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export function developerRoutes(deps: DeveloperDeps): SimRoute[] {
  const ctxOf = (req: SimRequest): PageContext => ({
    lang: developerLanguage({ ...req.query, ...(req.body && !Buffer.isBuffer(req.body) && req.body['lang'] ? { lang: req.body['lang'] } : {}) }, req.headers['accept-language']),
    secret: deps.secret,
  });
  const certificateOf = async (user: SimUser): Promise<Buffer | null> => {
    if (user.credential) return user.credential.certificateDer;
    try {
      return (await deps.pki.userCredential(user)).certificateDer;
    } catch {
      return null;
    }
  };
  const summaryOf = (der: Buffer | null): CertificateSummary | null => {
    if (!der) return null;
    const certificate = new X509Certificate(der);
    return { serialHex: certificate.serialNumber.toUpperCase(), validFrom: new Date(certificate.validFrom), validTo: new Date(certificate.validTo) };
  };
  const listing = async () => (await deps.store.users.list()).map((user) => ({ user, cpr: deps.directory.cprOf(user) }));
  const userOf = async (req: SimRequest) => deps.store.users.find((req.params['userId'] ?? '').toLowerCase());

  const overviewJson = async (user: SimUser) => {
    const summary = summaryOf(await certificateOf(user));
    const lock = await deps.store.lockouts.get(user.userId);
    const c = user.certificate;
    return {
      userId: user.userId,
      eid: user.eid,
      origin: user.origin,
      type: c.kind === 'MOCES' ? 'moces' : user.businesses.length > 0 ? 'owner' : 'poces',
      name: c.commonName,
      pseudonym: c.commonName === 'Pseudonym',
      youth: c.youth,
      ...(c.pid ? { pid: `PID:${c.pid}` } : {}),
      ...(c.kind === 'MOCES' ? { cvr: c.cvr, rid: c.rid, company: c.company, subjectSerialNumber: `CVR:${c.cvr}-RID:${c.rid}` } : {}),
      cpr: deps.directory.cprOf(user) ?? null,
      businesses: user.businesses,
      cardNumber: user.cardNumber,
      keyFile: user.hasKeyFile,
      certificate: summary ? { serial: summary.serialHex, notBefore: summary.validFrom.toISOString(), notAfter: summary.validTo.toISOString() } : null,
      revoked: Boolean(user.revokedAt || c.revoked),
      ...(user.revokedAt ? { revokedAt: user.revokedAt.toISOString() } : {}),
      lockouts: { wrongPasswords: lock.wrongPasswords, wrongCodes: lock.wrongCodes, quarantinedUntil: lock.quarantinedUntil?.toISOString() ?? null, cardLocked: lock.cardLocked },
      links: { overview: `${deps.origin}${userPath(user.userId)}`, codeCard: `${deps.origin}${userPath(user.userId)}/card`, certificate: `${deps.origin}${userPath(user.userId)}/certificate.pem` },
    };
  };

  const create = async (input: NewUserInput): Promise<CreateResult> => {
    const result = await createUser(input, { store: deps.store, pki: deps.pki, sealer: deps.directory.sealer, now: deps.clock.now() });
    if (result.ok) deps.log.info({ userId: result.user.userId, type: result.user.certificate.kind }, 'simulator: test user created');
    return result;
  };

  /** The three user actions, shared by the pages and the API; false when the user does not exist. */
  const act = async (user: SimUser, action: string): Promise<'done' | 'unknown-action'> => {
    const now = deps.clock.now();
    if (action === 'revoke') {
      const der = await certificateOf(user);
      if (der) await deps.store.users.revoke(user.userId, new X509Certificate(der).serialNumber.toUpperCase().replace(/^(00)+(?=[0-9A-F])/, ''), now);
      deps.log.info({ userId: user.userId }, 'simulator: test user revoked');
    } else if (action === 'card') {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        if (await deps.store.users.replaceCard(user.userId, `G${String(randomInt(1_000_000_000)).padStart(9, '0')}`, now)) break;
      }
    } else if (action === 'reset-lockouts') {
      await deps.store.lockouts.reset(user.userId);
    } else return 'unknown-action';
    return 'done';
  };

  const see = (location: string): SimResponse => ({ status: 303, headers: { location, 'cache-control': 'no-store' }, body: '' });
  const refused = () => json(403, { error: 'cross-site-or-wrong-content-type', hint: 'send application/json without a foreign Origin' });

  return [
    {
      method: 'GET',
      path: '/developers/',
      body: 'none',
      handle: async (req) => developersPage(ctxOf(req), { users: await listing(), form: req.query['autofill'] ? autofillValues(deps.clock.now()) : {}, origin: deps.origin, mitid: deps.mitid }),
    },
    {
      method: 'POST',
      path: '/developers/users',
      body: 'form',
      async handle(req) {
        const ctx = ctxOf(req);
        const fields = req.body && !Buffer.isBuffer(req.body) ? req.body : {};
        const { secret, password: _password, ...echo } = fields;
        if (!hasSecret(secret, deps.secret)) return developersPage(ctx, { users: await listing(), form: echo, error: { kind: 'secret' }, origin: deps.origin, mitid: deps.mitid });
        const result = await create(fields);
        if (!result.ok) return developersPage(ctx, { users: await listing(), form: echo, error: { kind: result.error, ...(result.field ? { field: result.field } : {}) }, origin: deps.origin, mitid: deps.mitid });
        return see(`${userPath(result.user.userId)}?lang=${ctx.lang}`);
      },
    },
    {
      method: 'GET',
      path: '/developers/users/:userId',
      body: 'none',
      async handle(req) {
        const user = await userOf(req);
        if (!user) return text(404, 'no such user');
        const [lock, retiredCards, events] = await Promise.all([
          deps.store.lockouts.get(user.userId),
          deps.store.users.retiredCards(user.userId),
          deps.store.events.forUser(user.userId, EVENTS_SHOWN),
        ]);
        return userPage(ctxOf(req), { user, cpr: deps.directory.cprOf(user), certificate: summaryOf(await certificateOf(user)), lock, retiredCards, events, now: deps.clock.now() });
      },
    },
    {
      method: 'GET',
      path: '/developers/users/:userId/card',
      body: 'none',
      async handle(req) {
        const user = await userOf(req);
        return user ? codeCardPage(ctxOf(req), user) : text(404, 'no such user');
      },
    },
    {
      // The address of the shipped users' code cards before they had an overview page.
      method: 'GET',
      path: '/developers/card/:userId',
      body: 'none',
      async handle(req) {
        const user = await userOf(req);
        return user ? codeCardPage(ctxOf(req), user) : text(404, 'no such user');
      },
    },
    {
      method: 'GET',
      path: '/developers/users/:userId/certificate.pem',
      body: 'none',
      async handle(req) {
        const user = await userOf(req);
        const der = user && (await certificateOf(user));
        if (!user || !der) return text(404, 'no such certificate');
        return {
          status: 200,
          headers: { 'content-type': 'application/x-pem-file', 'content-disposition': `attachment; filename="${user.userId}.cert.pem"`, 'cache-control': 'no-store' },
          body: derToPem(der),
        };
      },
    },
    {
      method: 'POST',
      path: '/developers/users/:userId/:action',
      body: 'form',
      async handle(req) {
        const ctx = ctxOf(req);
        const fields = req.body && !Buffer.isBuffer(req.body) ? req.body : {};
        if (!hasSecret(fields['secret'], deps.secret)) return text(403, 'this page is stale: load it again');
        const user = await userOf(req);
        if (!user) return text(404, 'no such user');
        if ((await act(user, req.params['action'] ?? '')) !== 'done') return text(404, 'no such action');
        return see(`${userPath(user.userId)}?lang=${ctx.lang}`);
      },
    },
    {
      method: 'POST',
      path: '/developers/api/users',
      body: 'raw',
      async handle(req) {
        if (!isTrustedJsonCall(req, deps.origin)) return refused();
        const body = jsonObject(req);
        if (!body) return json(400, { error: 'invalid', field: 'body' });
        const result = await create(body);
        if (!result.ok) return json(result.error === 'taken' ? 409 : result.error === 'invalid' ? 400 : 501, { error: result.error, ...(result.field ? { field: result.field } : {}) });
        return json(201, await overviewJson(result.user));
      },
    },
    {
      method: 'GET',
      path: '/developers/api/users',
      body: 'none',
      async handle() {
        return json(200, { users: await Promise.all((await deps.store.users.list()).map(overviewJson)) });
      },
    },
    {
      method: 'GET',
      path: '/developers/api/users/:userId',
      body: 'none',
      async handle(req) {
        const user = await userOf(req);
        return user ? json(200, await overviewJson(user)) : json(404, { error: 'unknown-user' });
      },
    },
    {
      method: 'GET',
      path: '/developers/api/users/:userId/log',
      body: 'none',
      async handle(req) {
        const user = await userOf(req);
        if (!user) return json(404, { error: 'unknown-user' });
        const events = await deps.store.events.forUser(user.userId, EVENTS_SHOWN);
        return json(200, {
          events: events.map((event) => ({
            // The session id itself could resume nothing (the session is over or bound to its page), but a digest is enough to group by.
            session: createHash('sha256').update(event.sessionId).digest('hex').slice(0, 12),
            at: event.at.toISOString(),
            client: event.client,
            service: event.service,
            step: event.step,
            outcome: event.outcome,
          })),
        });
      },
    },
    {
      method: 'POST',
      path: '/developers/api/users/:userId/:action',
      body: 'raw',
      async handle(req) {
        // No body is needed; a JSON content type is, so that a cross-site form cannot call this.
        if (!isTrustedJsonCall(req, deps.origin) || !isSameOriginOrNonBrowser(req, deps.origin)) return refused();
        const user = await userOf(req);
        if (!user) return json(404, { error: 'unknown-user' });
        if ((await act(user, req.params['action'] ?? '')) !== 'done') return json(404, { error: 'unknown-action' });
        const after = await deps.store.users.find(user.userId);
        return json(200, await overviewJson(after ?? user));
      },
    },
  ];
}
