import t from 'tap';
import { checkCertificatePolicy } from '../../../src/nemid/index.js';
import { codeOf } from './codes.js';

t.test('certificate type must be one the SP allows', async (t) => {
  const policy = { allowedCertificates: ['POCES'] as const, youthCertificates: 'allow' as const };
  t.equal(codeOf(() => checkCertificatePolicy({ type: 'POCES', youth: false }, policy)), 'NO_ERROR');
  t.equal(codeOf(() => checkCertificatePolicy({ type: 'MOCES', youth: false }, policy)), 'NEMID_CERT_TYPE_NOT_ALLOWED');
  t.equal(codeOf(() => checkCertificatePolicy({ type: 'VOCES', youth: false }, { ...policy, allowedCertificates: ['POCES', 'MOCES'] })), 'NEMID_CERT_TYPE_NOT_ALLOWED');
  t.equal(codeOf(() => checkCertificatePolicy({ type: 'MOCES', youth: false }, { ...policy, allowedCertificates: ['POCES', 'MOCES'] })), 'NO_ERROR');
});

t.test('youth certificates follow the policy', async (t) => {
  const deny = { allowedCertificates: ['POCES'] as const, youthCertificates: 'deny' as const };
  t.equal(codeOf(() => checkCertificatePolicy({ type: 'POCES', youth: true }, deny)), 'NEMID_YOUTH_DENIED');
  t.equal(codeOf(() => checkCertificatePolicy({ type: 'POCES', youth: false }, deny)), 'NO_ERROR');
  t.equal(codeOf(() => checkCertificatePolicy({ type: 'POCES', youth: true }, { ...deny, youthCertificates: 'allow' })), 'NO_ERROR');
  t.equal(
    codeOf(() => checkCertificatePolicy({ type: 'POCES', youth: undefined as unknown as boolean }, deny)),
    'NEMID_YOUTH_DENIED',
    'an unknown youth flag counts as youth under deny',
  );
});
