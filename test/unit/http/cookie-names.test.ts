import t from 'tap';
import { cookieName, cookiePolicyFor } from '../../../src/http/cookies.js';

// Issue 16 item 10: the `__Host-` prefix where the deployment allows it (https, path /, no Domain).

t.test('https base URL: browser and session cookies are __Host- prefixed; the /login-scoped one is not', async (t) => {
  const policy = cookiePolicyFor('https://idp.example.dk', 3600);
  t.equal(policy.hostPrefix, true);
  t.equal(cookieName(policy, 'nemid_idp_browser'), '__Host-nemid_idp_browser');
  t.equal(cookieName(policy, 'nemid_idp_session'), '__Host-nemid_idp_session');
  t.equal(cookieName(policy, 'nemid_remember_userid'), 'nemid_remember_userid', 'path /login cannot take the prefix');
});

t.test('http (the simulator on localhost): no prefix, since __Host- needs a secure origin', async (t) => {
  const policy = cookiePolicyFor('http://localhost:8080', 3600);
  t.equal(policy.hostPrefix, false);
  t.equal(cookieName(policy, 'nemid_idp_session'), 'nemid_idp_session');
});
