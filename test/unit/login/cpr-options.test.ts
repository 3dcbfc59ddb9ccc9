import t from 'tap';
import { resolveCprOptions } from '../../../src/login/cpr/options.js';
import type { RegisteredSp } from '../../../src/saml/index.js';

// The "Remember my CPR number" box follows the SP's policy field offerCprMemory (default true) unless overridden.
const sp = (offerCprMemory: boolean) => ({ policy: { offerCprMemory } }) as unknown as RegisteredSp;

t.test('the policy decides whether the remember box is offered', async (t) => {
  const options = resolveCprOptions({ pidCpr: null, pidHmacSecret: Buffer.alloc(32, 1) });
  t.equal(options.offerRemember(sp(true)), true);
  t.equal(options.offerRemember(sp(false)), false);
});

t.test('a short PID HMAC secret is refused', async (t) => {
  t.throws(() => resolveCprOptions({ pidCpr: null, pidHmacSecret: Buffer.alloc(16) }));
});
