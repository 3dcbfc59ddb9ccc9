import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createRolesClient, type RolesClientOptions } from '../../../src/nemid/index.js';
import { DEFAULT_SWITCHES, TEST_USERS, type ControlSwitches } from '../../../src/simulator/index.js';
import { rolesRoute } from '../../../src/simulator/roles.js';
import { codeOfAsync } from '../../unit/nemid/codes.js';
import { makeTestKeyPair } from '../../helpers/keys.js';
import { startSimulatorServer } from '../../helpers/simulator-server.js';

// The roles client over real HTTP(S) on 127.0.0.1: against the simulator's role service, against a server that
// misbehaves (size, type, status, redirect, reset), and with mutual TLS against a pinned server CA.

const pidOf = (userId: string) => TEST_USERS.find((user) => user.userId === userId)!.certificate.pid!;

let switches: ControlSwitches = { ...DEFAULT_SWITCHES };
const simulator = await startSimulatorServer([rolesRoute({ switches: () => switches, timeoutMs: 400, businessesOf: async (pid) => TEST_USERS.find((user) => user.certificate.pid === pid)?.businesses ?? null })]);
t.teardown(() => simulator.close());

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const client = (options: Partial<RolesClientOptions> = {}) => createRolesClient({ url: `${simulator.url}/roles`, timeoutMs: 2000, ...options });

t.test('the simulator: one business, two, none; an unknown PID owns none', async (t) => {
  t.same(await client().businessesOf({ pid: pidOf('owner') }), [{ cvr: '99990011', name: 'Simulator Tømrer ApS' }]);
  t.same((await client().businessesOf({ pid: pidOf('owner2') })).map((b) => b.cvr), ['99990021', '99990022']);
  t.same(await client().businessesOf({ pid: pidOf('citizen') }), []);
  t.same(await client().businessesOf({ pid: '9999-2002-2-999999999999' }), []);
});

t.test('the service down or slow is BUSINESS_ROLES_UNAVAILABLE', async (t) => {
  switches = { ...DEFAULT_SWITCHES, roles: 'unavailable' };
  t.equal(await codeOfAsync(() => client().businessesOf({ pid: pidOf('owner') })), 'BUSINESS_ROLES_UNAVAILABLE');
  switches = { ...DEFAULT_SWITCHES, roles: 'timeout' };
  const started = Date.now();
  t.equal(await codeOfAsync(() => client({ timeoutMs: 100 }).businessesOf({ pid: pidOf('owner') })), 'BUSINESS_ROLES_UNAVAILABLE');
  t.ok(Date.now() - started < 390, 'gives up at its own timeout');
  switches = { ...DEFAULT_SWITCHES };
  const closed = createHttpServer();
  const address = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  t.equal(await codeOfAsync(() => createRolesClient({ url: `http://${address}/roles`, timeoutMs: 1000 }).businessesOf({ pid: '1' })), 'BUSINESS_ROLES_UNAVAILABLE', 'connection refused');
});

t.test('answers that cannot be trusted are BUSINESS_ROLES_INVALID', async (t) => {
  let handler: RequestListener = () => {};
  const address = await listen(createHttpServer((req, res) => handler(req, res)));
  const ask = () => codeOfAsync(() => createRolesClient({ url: `http://${address}/roles`, timeoutMs: 2000 }).businessesOf({ pid: '1' }));
  const ok = JSON.stringify({ businesses: [{ cvr: '12345678', name: 'A' }] });

  handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(ok);
  t.equal(await ask(), 'NO_ERROR', 'the control case passes');
  handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(ok);
  t.equal(await ask(), 'BUSINESS_ROLES_INVALID', 'not application/json');
  handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ businesses: [{ cvr: '1', name: 'A' }] }));
  t.equal(await ask(), 'BUSINESS_ROLES_INVALID', 'bad shape');
  const big = JSON.stringify({ businesses: [{ cvr: '12345678', name: 'A' }], pad: 'x'.repeat(70 * 1024) });
  handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) }).end(big);
  t.equal(await ask(), 'BUSINESS_ROLES_INVALID', 'declared length over 64 KiB');
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let i = 0; i < 80; i++) res.write('x'.repeat(1024));
    res.end();
  };
  t.equal(await ask(), 'BUSINESS_ROLES_INVALID', 'chunked body over 64 KiB');
  handler = (_req, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/roles' }).end();
  t.equal(await ask(), 'BUSINESS_ROLES_INVALID', 'redirects are not followed');
  handler = (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  t.equal(await ask(), 'BUSINESS_ROLES_INVALID', 'a 404 that is not unknown-pid (wrong URL)');
  handler = (_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad-request"}');
  t.equal(await ask(), 'BUSINESS_ROLES_INVALID');
  handler = (req) => req.socket.destroy();
  t.equal(await ask(), 'BUSINESS_ROLES_UNAVAILABLE', 'connection reset');
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
    res.write('{"businesses":');
    setTimeout(() => res.socket?.destroy(), 20);
  };
  t.equal(await ask(), 'BUSINESS_ROLES_UNAVAILABLE', 'body cut off');
});

t.test('mutual TLS with the VOCES and a pinned server CA', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nemid-idp-roles-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=roles TEST ONLY',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'server.TEST-ONLY.key.pem'), '-out', join(dir, 'server.pem'),
  ], { stdio: 'ignore' });
  const serverCertPem = readFileSync(join(dir, 'server.pem'), 'utf8');
  const serverKeyPem = readFileSync(join(dir, 'server.TEST-ONLY.key.pem'), 'utf8');
  const voces = makeTestKeyPair('roles-voces');
  const stranger = makeTestKeyPair('roles-stranger');
  let clientSubject: string | undefined;
  const server = createHttpsServer({ key: serverKeyPem, cert: serverCertPem, ca: voces.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const cn = (req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN;
    clientSubject = Array.isArray(cn) ? cn.join(',') : cn;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"businesses":[{"cvr":"12345678","name":"TLS ApS"}]}');
  });
  const url = `https://${await listen(server)}/roles`;

  const good = createRolesClient({ url, timeoutMs: 2000, serverCaPem: serverCertPem, clientCertificate: { certPem: voces.certPem, keyPem: voces.keyPem } });
  t.same(await good.businessesOf({ pid: '1' }), [{ cvr: '12345678', name: 'TLS ApS' }]);
  t.equal(clientSubject, 'roles-voces TEST ONLY', 'the server saw the VOCES');

  const noPin = createRolesClient({ url, timeoutMs: 2000, clientCertificate: { certPem: voces.certPem, keyPem: voces.keyPem } });
  t.equal(await codeOfAsync(() => noPin.businessesOf({ pid: '1' })), 'BUSINESS_ROLES_INVALID', 'server not under the pinned/system CA');
  const wrongPin = createRolesClient({ url, timeoutMs: 2000, serverCaPem: stranger.certPem, clientCertificate: { certPem: voces.certPem, keyPem: voces.keyPem } });
  t.equal(await codeOfAsync(() => wrongPin.businessesOf({ pid: '1' })), 'BUSINESS_ROLES_INVALID', 'server under another CA');
  const wrongClient = createRolesClient({ url, timeoutMs: 2000, serverCaPem: serverCertPem, clientCertificate: { certPem: stranger.certPem, keyPem: stranger.keyPem } });
  // The server's refusal arrives as a TLS alert or, racing it, a reset: either way the call fails with a catalogue code.
  t.match(await codeOfAsync(() => wrongClient.businessesOf({ pid: '1' })), /^BUSINESS_ROLES_(INVALID|UNAVAILABLE)$/, 'a client certificate the server does not accept fails');
  t.throws(() => createRolesClient({ url: `${simulator.url}/roles`, timeoutMs: 1000, clientCertificate: { certPem: voces.certPem, keyPem: voces.keyPem } }), { code: 'CONFIG_INVALID' }, 'a client certificate over http: is refused');
});
