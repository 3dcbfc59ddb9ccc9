import t from 'tap';
import { postFormHeaders, renderPostForm } from '../../../src/saml/index.js';

const nonce = 'AAAAAAAAAAAAAAAAAAAAAA';

t.test('values are escaped and RelayState is echoed as given', async (t) => {
  const html = renderPostForm({ action: 'https://sp.test/acs?a=1&b="2"', fields: { SAMLResponse: 'PHg+', RelayState: '"><script>alert(1)</script>' }, nonce });
  t.match(html, 'action="https://sp.test/acs?a=1&amp;b=&quot;2&quot;"');
  t.match(html, 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  t.notMatch(html, '<script>alert');
  t.match(html, `<script nonce="${nonce}">`);
  t.match(html, '<noscript>');
});

t.test('RelayState field is left out when the request had none', async (t) => {
  const html = renderPostForm({ action: 'https://sp.test/acs', fields: { SAMLResponse: 'PHg+' }, nonce });
  t.notMatch(html, 'RelayState');
});

t.test('a weak nonce is refused', async (t) => {
  t.throws(() => renderPostForm({ action: 'https://sp.test/acs', fields: { SAMLResponse: 'x' }, nonce: 'abc' }));
});

t.test('headers: CSP exactly as the profile says, with no form-action that would block the redirects after the ACS', async (t) => {
  const headers = postFormHeaders('https://sp.test:8443/acs?x=1', nonce);
  t.equal(headers['Content-Security-Policy'], `default-src 'none'; script-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'`);
  t.notMatch(headers['Content-Security-Policy']!, /form-action/);
  t.equal(headers['Cache-Control'], 'no-store');
  t.equal(headers['Referrer-Policy'], 'no-referrer');
});
