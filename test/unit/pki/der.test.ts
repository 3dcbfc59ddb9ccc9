import t from 'tap';
import { DerError, decodeIntegerHex, decodeOid, decodeTime, decodeString, readTlv } from '../../../src/pki/der.js';
import { generalizedTime, integerHex, oid, time, utf8 } from '../../../src/pki/der-write.js';
import { hostAllowed } from '../../../src/pki/index.js';

const tlvOf = (der: Buffer) => readTlv(der, 0);

t.test('OIDs round-trip, including large arcs (the simulator policy arc is a UUID)', async (t) => {
  for (const dotted of ['2.5.4.3', '1.2.840.113549.1.1.11', '2.25.110800106791975592792077135146400605594.1.1', '1.3.6.1.4.1.31313.2.4.6.2.6']) {
    const der = oid(dotted);
    t.equal(decodeOid(der, tlvOf(der)), dotted);
  }
  t.throws(() => decodeOid(Buffer.from([0x06, 0x01, 0x81]), tlvOf(Buffer.from([0x06, 0x01, 0x81]))), DerError, 'truncated arc');
});

t.test('times: UTCTime 1950–2049, GeneralizedTime after; invalid dates refused', async (t) => {
  for (const iso of ['1999-12-31T23:59:59.000Z', '2021-05-13T13:00:00.000Z', '2049-12-31T23:59:59.000Z', '2050-01-01T00:00:00.000Z']) {
    const der = time(new Date(iso));
    t.equal(decodeTime(der, tlvOf(der)).toISOString(), iso);
    const generalized = generalizedTime(new Date(iso));
    t.equal(decodeTime(generalized, tlvOf(generalized)).toISOString(), iso);
  }
  for (const text of ['210230120000Z', '2105131200Z', '210513120000+0200', '211313120000Z']) {
    const der = Buffer.concat([Buffer.from([0x17, text.length]), Buffer.from(text)]);
    t.throws(() => decodeTime(der, tlvOf(der)), DerError, text);
  }
});

t.test('integers as canonical hex; strings strictly decoded', async (t) => {
  const cases: Record<string, string> = { '5BAD39F5': '5BAD39F5', '80': '80', '1': '01', '00FF': 'FF', '0': '00' };
  for (const [hex, canonical] of Object.entries(cases)) {
    const der = integerHex(hex);
    t.equal(decodeIntegerHex(der, tlvOf(der)), canonical, hex);
  }
  const name = utf8('Tilde Nilsson – æøå');
  t.equal(decodeString(name, tlvOf(name)), 'Tilde Nilsson – æøå');
  const badUtf8 = Buffer.from([0x0c, 0x02, 0xc3, 0x28]);
  t.throws(() => decodeString(badUtf8, tlvOf(badUtf8)), DerError);
  const nonAscii = Buffer.from([0x13, 0x01, 0xe6]);
  t.throws(() => decodeString(nonAscii, tlvOf(nonAscii)), DerError, 'PrintableString with a Latin-1 byte');
});

t.test('lengths: indefinite, over-long and past-the-end are refused', async (t) => {
  t.throws(() => readTlv(Buffer.from([0x30, 0x80, 0x00, 0x00]), 0), DerError);
  t.throws(() => readTlv(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1]), 0), DerError);
  t.throws(() => readTlv(Buffer.from([0x30, 0x03, 0x01]), 0), DerError);
  t.throws(() => readTlv(Buffer.from([0x1f, 0x01, 0x00]), 0), DerError, 'multi-byte tag');
  t.match(readTlv(Buffer.from([0x04, 0x82, 0x00, 0x01, 0xaa]), 0), { tag: 4, contentStart: 4, end: 5 });
});

t.test('host allow-list: one label per *, ports, schemes, credentials', async (t) => {
  const patterns = ['crl.*.trust2408.com', 'localhost:8081', '127.0.0.1:*'];
  const allowed = (url: string) => hostAllowed(new URL(url), patterns);
  t.ok(allowed('http://crl.systemtest22.trust2408.com/systemtest221.crl'));
  t.ok(allowed('http://CRL.ica02.trust2408.com/ica02.crl'), 'case-insensitive host');
  t.notOk(allowed('http://crl.a.b.trust2408.com/x.crl'), '* is one label');
  t.notOk(allowed('http://crl.x.trust2408.com.evil.example/x.crl'));
  t.notOk(allowed('http://crl.x.trust2408.com:8080/x.crl'), 'another port than the pattern’s default');
  t.ok(allowed('http://localhost:8081/crl/ca1.crl'));
  t.notOk(allowed('http://localhost:8082/crl/ca1.crl'));
  t.ok(allowed('http://127.0.0.1:40123/ocsp'));
  t.notOk(allowed('ldap://crl.x.trust2408.com/'), 'scheme');
  t.notOk(allowed('http://user:pw@crl.x.trust2408.com/'), 'credentials');
});
