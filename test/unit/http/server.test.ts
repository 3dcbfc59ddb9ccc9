import t from 'tap';
import { IdpError } from '../../../src/errors/index.js';
import { createHttpServer, createLogger, createServiceMetrics, registerOperationsRoutes } from '../../../src/http/index.js';
import { captureLog } from '../../helpers/log-capture.js';

async function makeServer(options: { rateLimitPerMinute?: number } = {}) {
  const log = captureLog();
  const metrics = createServiceMetrics();
  const app = await createHttpServer({
    log: createLogger({ level: 'info', destination: log.stream as never }),
    cookieSecrets: ['a'.repeat(32), 'b'.repeat(32)],
    bodyLimitBytes: 1024,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100,
    trustProxy: false,
    csp: { formActionOrigins: () => ['https://sp.example.dk'], frameOrigins: () => ['http://localhost:8081'] },
    errors: { simulatorBanner: false },
    metrics,
  });
  registerOperationsRoutes(app, { readiness: async () => ({ ready: true, checks: {} }), metrics: metrics.registry });
  app.post('/echo', async (request) => ({ ok: typeof request.body === 'object' }));
  app.get('/fail', async () => {
    throw new IdpError('SAML_ISSUER_UNKNOWN', 'issuer https://evil.example not registered');
  });
  app.get('/crash', async () => {
    throw new Error('database password is hunter2');
  });
  await app.ready();
  return { app, log };
}

t.test('log lines never carry a CPR number, a cookie or a SAML message', async (t) => {
  const { app, log } = await makeServer();
  const res = await app.inject({
    method: 'POST',
    url: '/echo?SAMLRequest=fZJNT8MwDIb%2FSpX7&RelayState=0101801234',
    headers: { cookie: 'session=secret-cookie-value', 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'SAMLResponse=PHNhbWxwOlJlc3BvbnNl&cpr=010180-1234',
  });
  t.equal(res.statusCode, 200);
  const text = log.text();
  t.ok(log.lines.some((l) => l.includes('"req"') && l.includes('"res"')), 'the request and its response were logged (one line per request)');
  t.notMatch(text, /0101801234|010180-1234/, 'no CPR-like number');
  t.notMatch(text, /secret-cookie-value/, 'no cookie');
  t.notMatch(text, /PHNhbWxwOlJlc3BvbnNl|fZJNT8MwDIb/, 'no SAML message');
  t.match(text, /"traceId"/, 'every request line has a trace id');
  for (const line of log.lines.filter((l) => l.includes('"req"') || l.includes('"res"'))) t.match(line, /"traceId":"[A-Za-z0-9_-]+"/);
});

t.test('a CPR inside a logged error message is scrubbed', async (t) => {
  const { app, log } = await makeServer();
  app.log.error({ note: 'user typed 1204561234 in the wrong field' }, 'value 120456-1234 rejected');
  await new Promise((r) => setTimeout(r, 20));
  t.notMatch(log.text(), /1204561234|120456-1234/);
});

t.test('catalogue errors render as a page with code and trace id, or as JSON', async (t) => {
  const { app } = await makeServer();
  const page = await app.inject({ method: 'GET', url: '/fail', headers: { accept: 'text/html', 'accept-language': 'en' } });
  t.equal(page.statusCode, 400);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.body, /SAML_ISSUER_UNKNOWN/);
  t.match(page.body, new RegExp(String(page.headers['x-trace-id'])));
  t.notMatch(page.body, /evil\.example/, 'details stay in the log');
  t.match(page.body, /lang="da"/, 'the other language is on the page too');
  const json = await app.inject({ method: 'GET', url: '/fail', headers: { accept: 'application/json' } });
  t.same(json.json(), { error: 'SAML_ISSUER_UNKNOWN', traceId: json.headers['x-trace-id'] });
});

t.test('an unexpected error is INTERNAL_ERROR and reveals nothing', async (t) => {
  const { app, log } = await makeServer();
  const res = await app.inject({ method: 'GET', url: '/crash', headers: { accept: 'application/json' } });
  t.equal(res.statusCode, 500);
  t.equal(res.json().error, 'INTERNAL_ERROR');
  t.notMatch(res.body, /hunter2/);
  t.match(log.text(), /hunter2/, 'the cause goes to the log');
});

t.test('404 gives nothing away and is the same for every method', async (t) => {
  const { app } = await makeServer();
  const a = await app.inject({ method: 'GET', url: '/admin/.env', headers: { accept: 'application/json' } });
  const b = await app.inject({ method: 'DELETE', url: '/saml/metadata', headers: { accept: 'application/json' } });
  t.equal(a.statusCode, 404);
  t.equal(b.statusCode, 404);
  t.same(Object.keys(a.json()).sort(), ['error', 'traceId']);
  t.equal(a.json().error, 'NOT_FOUND');
  t.notOk(a.headers['x-powered-by']);
});

t.test('security headers: CSP with a fresh nonce, ACS origins in form-action, no framing', async (t) => {
  const { app } = await makeServer();
  const one = await app.inject({ method: 'GET', url: '/fail' });
  const two = await app.inject({ method: 'GET', url: '/fail' });
  const csp = String(one.headers['content-security-policy']);
  t.match(csp, /form-action 'self' https:\/\/sp\.example\.dk/);
  t.match(csp, /frame-ancestors 'none'/);
  t.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
  t.not(csp, String(two.headers['content-security-policy']), 'nonce differs per request');
  t.equal(one.headers['x-content-type-options'], 'nosniff');
  t.equal(one.headers['referrer-policy'], 'no-referrer');
});

t.test('body size limit answers PAYLOAD_TOO_LARGE', async (t) => {
  const { app } = await makeServer();
  const res = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, payload: `a=${'x'.repeat(5000)}` });
  t.equal(res.statusCode, 413);
  t.equal(res.json().error, 'PAYLOAD_TOO_LARGE');
});

t.test('rate limit applies to pages but not to health, readiness or metrics', async (t) => {
  const { app } = await makeServer({ rateLimitPerMinute: 2 });
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await app.inject({ method: 'GET', url: '/fail', headers: { accept: 'application/json' } })).statusCode);
  t.same(codes, [400, 400, 429]);
  const limited = await app.inject({ method: 'GET', url: '/fail', headers: { accept: 'application/json' } });
  t.equal(limited.json().error, 'RATE_LIMITED');
  for (let i = 0; i < 5; i++) {
    t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  }
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  t.equal(metrics.statusCode, 200);
  t.match(metrics.body, /nemid_idp_http_request_duration_seconds_count/);
});

t.test('the rate limiter keys on a value that always exists, also after the client disconnected', async (t) => {
  const { rateLimitKey } = await import('../../../src/http/server.js');
  t.equal(rateLimitKey({ ip: '10.0.0.1' }), '10.0.0.1');
  t.equal(rateLimitKey({ ip: undefined, socket: { remoteAddress: '10.0.0.2' } }), '10.0.0.2');
  t.equal(rateLimitKey({ ip: undefined, socket: null }), 'disconnected', 'request.ip is undefined once the socket is gone');
});
