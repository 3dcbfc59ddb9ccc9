import t from 'tap';
import { parsePidCprResponse, pidCprFormBody, pidCprRequestXml, pidCprStatusError } from '../../../src/nemid/index.js';
import { parsePidRequest, pidResponseXml } from '../../../src/simulator/pid-cpr/plain-xml-endpoint.js';

const PID = '9999-2002-2-100000000001';
const ID = '0123456789abcdef0123456789abcdef';
const latin1 = (text: string) => Buffer.from(text, 'latin1');

t.test('request: the spec layout, readable by the simulator, form-encoded byte by byte', async (t) => {
  const xml = pidCprRequestXml({ id: ID, spid: '99000002', pid: PID, cpr: '7203851234' });
  t.equal(
    xml,
    '<?xml version="1.0" encoding="iso-8859-1"?>\n<method name="pidCprRequest" version="1.0"><request id="0123456789abcdef0123456789abcdef">' +
      '<serviceId>99000002</serviceId><pid>9999-2002-2-100000000001</pid><cpr>7203851234</cpr></request></method>',
  );
  t.same(parsePidRequest(xml), { ok: true, request: { id: ID, serviceId: '99000002', pid: PID, cpr: '7203851234' } });
  t.notMatch(pidCprRequestXml({ id: ID, spid: '99000001', pid: PID }), /<cpr>/, 'lookup has no cpr element');
  const body = pidCprFormBody(xml).toString('latin1');
  t.match(body, /^PID_REQUEST=%3C%3Fxml\+version%3D%221\.0%22/);
  t.equal(new URLSearchParams(body).get('PID_REQUEST'), xml, 'a standard form decoder gets the XML back');
  t.equal(pidCprFormBody('æ').toString('latin1'), 'PID_REQUEST=%E6', 'iso-8859-1 percent-encoding');
  t.throws(() => pidCprFormBody('€'), { code: 'INTERNAL_ERROR' });
});

t.test('request: refuses values that would need escaping or are not what they claim', async (t) => {
  t.throws(() => pidCprRequestXml({ id: ID, spid: '99x', pid: PID }), { code: 'CONFIG_INVALID' });
  t.throws(() => pidCprRequestXml({ id: ID, spid: '1', pid: 'PID:' + PID }), { code: 'CPR_NO_PID' });
  t.throws(() => pidCprRequestXml({ id: ID, spid: '1', pid: '<x/>' }), { code: 'CPR_NO_PID' });
  t.throws(() => pidCprRequestXml({ id: ID, spid: '1', pid: PID, cpr: '720385-1234' }), { code: 'CPR_FORMAT_INVALID' });
  t.throws(() => pidCprRequestXml({ id: 'a"b', spid: '1', pid: PID }), { code: 'INTERNAL_ERROR' });
});

t.test('response: the simulator layout parses, iso-8859-1 status texts included', async (t) => {
  const ok = parsePidCprResponse(latin1(pidResponseXml(ID, PID, { status: 0, cpr: '7203851234' })), ID);
  t.same(ok, { status: 0, pid: PID, cpr: '7203851234' });
  const brute = parsePidCprResponse(latin1(pidResponseXml(ID, PID, { status: 16 })), ID);
  t.same(brute, { status: 16, pid: PID }, 'status text "forsøg" decoded from iso-8859-1');
  const utf8 = Buffer.from(`<method name="pidCprRequest" version="1.0"><response id="${ID}"><status statusCode="1"><statusText language="DK">forsøg</statusText></status></response></method>`, 'utf8');
  t.same(parsePidCprResponse(utf8, ID), { status: 1 }, 'no declaration: UTF-8');
});

t.test('response: refused unless it is exactly ours and well-formed', async (t) => {
  const good = pidResponseXml(ID, PID, { status: 0, cpr: '7203851234' });
  const refusals: Record<string, string> = {
    'another id': good.replace(`id="${ID}"`, 'id="ffffffffffffffffffffffffffffffff"'),
    'no id': good.replace(` id="${ID}"`, ''),
    'DTD': good.replace('<method', '<!DOCTYPE method [<!ENTITY x "7203851234">]><method'),
    'entity': good.replace('<pid>', '<pid>&x;'),
    'two responses': good.replace('</method>', `<response id="${ID}"><status statusCode="0"/></response></method>`),
    'two cpr': good.replace('</response>', '<cpr>6506104123</cpr></response>'),
    'no status': good.replace(/<status .*<\/status>/, ''),
    'status not a number': good.replace('statusCode="0"', 'statusCode="0x0"'),
    'comment inside cpr': good.replace('<cpr>7203851234</cpr>', '<cpr>72038<!-- -->51234</cpr>'),
    'other root': good.replace(/method/g, 'methods'),
    'namespaced root': good.replace('<method name', '<method xmlns="urn:x" name'),
    'not xml': 'Service Unavailable',
    'unknown encoding': good.replace('iso-8859-1', 'utf-16'),
  };
  for (const [name, xml] of Object.entries(refusals)) {
    t.throws(() => parsePidCprResponse(latin1(xml), ID), { code: 'CPR_RESPONSE_INVALID' }, name);
  }
  t.throws(() => parsePidCprResponse(Buffer.from([0x3c, 0x61, 0xff, 0x3e]), ID), { code: 'CPR_RESPONSE_INVALID' }, 'invalid UTF-8');
  t.throws(() => parsePidCprResponse(latin1(good + ' '.repeat(40 * 1024)), ID), { code: 'CPR_RESPONSE_INVALID' }, 'too large');
});

t.test('status mapping: 0 and 1 are answers, every other code its own catalogue error', async (t) => {
  const expected: [number, string][] = [
    [2, 'CPR_NO_PID'],
    [8, 'CPR_NOT_AUTHORIZED'],
    [16, 'CPR_BRUTE_FORCE'],
    [16384, 'CPR_SERVICE_INTERNAL_ERROR'],
    [4, 'CPR_SERVICE_ERROR'],
    [17, 'CPR_SERVICE_ERROR'],
    [4096, 'CPR_SERVICE_ERROR'],
    [8192, 'CPR_SERVICE_ERROR'],
    [8193, 'CPR_SERVICE_ERROR'],
    [8194, 'CPR_SERVICE_ERROR'],
    [8195, 'CPR_SERVICE_ERROR'],
    [3, 'CPR_SERVICE_ERROR'],
    [99999, 'CPR_SERVICE_ERROR'],
  ];
  for (const [status, code] of expected) t.equal(pidCprStatusError(status).code, code, String(status));
});
