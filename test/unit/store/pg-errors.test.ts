import t from 'tap';
import { IdpError, isIdpError } from '../../../src/errors/index.js';
import { isDriverError, mapPgError, parseDatabaseUrl, pgErrorCode } from '../../../src/store/index.js';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

t.test('SQLSTATE and network codes map to catalogue codes', async (t) => {
  const cases: [string, string][] = [
    ['08006', 'DB_UNAVAILABLE'],
    ['08001', 'DB_UNAVAILABLE'],
    ['57P01', 'DB_UNAVAILABLE'],
    ['57P02', 'DB_UNAVAILABLE'],
    ['57P03', 'DB_UNAVAILABLE'],
    ['ECONNREFUSED', 'DB_UNAVAILABLE'],
    ['ETIMEDOUT', 'DB_UNAVAILABLE'],
    ['23505', 'DB_CONFLICT'],
    ['23503', 'DB_CONFLICT'],
    ['40001', 'DB_SERIALIZATION_FAILURE'],
    ['40P01', 'DB_SERIALIZATION_FAILURE'],
    ['23514', 'DB_QUERY_FAILED'],
    ['42P01', 'DB_QUERY_FAILED'],
    ['22P02', 'DB_QUERY_FAILED'],
  ];
  for (const [code, expected] of cases) t.equal(pgErrorCode(withCode(code)), expected, code);
  t.equal(pgErrorCode(new Error('Connection terminated unexpectedly')), 'DB_UNAVAILABLE');
  t.equal(pgErrorCode(new Error('timeout exceeded when trying to connect')), 'DB_UNAVAILABLE');
  t.equal(pgErrorCode(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])), 'DB_UNAVAILABLE');
  t.equal(pgErrorCode(new Error('something else')), 'DB_QUERY_FAILED', 'unknown errors fail as query failures');
  t.equal(pgErrorCode('a string'), 'DB_QUERY_FAILED');
});

t.test('mapPgError keeps SQLSTATE and constraint for the log, never row values', async (t) => {
  const raw = Object.assign(new Error('duplicate key value violates unique constraint'), {
    code: '23505',
    constraint: 'cpr_memory_pkey',
    table: 'cpr_memory',
    detail: 'Key (pid_hmac)=(\\x01) already exists.',
  });
  const mapped = mapPgError(raw);
  t.ok(isIdpError(mapped, 'DB_CONFLICT'));
  t.same(mapped.detail, { sqlState: '23505', constraint: 'cpr_memory_pkey', table: 'cpr_memory' });
  t.equal(mapped.cause, raw);
  const already = new IdpError('LOGIN_NOT_FOUND');
  t.equal(mapPgError(already), already, 'an IdpError passes through');
});

t.test('isDriverError tells driver errors from application errors', async (t) => {
  t.ok(isDriverError(withCode('23505')));
  t.ok(isDriverError(new Error('Connection terminated unexpectedly')));
  t.notOk(isDriverError(new TypeError('bug')));
  t.notOk(isDriverError(new IdpError('DB_CONFLICT')));
});

t.test('DATABASE_URL validation names the setting', async (t) => {
  for (const bad of ['', 'not a url', 'mysql://h/db', 'postgres:///db', 'postgres://h', 'postgres://h/', 'postgres://h/a/b']) {
    t.throws(() => parseDatabaseUrl(bad), { code: 'CONFIG_INVALID', detail: { setting: 'DATABASE_URL' } }, JSON.stringify(bad));
  }
  t.equal(parseDatabaseUrl('postgres://u:p@127.0.0.1:5432/nemid').hostname, '127.0.0.1');
  t.equal(parseDatabaseUrl('postgresql://h/db?sslmode=require').protocol, 'postgresql:');
});

t.test('createPool refuses a malformed URL before connecting', async (t) => {
  const { createPool } = await import('../../../src/store/index.js');
  t.throws(() => createPool('postgres//missing-colon'), { code: 'CONFIG_INVALID', detail: { setting: 'DATABASE_URL' } });
});
