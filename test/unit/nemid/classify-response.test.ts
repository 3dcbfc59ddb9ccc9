import t from 'tap';
import { classifyClientResponse, clientErrorClass, MAX_RESPONSE_FIELD_BYTES } from '../../../src/nemid/index.js';
import { codeOf } from './codes.js';

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

t.test('client error codes: listed classes and catalogue codes', async (t) => {
  const cancel = classifyClientResponse('Q0FOMDAy');
  t.same(cancel, { kind: 'error', code: 'CAN002', class: 'U', errorCode: 'NEMID_USER_CANCELLED' });
  for (const [code, cls, errorCode] of [
    ['CAN001', 'A', 'NEMID_ACCOUNT_PROBLEM'],
    ['CAN007', 'U', 'NEMID_USER_CANCELLED'],
    ['APP001', 'I', 'NEMID_CLIENT_INTEGRATION'],
    ['SRV003', 'I', 'NEMID_CLIENT_INTEGRATION'],
    ['SRV006', 'T', 'NEMID_CLIENT_TECHNICAL'],
    ['SRV007', 'A', 'NEMID_ACCOUNT_PROBLEM'],
    ['AUTH010', 'T', 'NEMID_CLIENT_TECHNICAL'],
    ['LOCK003', 'A', 'NEMID_ACCOUNT_PROBLEM'],
    ['OCES005', 'T', 'NEMID_CLIENT_TECHNICAL'],
    ['CAPP004', 'A', 'NEMID_ACCOUNT_PROBLEM'],
    ['LIB002', 'T', 'NEMID_CLIENT_TECHNICAL'],
  ] as const) {
    t.same(classifyClientResponse(`  ${b64(code)}\n`), { kind: 'error', code, class: cls, errorCode }, code);
  }
});

t.test('unlisted codes matching the pattern take their prefix class (published lists went stale)', async (t) => {
  t.equal(clientErrorClass('CAN099'), 'U');
  t.equal(clientErrorClass('APP099'), 'I');
  t.equal(clientErrorClass('SRV099'), 'I');
  t.equal(clientErrorClass('AUTH099'), 'A');
  t.equal(clientErrorClass('LOCK099'), 'A');
  t.equal(clientErrorClass('OCES099'), 'A');
  t.equal(clientErrorClass('CAPP099'), 'A');
  t.equal(clientErrorClass('LIB099'), 'T');
  t.equal(clientErrorClass('ZZZ123'), 'T');
  t.same(classifyClientResponse(b64('NEWX123')), { kind: 'error', code: 'NEWX123', class: 'T', errorCode: 'NEMID_CLIENT_TECHNICAL' });
});

t.test('a document is handed on as bytes, unverified', async (t) => {
  const result = classifyClientResponse(b64('<?xml version="1.0"?><a/>'));
  t.equal(result.kind, 'document');
});

t.test('garbage ends in NEMID_RESPONSE_MALFORMED, never in a crash', async (t) => {
  for (const field of [
    '',
    '   ',
    'Q0FOMDAy=',
    'Q0FO MDAy',
    'not base64!',
    b64('cancel'),
    b64('CAN002\n'),
    b64('can002'),
    b64('CA002'),
    b64('CANCEL002'),
    b64('{"json":true}'),
    b64('\uFEFF<a/>'),
    'A'.repeat(MAX_RESPONSE_FIELD_BYTES + 4),
  ]) {
    t.equal(codeOf(() => classifyClientResponse(field)), 'NEMID_RESPONSE_MALFORMED', JSON.stringify(field.slice(0, 40)));
  }
  t.equal(codeOf(() => classifyClientResponse(undefined as unknown as string)), 'NEMID_RESPONSE_MALFORMED');
});
