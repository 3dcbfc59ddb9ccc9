import t from 'tap';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { codeFor, TEST_USERS } from '../../src/simulator/index.js';
import { launchBrowser } from '../helpers/browser.js';
import { freePort, SP_KEYS, startE2eService, type E2eService } from '../helpers/e2e.js';

// Issue 11 item 3, in Chromium: an SP whose ACS answers 303 to a landing page on another origin (samlify with a
// RelayState elsewhere, SimpleSAMLphp bouncing back). Chromium applies the POST page's CSP form-action to the
// redirects after the submission, so a form-action naming only the ACS origin left users on a blank IdP page.

const listen = async (server: Server, port: number) => {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const readForm = async (request: import('node:http').IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
};

const [acsPort, landingPort] = [await freePort(), await freePort()];
const acsOrigin = `http://127.0.0.1:${acsPort}`;
const landingOrigin = `http://localhost:${landingPort}`;
const entityId = `${acsOrigin}/metadata`;
let e2e: E2eService;
let browser: Browser;
let sp: SAML;
const outcomes: string[] = [];

const acs = createServer((request, response) => {
  void (async () => {
    const form = await readForm(request);
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form['SAMLResponse'] ?? '' });
    outcomes.push(profile ? 'ok' : 'no profile');
    response.writeHead(303, { location: `${landingOrigin}/landed?relay=${encodeURIComponent(form['RelayState'] ?? '')}` }).end();
  })().catch((error: unknown) => {
    outcomes.push(String(error));
    response.writeHead(500).end();
  });
});
const landing = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html lang="en"><title>Landed</title><main id="landed">landed</main></html>');
});
await listen(acs, acsPort);
await listen(landing, landingPort);

t.before(async () => {
  // The SP's metadata, written by node-saml with its ACS on its own origin (the simulator environment allows http).
  const metadataSp = new SAML({ issuer: entityId, callbackUrl: `${acsOrigin}/acs`, idpCert: 'unused', privateKey: SP_KEYS.signingKey, decryptionPvk: SP_KEYS.encryptionKey });
  const metadataXml = metadataSp.generateServiceProviderMetadata(SP_KEYS.encryptionCert, SP_KEYS.signingCert);
  e2e = await startE2eService([], {}, [{ name: 'redirecting', metadataXml, policy: { sector: 'private', allowedCertificates: ['POCES'], attributeProfile: 'oiosaml2', nameIdFormat: 'persistent' } }]);
  sp = new SAML({
    entryPoint: `${e2e.baseUrl}/saml/sso`,
    issuer: entityId,
    audience: entityId,
    callbackUrl: `${acsOrigin}/acs`,
    idpCert: e2e.service.config.idp.signing.certPem,
    idpIssuer: e2e.baseUrl,
    privateKey: SP_KEYS.signingKey,
    decryptionPvk: SP_KEYS.encryptionKey,
    signatureAlgorithm: 'sha256',
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    authnContext: ['urn:oasis:names:tc:SAML:2.0:ac:classes:X509'],
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.never,
    acceptedClockSkewMs: 5000,
  });
  browser = await launchBrowser();
});
t.teardown(async () => {
  await browser?.close();
  await e2e?.close();
  acs.close();
  landing.close();
});

t.test('the ACS answers 303 to another origin: Chromium follows it and ends there', async (t) => {
  const page = await browser.newPage();
  await page.goto(await sp.getAuthorizeUrlAsync('to-landing', undefined, {}));
  await page.waitForURL(/\/login\//, { timeout: 10_000 }).catch(async (error: unknown) => {
    t.comment(`not at the login page: ${page.url()}; ACS outcomes ${JSON.stringify(outcomes)}`);
    for (const line of e2e.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(-4)) t.comment(line.slice(0, 600));
    throw error;
  });
  const chooser = page.locator('a[href*="method=codecard"]');
  if (await chooser.count()) await chooser.click();
  const frame = page.frameLocator('#nemid_iframe');
  await frame.locator('#userid').waitFor({ state: 'visible', timeout: 20_000 });
  const user = TEST_USERS.find((candidate) => candidate.userId === 'citizen')!;
  await frame.locator('#userid').fill(user.userId);
  await frame.locator('#password').fill(user.password);
  await frame.locator('#password').press('Enter');
  const key = frame.locator('#key');
  await key.waitFor({ state: 'visible' });
  await frame.locator('#code').fill(codeFor(user.cardNumber, (await key.textContent()) ?? ''));
  await frame.locator('#code').press('Enter');
  await page.waitForURL(`${landingOrigin}/landed?relay=to-landing`, { timeout: 30_000 }).catch(async (error: unknown) => {
    t.comment(`stuck at ${page.url()}; ACS outcomes ${JSON.stringify(outcomes)}`);
    t.comment(((await page.content()) ?? '').slice(0, 600));
    throw error;
  });
  t.equal(new URL(page.url()).origin, landingOrigin, 'the browser ended on the landing origin');
  t.equal(await page.locator('#landed').textContent(), 'landed');
  t.same(outcomes, ['ok'], 'the SP accepted the assertion before redirecting');
  await page.close();
});
