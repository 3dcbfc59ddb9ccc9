import t from 'tap';
import { scrubLine } from '../../../src/http/logging.js';

// Issue 16 item 8: CPR numbers are redacted by context (a date, standing alone), not every 10-digit stretch of a hex
// certificate serial, key id or hash.

const scrub = (value: Record<string, unknown>) => JSON.parse(scrubLine(JSON.stringify(value))) as Record<string, unknown>;

t.test('CPR numbers in text are redacted, with or without the dash, and replacement CPRs (day + 60) too', async (t) => {
  t.same(scrub({ a: '0101901234', b: 'cpr 010190-1234 given', c: 'x:3112991234', d: '6101901234' }), {
    a: '[REDACTED-CPR]', b: 'cpr [REDACTED-CPR] given', c: 'x:[REDACTED-CPR]', d: '[REDACTED-CPR]',
  });
  t.same(scrub({ n: 101901234, m: 3112991234 }), { n: '[REDACTED-CPR]', m: '[REDACTED-CPR]' }, 'a number has no context: always');
});

t.test('hex serials, hashes, timestamps and dotted numbers are left alone', async (t) => {
  const kept = {
    serial: '5BAD39F51234567890AB',
    keyId: 'a1234567890b',
    hash: 'deadbeef0101901234cafe',
    epoch: '1733338800',
    notADate: '9999991234',
    version: '1.0101901234',
  };
  t.same(scrub(kept), kept);
});
