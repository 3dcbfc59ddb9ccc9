import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createPidCprClient } from '../../../src/nemid/index.js';
import { systemClock } from '../../../src/shared/index.js';
import { createSimulator, PID_XML_PATH, SIMULATOR_PRIVATE_SPID, SIMULATOR_PUBLIC_SPID, TEST_USERS, type SimLog } from '../../../src/simulator/index.js';
import { fixtureSimulatorPki } from '../../helpers/fixture-simulator-pki.js';
import { startSimulatorServer } from '../../helpers/simulator-server.js';

// The PID-CPR client against the simulator's plain-XML service over real HTTP on 127.0.0.1, and against a local
// HTTPS server that demands our client certificate (mutual TLS with the server CA pinned).

const silent: SimLog = { info: () => {}, warn: () => {}, error: () => {} };
const simulator = createSimulator({ pidCprClients: 'any-caller', origin: 'http://127.0.0.1:1', requestIssuer: 'test', pki: fixtureSimulatorPki(), clock: systemClock, log: silent, timeoutMs: 1500 });
const server = await startSimulatorServer([...simulator.routes, ...simulator.pidCprRoutes]);
t.teardown(() => server.close());
const url = `${server.url}${PID_XML_PATH}`;
const citizen = TEST_USERS.find((u) => u.userId === 'citizen')!;
const noCpr = TEST_USERS.find((u) => u.userId === 'no-cpr')!;
const youth = TEST_USERS.find((u) => u.userId === 'youth')!;
const pid = citizen.certificate.pid!;
const publicClient = createPidCprClient({ url, spid: SIMULATOR_PUBLIC_SPID, timeoutMs: 1000 });
const privateClient = createPidCprClient({ url, spid: SIMULATOR_PRIVATE_SPID, timeoutMs: 1000 });

async function control(fields: Record<string, string> | null): Promise<void> {
  const response = await fetch(`${server.url}/control`, fields ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) } : { method: 'DELETE' });
  if (response.status !== 200) throw new Error(`control ${response.status}`);
}

t.beforeEach(() => control(null));

t.test('lookup for a public SPID; status 8 for a private one; 2 for a PID without CPR', async (t) => {
  t.equal(await publicClient.lookup(pid), citizen.cpr);
  await t.rejects(privateClient.lookup(pid), { code: 'CPR_NOT_AUTHORIZED' });
  await t.rejects(publicClient.lookup(noCpr.certificate.pid!), { code: 'CPR_NO_PID' });
  await t.rejects(createPidCprClient({ url, spid: '12345', timeoutMs: 1000 }).lookup(pid), { code: 'CPR_SERVICE_ERROR' }, 'unknown SPID → 17');
});

t.test('match: yes, no, and status 16 after repeated wrong matches for one PID', async (t) => {
  t.equal(await privateClient.match(pid, citizen.cpr!), true);
  t.equal(await privateClient.match(pid, youth.cpr!), false);
  for (let i = 0; i < 4; i++) t.equal(await privateClient.match(pid, youth.cpr!), false);
  await t.rejects(privateClient.match(pid, citizen.cpr!), { code: 'CPR_BRUTE_FORCE' }, 'even the right number once the PID is blocked');
  await t.rejects(privateClient.match(pid, '72038512'), { code: 'CPR_FORMAT_INVALID' }, 'never sent');
});

t.test('the simulator switches: forced status, unavailable, timeout', async (t) => {
  await control({ pidCpr: '16384' });
  await t.rejects(privateClient.match(pid, citizen.cpr!), { code: 'CPR_SERVICE_INTERNAL_ERROR' });
  await control({ pidCpr: '16' });
  await t.rejects(privateClient.match(pid, citizen.cpr!), { code: 'CPR_BRUTE_FORCE' });
  await control({ pidCpr: 'unavailable' });
  await t.rejects(publicClient.lookup(pid), { code: 'CPR_SERVICE_UNAVAILABLE' });
  await control({ pidCpr: 'timeout' });
  const started = Date.now();
  await t.rejects(createPidCprClient({ url, spid: SIMULATOR_PUBLIC_SPID, timeoutMs: 300 }).lookup(pid), { code: 'CPR_SERVICE_UNAVAILABLE' });
  const elapsed = Date.now() - started;
  t.ok(elapsed >= 280 && elapsed < 1200, `gave up at the timeout, without a retry (${elapsed} ms)`);
});

t.test('connection refused: one retry, then CPR_SERVICE_UNAVAILABLE; a retry that connects succeeds', async (t) => {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await t.rejects(createPidCprClient({ url: `http://127.0.0.1:${port}${PID_XML_PATH}`, spid: '1', timeoutMs: 1000 }).lookup(pid), { code: 'CPR_SERVICE_UNAVAILABLE' });

  // A TCP proxy to the simulator that can drop connections: at accept (the client sees a failed connect, which it
  // retries once) or after the request arrived (the service may have acted on it: never retried).
  let connections = 0;
  let drop: 'none' | 'at-accept' | 'after-request' = 'none';
  let dropsLeft = 0;
  const upstreamPort = Number(new URL(server.url).port);
  const { connect } = await import('node:net');
  const proxy = createNetServer((socket) => {
    connections += 1;
    if (dropsLeft > 0 && drop === 'at-accept') {
      dropsLeft -= 1;
      socket.resetAndDestroy();
      return;
    }
    if (dropsLeft > 0 && drop === 'after-request') {
      dropsLeft -= 1;
      socket.once('data', () => socket.resetAndDestroy());
      return;
    }
    const target = connect(upstreamPort, '127.0.0.1');
    socket.pipe(target).pipe(socket);
    socket.on('error', () => target.destroy());
    target.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { proxy.close(() => resolve()); }));
  const client = createPidCprClient({ url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${PID_XML_PATH}`, spid: SIMULATOR_PUBLIC_SPID, timeoutMs: 2000 });

  drop = 'at-accept';
  dropsLeft = 1;
  connections = 0;
  t.equal(await client.lookup(pid), citizen.cpr, 'a failed connect is retried once');
  t.equal(connections, 2);

  dropsLeft = 2;
  connections = 0;
  await t.rejects(client.lookup(pid), { code: 'CPR_SERVICE_UNAVAILABLE' }, 'but only once');
  t.equal(connections, 2);

  drop = 'after-request';
  dropsLeft = 1;
  connections = 0;
  await t.rejects(client.lookup(pid), { code: 'CPR_SERVICE_UNAVAILABLE' });
  t.equal(connections, 1, 'no retry once the request may have reached the service');
});

t.test('https: mutual TLS with the pinned server CA', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nemid-idp-pidcpr-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const selfSigned = (name: string, extra: string[] = []) => {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, `${name}.TEST-ONLY.key.pem`), '-out', join(dir, `${name}.cert.pem`), '-days', '2', '-subj', `/CN=${name} TEST ONLY`, ...extra);
    return { key: readFileSync(join(dir, `${name}.TEST-ONLY.key.pem`), 'utf8'), cert: readFileSync(join(dir, `${name}.cert.pem`), 'utf8') };
  };
  const serverPair = selfSigned('pid-cpr-server', ['-addext', 'subjectAltName=IP:127.0.0.1']);
  const voces = selfSigned('voces');
  const stranger = selfSigned('stranger', ['-addext', 'subjectAltName=IP:127.0.0.1']);

  let clientSubjects: string[] = [];
  const https = createHttpsServer({ key: serverPair.key, cert: serverPair.cert, ca: [voces.cert], requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    clientSubjects.push(peer.subject.CN as string);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.concat(chunks) })
        .then(async (answer) => res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/xml' }).end(Buffer.from(await answer.arrayBuffer())));
    });
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { https.closeAllConnections(); https.close(() => resolve()); }));
  const httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}${PID_XML_PATH}`;

  const good = createPidCprClient({ url: httpsUrl, spid: SIMULATOR_PUBLIC_SPID, timeoutMs: 3000, tls: { clientKeyPem: voces.key, clientCertPem: voces.cert, serverCaPem: serverPair.cert } });
  t.equal(await good.lookup(pid), citizen.cpr);
  t.same(clientSubjects, ['voces TEST ONLY'], 'the server saw our VOCES');

  clientSubjects = [];
  const wrongCa = createPidCprClient({ url: httpsUrl, spid: SIMULATOR_PUBLIC_SPID, timeoutMs: 3000, tls: { clientKeyPem: voces.key, clientCertPem: voces.cert, serverCaPem: stranger.cert } });
  await t.rejects(wrongCa.lookup(pid), { code: 'CPR_SERVICE_ERROR' }, 'a server not under the pinned CA is refused');
  const wrongClient = createPidCprClient({ url: httpsUrl, spid: SIMULATOR_PUBLIC_SPID, timeoutMs: 3000, tls: { clientKeyPem: stranger.key, clientCertPem: stranger.cert, serverCaPem: serverPair.cert } });
  const refused = await wrongClient.lookup(pid).then(() => null, (error: { code?: string }) => error.code);
  t.ok(refused === 'CPR_SERVICE_ERROR' || refused === 'CPR_SERVICE_UNAVAILABLE', `the server refuses a client certificate it does not know (${refused})`);
  t.same(clientSubjects, [], 'no request reached the handler');
  await t.rejects(createPidCprClient({ url: httpsUrl, spid: '1', timeoutMs: 1000 }).lookup(pid), { code: 'CONFIG_INVALID' }, 'https without TLS material is refused');
});

t.test('a match answered OK without echoing the CPR is not a yes (issue 16 item 4)', async (t) => {
  const { createServer } = await import('node:http');
  const silentOk = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = /id="([^"]+)"/.exec(decodeURIComponent(Buffer.concat(chunks).toString('latin1')))?.[1] ?? '';
      res.writeHead(200, { 'content-type': 'text/xml; charset=iso-8859-1' }).end(
        `<?xml version="1.0" encoding="iso-8859-1"?>\n<method name="pidCprServer" version="1.0"><response id="${id}"><status statusCode="0"><statusText language="DK">OK</statusText><statusText language="UK">OK</statusText></status><pid>${pid}</pid></response></method>`,
      );
    });
  });
  await new Promise<void>((resolve) => silentOk.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => silentOk.close(() => resolve())));
  const client = createPidCprClient({ url: `http://127.0.0.1:${(silentOk.address() as AddressInfo).port}${PID_XML_PATH}`, spid: SIMULATOR_PRIVATE_SPID, timeoutMs: 1000 });
  await t.rejects(client.match(pid, citizen.cpr!), { code: 'CPR_RESPONSE_INVALID' });
  await control({ pidCpr: '0' });
  t.equal(await privateClient.match(pid, youth.cpr!), true, "the simulator's forced OK echoes the CPR asked about, as its own OK does");
});
