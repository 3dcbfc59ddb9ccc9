import t from 'tap';
import { renderBusinessChoice, renderBusinessNoRole } from '../../../src/http/views/business-page.js';
import type { ViewContext } from '../../../src/http/views/view-registry.js';
import type { BusinessChoiceView } from '../../../src/login/index.js';

// The business pages: every business a button with its CVR, the SP's and person's names escaped, the CSRF token of
// this login's purpose, both languages, and no private button when the SP accepts only business logins.

const context = (lang: 'da' | 'en'): ViewContext => ({ lang, nonce: 'n', simulatorBanner: false, csrf: (purpose) => `token-for-${purpose}` });
const view: BusinessChoiceView = {
  kind: 'business-choice',
  releasesCpr: false,
  loginId: 'AAAAAAAAAAAAAAAAAAAAAA',
  spName: 'Shop <b>',
  personName: 'Otto "Ejer"',
  businesses: [
    { cvr: '99990021', name: 'Bageri <script>alert(1)</script>' },
    { cvr: '99990022', name: 'Konsulent ApS' },
  ],
  allowPrivate: true,
};

t.test('the choice page', async (t) => {
  const da = renderBusinessChoice(view, context('da')).body.value;
  t.match(da, '<button type="submit" name="role" value="99990021">');
  t.match(da, '<button type="submit" name="role" value="99990022">');
  t.match(da, 'CVR-nr. 99990022');
  t.match(da, 'name="role" value="private"');
  t.match(da, 'value="token-for-business:AAAAAAAAAAAAAAAAAAAAAA"');
  t.match(da, 'action="/login/AAAAAAAAAAAAAAAAAAAAAA/business"');
  t.match(da, 'Shop &lt;b&gt;');
  t.match(da, 'Otto &quot;Ejer&quot;');
  t.notMatch(da, '<script>alert');
  t.match(da, 'aria-labelledby="businesses"');
  t.match(da, 'hreflang="en"');
  const en = renderBusinessChoice(view, context('en'));
  t.equal(en.title, 'Choose who you log in as');
  t.match(en.body.value, 'CVR no. 99990021');
  const only = renderBusinessChoice({ ...view, allowPrivate: false }, context('en')).body.value;
  t.notMatch(only, 'value="private"');
});

t.test('the no-role page', async (t) => {
  const page = renderBusinessNoRole({ kind: 'business-no-role', loginId: view.loginId, spName: 'Shop', personName: 'Christian' }, context('da'));
  t.match(page.body.value, 'role="alert"');
  t.match(page.body.value, 'action="/login/AAAAAAAAAAAAAAAAAAAAAA/business/abort"');
  t.match(page.body.value, 'value="token-for-business-abort:AAAAAAAAAAAAAAAAAAAAAA"');
  t.notMatch(page.body.value, 'name="role"');
});
