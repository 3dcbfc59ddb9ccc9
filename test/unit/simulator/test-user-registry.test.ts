import t from 'tap';
import { randomBytes } from 'node:crypto';
import { createMemoryStore } from '../../../src/simulator/memory-store.js';
import { createCprSealer, sameCpr } from '../../../src/simulator/users/cpr-seal.js';
import { isCprFormat, normaliseCpr, substituteCpr } from '../../../src/simulator/users/cpr-format.js';
import { autofillValues, createUser } from '../../../src/simulator/users/create-user.js';
import { hashPassword, verifyPassword } from '../../../src/simulator/users/passwords.js';
import type { SimulatorPki } from '../../../src/simulator/pki-port.js';

// The pure parts of the simulator's test-user registry: CPR format and substitute numbers, scrypt passwords, sealed
// CPRs, and the checks a new user passes (with a PKI double that hands out a fixed certificate: no CA here).

const NOW = new Date('2026-06-01T12:00:00Z');

t.test('CPR format: calendar days, substitute days (+60), ten digits', async (t) => {
  t.ok(isCprFormat('0101901234'));
  t.ok(isCprFormat('6101901234'), 'substitute number: day 1 + 60');
  t.ok(isCprFormat('2902001234'), '29 February in a leap year of either century');
  t.notOk(isCprFormat('3002901234'), '30 February');
  t.notOk(isCprFormat('3213901234'), 'month 13');
  t.notOk(isCprFormat('0001901234'), 'day 0');
  t.notOk(isCprFormat('010190123'), 'nine digits');
  t.equal(normaliseCpr(' 010190-1234 '), '0101901234');
  t.equal(normaliseCpr('010190 1234'), '0101901234');
  t.equal(normaliseCpr('01019-01234'), null);
  for (let i = 0; i < 200; i += 1) {
    const cpr = substituteCpr(NOW, 30);
    if (!isCprFormat(cpr) || Number(cpr.slice(0, 2)) <= 60) t.fail(`not a substitute number: ${cpr}`);
  }
  t.equal(Number(substituteCpr(NOW, 16).slice(4, 6)), 10, 'born 16 years before 2026');
});

t.test('passwords: scrypt, salted, fail closed on a hash it cannot read', async (t) => {
  const hash = await hashPassword('Test1234', 10);
  t.match(hash, /^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  t.notOk(hash.includes('Test1234'));
  t.not(await hashPassword('Test1234', 10), hash, 'a fresh salt each time');
  t.ok(await verifyPassword('Test1234', hash));
  t.notOk(await verifyPassword('Test12345', hash));
  t.notOk(await verifyPassword('Test1234', 'Test1234'), 'a plain text "hash"');
  t.notOk(await verifyPassword('Test1234', hash.replace('scrypt$10', 'scrypt$30')), 'an absurd cost');
});

t.test('sealed CPRs: only the configured keys open them; rotation keeps old rows readable', async (t) => {
  const oldKey = { id: 'k1', key: randomBytes(32) };
  const sealed = createCprSealer([oldKey]).seal('0101901234');
  t.notOk(sealed.ciphertext.includes(Buffer.from('0101901234')), 'no plain CPR in the ciphertext');
  const rotated = createCprSealer([{ id: 'k2', key: randomBytes(32) }, oldKey]);
  t.equal(rotated.open(sealed), '0101901234');
  t.equal(rotated.seal('0101901234').keyId, 'k2', 'the first key seals');
  t.throws(() => createCprSealer([{ id: 'k1', key: randomBytes(32) }]).open(sealed), 'another key with the same id fails authentication');
  t.throws(() => rotated.open({ ...sealed, keyId: 'k2' }), 'a row relabelled to another key id fails');
  t.throws(() => rotated.seal('12345'), 'refuses to seal a non-CPR');
  t.ok(sameCpr('0101901234', '0101901234'));
  t.notOk(sameCpr('0101901234', '0101901235'));
});

const issuingPki = { issueCertificate: async () => ({ certificateDer: Buffer.from([1]), privateKeyPem: 'TEST', serialHex: randomBytes(8).toString('hex').toUpperCase() }) } as unknown as SimulatorPki;

t.test('creating a user: checked fields, generated identifiers, taken ids', async (t) => {
  const store = createMemoryStore();
  const sealer = createCprSealer([{ id: 'k', key: randomBytes(32) }]);
  const deps = { store, pki: issuingPki, sealer, now: NOW };
  const made = await createUser({ userId: 'Anna', password: 'Secret-1', type: 'poces', name: 'Anna Test', cpr: '610580-1234' }, deps);
  if (!made.ok) throw new Error(`refused: ${made.field}`);
  t.equal(made.user.userId, 'anna');
  t.match(made.user.certificate.pid, /^9999-2002-2-[0-9]{12}$/);
  t.match(made.user.cardNumber, /^G[0-9]{9}$/);
  t.equal(sealer.open(made.user.cpr!), '6105801234');
  t.notOk(JSON.stringify(made.user).includes('Secret-1'), 'no password in the record');
  t.same(await createUser({ userId: 'anna', password: 'x1234', type: 'poces', name: 'Other' }, deps), { ok: false, error: 'taken', field: 'userId' });
  const refused = async (input: Record<string, unknown>) => {
    const result = await createUser({ userId: 'u-1', password: 'x1234', type: 'poces', name: 'Name', ...input }, deps);
    return result.ok ? 'created' : result.field;
  };
  t.equal(await refused({ userId: 'error-CAN002' }), 'userId', 'the error users are reserved');
  t.equal(await refused({ userId: 'fault-x' }), 'userId', 'so are the fault users');
  t.equal(await refused({ userId: '<script>' }), 'userId');
  t.equal(await refused({ password: 'abc' }), 'password');
  t.equal(await refused({ cpr: '3213901234' }), 'cpr');
  t.equal(await refused({ type: 'voces' }), 'type');
  t.equal(await refused({ name: '<b>' }), 'name');
  t.equal(await refused({ type: 'moces', company: '' }), 'company');
  t.equal(await refused({ type: 'moces', company: 'A ApS', youth: true }), 'youth');
  t.equal(await refused({ type: 'owner', businesses: [] }), 'businesses');
  const owner = await createUser({ userId: 'olga', password: 'x1234', type: 'owner', pseudonym: true, cpr: 'none', businessName: 'Olga ApS' }, deps);
  if (!owner.ok) throw new Error(`refused: ${owner.field}`);
  t.equal(owner.user.certificate.commonName, 'Pseudonym');
  t.equal(owner.user.cpr, undefined, '"none": no CPR');
  t.match(owner.user.businesses, [{ cvr: /^[0-9]{8}$/, name: 'Olga ApS' }]);
  const autofilled = await createUser(autofillValues(NOW), deps);
  t.ok(autofilled.ok, 'Autofill values are valid as they are');
  t.same(await createUser({ userId: 'no-ca', password: 'x1234', type: 'poces', name: 'No CA' }, { ...deps, pki: {} as SimulatorPki }), { ok: false, error: 'cannot-issue' });
});
