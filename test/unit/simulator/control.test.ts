import t from 'tap';
import { applySwitches, DEFAULT_SWITCHES } from '../../../src/simulator/control.js';

t.test('switches take the documented values', async (t) => {
  t.same(applySwitches(DEFAULT_SWITCHES, { crl: 'stale', ocsp: 'revoked' }), { ...DEFAULT_SWITCHES, crl: 'stale', ocsp: 'revoked' });
  t.same(applySwitches(DEFAULT_SWITCHES, { pidCpr: '16' }), { ...DEFAULT_SWITCHES, pidCpr: 16 });
  t.same(applySwitches(DEFAULT_SWITCHES, { pidCpr: 'timeout', roles: 'unavailable' }), { ...DEFAULT_SWITCHES, pidCpr: 'timeout', roles: 'unavailable' });
});

t.test('an unknown switch or value changes nothing', async (t) => {
  t.equal(applySwitches(DEFAULT_SWITCHES, { crl: 'broken' }), null);
  t.equal(applySwitches(DEFAULT_SWITCHES, { ocps: 'ok' }), null);
  t.equal(applySwitches(DEFAULT_SWITCHES, { pidCpr: 'sixteen' }), null);
  t.same(DEFAULT_SWITCHES, { crl: 'ok', ocsp: 'ok', pidCpr: 'ok', roles: 'ok' });
});
