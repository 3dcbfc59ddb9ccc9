import { json, jsonObject } from '../http/responses.js';
import type { SimRequest, SimResponse, SimRoute } from '../http/types.js';
import type { ClientKind } from '../parameters/rules.js';
import type { LoginFlow } from './flow.js';

// The launcher page's JSON API (same origin as the page; no cookies). Every answer is a FlowAnswer; a malformed
// call is 400 and the page then reports APP003 to its parent.

const MAX_FIELD = 64 * 1024;

function fields(req: SimRequest): { body: Record<string, unknown>; client: ClientKind } | null {
  const body = jsonObject(req);
  if (!body || (body['client'] !== 'js' && body['client'] !== 'codefile')) return null;
  return { body, client: body['client'] };
}

function stringField(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  return typeof value === 'string' && value.length <= MAX_FIELD ? value : null;
}

const badRequest = (): SimResponse => json(400, { error: 'bad-request' });

export function apiRoutes(flow: LoginFlow): SimRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/session',
      body: 'raw',
      async handle(req) {
        const call = fields(req);
        const parameters = call && stringField(call.body, 'parameters');
        const messageOrigin = call && stringField(call.body, 'messageOrigin');
        if (!call || parameters === null || messageOrigin === null) return badRequest();
        return json(200, await flow.start(call.client, parameters, messageOrigin));
      },
    },
    {
      method: 'POST',
      path: '/api/session/:id/password',
      body: 'raw',
      async handle(req) {
        const call = fields(req);
        const userId = call && stringField(call.body, 'userId');
        const password = call && stringField(call.body, 'password');
        if (!call || userId === null || password === null) return badRequest();
        return json(200, await flow.password(call.client, req.params['id'] ?? '', userId, password, call.body['remember'] === true));
      },
    },
    {
      method: 'POST',
      path: '/api/session/:id/code',
      body: 'raw',
      async handle(req) {
        const call = fields(req);
        const code = call && stringField(call.body, 'code');
        if (!call || code === null) return badRequest();
        return json(200, await flow.code(call.client, req.params['id'] ?? '', code));
      },
    },
    {
      method: 'POST',
      path: '/api/session/:id/cancel',
      body: 'raw',
      async handle(req) {
        const call = fields(req);
        if (!call) return badRequest();
        return json(200, await flow.cancel(call.client, req.params['id'] ?? ''));
      },
    },
  ];
}
