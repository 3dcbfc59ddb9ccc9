import t from 'tap';
import { FixedClock } from '../../../src/shared/index.js';
import { parsePidRequest, pidResponseXml } from '../../../src/simulator/pid-cpr/plain-xml-endpoint.js';
import {
  BRUTE_FORCE_NO_MATCH_LIMIT,
  DEFAULT_PID_CPR_SERVICE_PROVIDERS,
  PidCprService,
  SIMULATOR_PRIVATE_SPID,
  SIMULATOR_PUBLIC_SPID,
} from '../../../src/simulator/pid-cpr/service.js';
import { TEST_USERS } from '../../../src/simulator/users/test-users.js';

const citizen = TEST_USERS.find((user) => user.userId === 'citizen')!;
const noCpr = TEST_USERS.find((user) => user.userId === 'no-cpr')!;
const pid = citizen.certificate.pid!;
const cpr = citizen.cpr!;

const service = (clock = new FixedClock('2021-05-13T12:00:00Z')) => new PidCprService(DEFAULT_PID_CPR_SERVICE_PROVIDERS, clock, async (pid) => TEST_USERS.find((user) => user.certificate.pid === pid)?.cpr);

t.test('match and lookup statuses', async (t) => {
  const s = service();
  t.same(await s.answer({ serviceId: SIMULATOR_PRIVATE_SPID, pid, cpr }), { status: 0, cpr });
  t.same(await s.answer({ serviceId: SIMULATOR_PRIVATE_SPID, pid, cpr: '0101011234' }), { status: 1 });
  t.same(await s.answer({ serviceId: SIMULATOR_PUBLIC_SPID, pid }), { status: 0, cpr }, 'public SP may look up');
  t.same(await s.answer({ serviceId: SIMULATOR_PRIVATE_SPID, pid }), { status: 8 }, 'private SP may not look up');
  t.same(await s.answer({ serviceId: '12345', pid, cpr }), { status: 17 }, 'unknown SPID');
  t.same(await s.answer({ serviceId: SIMULATOR_PUBLIC_SPID, pid: noCpr.certificate.pid! }), { status: 2 });
  t.same(await s.answer({ serviceId: SIMULATOR_PUBLIC_SPID, pid: '9999-2002-2-999999999999' }), { status: 2 });
  t.same(await s.answer({ serviceId: SIMULATOR_PUBLIC_SPID, pid: `PID:${pid}` }), { status: 2 }, 'PID must be bare');
});

t.test('status 16 after 5 NO_MATCH for one PID within an hour', async (t) => {
  const clock = new FixedClock('2021-05-13T12:00:00Z');
  const s = service(clock);
  for (let i = 0; i < BRUTE_FORCE_NO_MATCH_LIMIT; i += 1) t.equal((await s.answer({ serviceId: SIMULATOR_PRIVATE_SPID, pid, cpr: '0101011234' })).status, 1);
  t.equal((await s.answer({ serviceId: SIMULATOR_PRIVATE_SPID, pid, cpr })).status, 16, 'even the right CPR');
  t.equal((await s.answer({ serviceId: SIMULATOR_PRIVATE_SPID, pid: TEST_USERS[1]!.certificate.pid!, cpr: TEST_USERS[1]!.cpr! })).status, 0, 'other PIDs unaffected');
  clock.advance(60 * 60 * 1000 + 1);
  t.equal((await s.answer({ serviceId: SIMULATOR_PRIVATE_SPID, pid, cpr })).status, 0, 'an hour later');
  await s.answer({ serviceId: SIMULATOR_PRIVATE_SPID, pid, cpr: '0101011234' });
  s.reset();
  t.equal((await s.answer({ serviceId: SIMULATOR_PRIVATE_SPID, pid, cpr })).status, 0);
});

t.test('plain-XML request parsing', async (t) => {
  const xml = (body: string, version = '1.0') =>
    `<?xml version="1.0" encoding="iso-8859-1"?>\n<method name="pidCprRequest" version="${version}"><request id="r1">${body}</request></method>`;
  t.same(parsePidRequest(xml(`<serviceId>1</serviceId><pid>${pid}</pid><cpr>${cpr}</cpr>`)), {
    ok: true,
    request: { id: 'r1', serviceId: '1', pid, cpr },
  });
  t.same(parsePidRequest(xml(`<serviceId>1</serviceId><pid>${pid}</pid>`)), { ok: true, request: { id: 'r1', serviceId: '1', pid } });
  t.match(parsePidRequest(xml('<serviceId>1</serviceId>', '2.0')), { ok: false, status: 8193, id: 'r1' });
  t.match(parsePidRequest('<method name="other" version="1.0"/>'), { ok: false, status: 4096 });
  t.match(parsePidRequest('<!DOCTYPE x><method/>'), { ok: false, status: 8192 });
  t.match(parsePidRequest('not xml'), { ok: false, status: 8192 });
});

t.test('response XML echoes the id and omits cpr when there is none', async (t) => {
  const ok = pidResponseXml('abc', pid, { status: 0, cpr });
  t.match(ok, /^<\?xml version="1\.0" encoding="iso-8859-1"\?>\n<method name="pidCprRequest" version="1\.0"><response id="abc"><status statusCode="0">/);
  t.match(ok, `<cpr>${cpr}</cpr>`);
  t.notMatch(pidResponseXml('abc', pid, { status: 1 }), '<cpr>');
});
