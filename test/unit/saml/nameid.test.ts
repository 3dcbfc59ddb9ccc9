import t from 'tap';
import { computePersistentNameId, transientNameId, x509SubjectName } from '../../../src/saml/index.js';

// Test vectors computed independently (Python hmac) from the derivation in saml-profile.md §2.5.
t.test('persistent NameID: exact derivation', async (t) => {
  const id = computePersistentNameId('test-secret', 'https://sp.test/metadata', 'PID:9208-2002-2-751708631151', 'oiosaml2', 'private');
  t.equal(id, '9effb83d-e3f0-88f2-8bd0-1e56c75242ad');
  t.equal(
    computePersistentNameId('test-secret', 'https://sp.test/metadata', 'PID:9208-2002-2-751708631151', 'oiosaml3', 'businessOwner'),
    'https://data.gov.dk/model/core/eid/person/uuid/9effb83d-e3f0-88f2-8bd0-1e56c75242ad',
  );
  t.equal(
    computePersistentNameId('test-secret', 'https://other.test', 'CVR:30808460-RID:1234', 'oiosaml3', 'employee'),
    'https://data.gov.dk/model/core/eid/professional/uuid/9b85df69-42ab-88ea-93bd-5d206f7208dc',
  );
  t.not(computePersistentNameId('other-secret', 'https://sp.test/metadata', 'PID:9208-2002-2-751708631151', 'oiosaml2', 'private'), id);
  t.not(computePersistentNameId('test-secret', 'https://sp2.test/metadata', 'PID:9208-2002-2-751708631151', 'oiosaml2', 'private'), id, 'pairwise');
});

t.test('transient NameIDs are fresh and shaped per profile', async (t) => {
  const a = transientNameId('oiosaml2');
  t.match(a, /^_[0-9a-f]{32}$/);
  t.not(transientNameId('oiosaml2'), a);
  t.match(transientNameId('oiosaml3'), /^https:\/\/data\.gov\.dk\/model\/core\/eid\/person\/uuid\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.match(transientNameId('oiosaml3', 'employee'), /\/professional\/uuid\//);
});

t.test('X509SubjectName: order and RFC 4514 escaping', async (t) => {
  t.equal(
    x509SubjectName({ c: 'DK', o: 'Ingen organisatorisk tilknytning', cn: 'Tilde Nilsson', serialNumber: 'PID:9208-2002-2-751708631151' }),
    'C=DK,O=Ingen organisatorisk tilknytning,CN=Tilde Nilsson,Serial=PID:9208-2002-2-751708631151',
  );
  t.equal(x509SubjectName({ c: 'DK', o: 'Firma, A/S + "B"', cn: ' #x ', serialNumber: 'CVR:1-RID:2' }), 'C=DK,O=Firma\\, A/S \\+ \\"B\\",CN=\\ #x\\ ,Serial=CVR:1-RID:2');
});
