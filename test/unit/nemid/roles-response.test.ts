import t from 'tap';
import { parseRolesResponse } from '../../../src/nemid/index.js';
import { codeOf } from './codes.js';

const answer = (value: unknown) => JSON.stringify(value);

t.test('a well-formed list is returned as is (names trimmed)', async (t) => {
  t.same(parseRolesResponse(answer({ businesses: [] })), []);
  t.same(
    parseRolesResponse(answer({ businesses: [{ cvr: '99990021', name: 'Simulator Bageri I/S' }, { cvr: '00000001', name: '  Ø-Firma  ' }] })),
    [
      { cvr: '99990021', name: 'Simulator Bageri I/S' },
      { cvr: '00000001', name: 'Ø-Firma' },
    ],
  );
  const longest = 'x'.repeat(200);
  t.same(parseRolesResponse(answer({ businesses: [{ cvr: '12345678', name: longest }] })), [{ cvr: '12345678', name: longest }]);
});

t.test('anything outside the exact shape is BUSINESS_ROLES_INVALID', async (t) => {
  const refused: [string, string][] = [
    ['not JSON', '{"businesses":['],
    ['empty body', ''],
    ['top-level array', answer([{ cvr: '12345678', name: 'A' }])],
    ['null', 'null'],
    ['missing list', answer({})],
    ['extra top-level field', answer({ businesses: [], more: true })],
    ['list not an array', answer({ businesses: { cvr: '12345678', name: 'A' } })],
    ['entry not an object', answer({ businesses: ['12345678'] })],
    ['entry null', answer({ businesses: [null] })],
    ['extra entry field', answer({ businesses: [{ cvr: '12345678', name: 'A', role: 'admin' }] })],
    ['CVR 7 digits', answer({ businesses: [{ cvr: '1234567', name: 'A' }] })],
    ['CVR 9 digits', answer({ businesses: [{ cvr: '123456789', name: 'A' }] })],
    ['CVR number type', answer({ businesses: [{ cvr: 12345678, name: 'A' }] })],
    ['CVR with prefix', answer({ businesses: [{ cvr: 'CVR:12345678', name: 'A' }] })],
    ['CVR non-ASCII digits', answer({ businesses: [{ cvr: '١٢٣٤٥٦٧٨', name: 'A' }] })],
    ['CVR trailing newline', answer({ businesses: [{ cvr: '12345678\n', name: 'A' }] })],
    ['name missing', answer({ businesses: [{ cvr: '12345678' }] })],
    ['name empty', answer({ businesses: [{ cvr: '12345678', name: '' }] })],
    ['name blank', answer({ businesses: [{ cvr: '12345678', name: '   ' }] })],
    ['name too long', answer({ businesses: [{ cvr: '12345678', name: 'x'.repeat(201) }] })],
    ['name not a string', answer({ businesses: [{ cvr: '12345678', name: ['A'] }] })],
    ['name with newline', answer({ businesses: [{ cvr: '12345678', name: 'A\nB' }] })],
    ['name with bidi override', answer({ businesses: [{ cvr: '12345678', name: 'A\u202eB' }] })],
    ['duplicate CVR', answer({ businesses: [{ cvr: '12345678', name: 'A' }, { cvr: '12345678', name: 'B' }] })],
    ['too many', answer({ businesses: Array.from({ length: 101 }, (_, i) => ({ cvr: String(10000000 + i), name: `B${i}` })) })],
  ];
  for (const [label, body] of refused) t.equal(codeOf(() => parseRolesResponse(body)), 'BUSINESS_ROLES_INVALID', label);
});
