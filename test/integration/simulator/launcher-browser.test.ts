import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { chromium } from 'playwright-core';
import { buildJsClientParameters } from '../../../src/nemid/index.js';
import { codeFor, createSimulator, TEST_USERS, type SimLog } from '../../../src/simulator/index.js';
import { fixtureSimulatorPki, PP_FIXTURES } from '../../helpers/fixture-simulator-pki.js';
import { startSimulatorServer } from '../../helpers/simulator-server.js';

// The launcher's browser glue in headless Chromium, cross-origin like the real NemID: a host page on `localhost`
// embeds the simulator iframe served from `127.0.0.1`, answers SendParameters, and receives the final message.
// Parameters are signed with Nets' real TU VOCES, so the simulator's clock is pinned inside its validity.

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  t.pass('skipped: no Debian chromium at /usr/bin/chromium');
} else {
  const FIXTURES = `${PP_FIXTURES}/certs`;
  const spCertDer = Buffer.from(new X509Certificate(readFileSync(`${FIXTURES}/sp-test.cert.pem`)).raw);
  const spKey = createPrivateKey(readFileSync(`${FIXTURES}/sp-test.key.pem`));
  const now = new Date('2021-05-13T13:00:00Z');
  const logLines: string[] = [];
  const log: SimLog = {
    info: (fields, message) => logLines.push(JSON.stringify({ ...fields, message })),
    warn: (fields, message) => logLines.push(JSON.stringify({ ...fields, message })),
    error: (fields, message) => logLines.push(JSON.stringify({ ...fields, message })),
  };
  const simulator = createSimulator({ origin: 'http://127.0.0.1', requestIssuer: 'Browser SP', pki: fixtureSimulatorPki(), clock: { now: () => now }, log });
  const sim = await startSimulatorServer(simulator.routes);

  let parametersJson = '';
  const host = createServer((req, res) => {
    const html = `<!DOCTYPE html><html><body>
<iframe id="nemid_iframe" title="NemID" src="${sim.url}/launcher/lmt/1" width="320" height="460"></iframe>
<script type="text/x-nemid" id="nemid_parameters">${parametersJson}</script>
<script>
  window.__messages = [];
  window.addEventListener('message', function (event) {
    var frame = document.getElementById('nemid_iframe');
    if (event.origin !== ${JSON.stringify(sim.url)} || event.source !== frame.contentWindow) return;
    var message = JSON.parse(event.data);
    window.__messages.push(message);
    if (message.command === 'SendParameters') {
      frame.contentWindow.postMessage(JSON.stringify({ command: 'parameters', content: document.getElementById('nemid_parameters').textContent }), ${JSON.stringify(sim.url)});
    }
  });
</script></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  t.teardown(async () => {
    await browser.close();
    await sim.close();
    await new Promise((resolve) => host.close(resolve));
  });

  const openLogin = async () => {
    parametersJson = buildJsClientParameters({ spCertDer, spKey, origin: hostOrigin, language: 'en', timestamp: now }).json;
    const page = await browser.newPage();
    await page.goto(`${hostOrigin}/`);
    const frame = page.frameLocator('#nemid_iframe');
    await frame.locator('#userid').waitFor({ state: 'visible' });
    return { page, frame };
  };
  const finalMessage = (page: import('playwright-core').Page) =>
    page.waitForFunction(() => (window as unknown as { __messages: { command: string }[] }).__messages.find((m) => m.command !== 'SendParameters' && m.command !== 'resize')).then((handle) => handle.jsonValue() as Promise<{ command: string; content?: string }>);

  t.test('user id, password and code card end in changeResponseAndSubmit to the host origin', async (t) => {
    const citizen = TEST_USERS.find((user) => user.userId === 'citizen')!;
    const { page, frame } = await openLogin();
    t.equal(await frame.locator('html').getAttribute('lang'), 'en', 'LANGUAGE=EN shown in English');
    await frame.locator('#userid').fill('citizen');
    await frame.locator('#password').fill(citizen.password);
    await frame.locator('#password').press('Enter');
    const keyText = frame.locator('#key');
    await keyText.waitFor({ state: 'visible' });
    const key = (await keyText.textContent()) ?? '';
    await frame.locator('#code').fill(codeFor(citizen.cardNumber, key));
    await frame.locator('#code').press('Enter');
    const message = await finalMessage(page);
    t.equal(message.command, 'changeResponseAndSubmit');
    t.match(Buffer.from(message.content ?? '', 'base64').toString('utf8'), /^<\?xml version="1\.0" encoding="UTF-8" \?>/);
    t.notMatch(logLines.join('\n'), citizen.password);
    await page.close();
  });

  t.test('Cancel posts CAN002', async (t) => {
    const { page, frame } = await openLogin();
    await frame.locator('#password-step .cancel').click();
    t.same(await finalMessage(page), { command: 'changeResponseAndSubmit', content: 'Q0FOMDAy' });
    await page.close();
  });
}
