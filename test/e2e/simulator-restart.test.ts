import t from 'tap';
import { loginWithSimulator, samlPostForm, startE2eService, TestBrowser, type E2eService } from '../helpers/e2e.js';

// Issue 17 item 4: the simulator's registry lives in PostgreSQL. A user created through the JSON API, with its
// certificate, code card, revocation state and transaction log, is still there after the service restarts, and
// logs in again with the same password and card.

const e2e: E2eService = await startE2eService([{ name: 'plain', policy: { sector: 'private' } }]);
t.teardown(() => e2e.close());

const PID = 'dk:gov:saml:attribute:PidNumberIdentifier';

async function logIn(cardNumber: string) {
  const browser = new TestBrowser();
  const sp = e2e.sp('plain');
  let page = await browser.request(await sp.getAuthorizeUrlAsync('relay-restart', undefined, {}));
  if (!page.text.includes('nemid_parameters')) page = await browser.request(`${page.url.split('?')[0]}?method=codecard`);
  const after = await loginWithSimulator(browser, e2e, page, 'kept-user', { credentials: { password: 'Keep-me-1', cardNumber } });
  const form = samlPostForm(after.text);
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse, ...(form.RelayState ? { RelayState: form.RelayState } : {}) });
  return (profile?.attributes ?? {}) as Record<string, unknown>;
}

const overview = async () => (await (await fetch(`${e2e.simulatorUrl}/developers/api/users/kept-user`)).json()) as Record<string, unknown> & { certificate: { serial: string }; cardNumber: string; pid: string };

t.test('created users survive a restart', async (t) => {
  const created = await fetch(`${e2e.simulatorUrl}/developers/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'kept-user', password: 'Keep-me-1', type: 'poces', name: 'Karen Kept', cpr: '6512701234' }),
  });
  t.equal(created.status, 201);
  const before = await overview();
  t.equal(`PID:${String((await logIn(before.cardNumber))[PID])}`, before.pid, 'logs in before the restart');

  await e2e.restart();

  const after = await overview();
  t.same({ serial: after.certificate.serial, card: after.cardNumber, pid: after.pid, cpr: after['cpr'] }, { serial: before.certificate.serial, card: before.cardNumber, pid: before.pid, cpr: '6512701234' }, 'same user, certificate, card and CPR');
  t.equal(`PID:${String((await logIn(after.cardNumber))[PID])}`, before.pid, 'logs in after the restart with the same password and card');
  const log = (await (await fetch(`${e2e.simulatorUrl}/developers/api/users/kept-user/log`)).json()) as { events: Array<{ step: string; outcome: string }> };
  t.equal(log.events.filter((event) => event.step === 'result' && event.outcome === 'signed-response').length, 2, 'the transaction log kept the first login too');
  const shipped = await fetch(`${e2e.simulatorUrl}/developers/api/users/citizen`);
  t.equal(shipped.status, 200, 'the shipped users are still there (seeded once)');
});
