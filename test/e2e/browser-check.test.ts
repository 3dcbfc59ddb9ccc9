import t from 'tap';
import type { Browser } from 'playwright-core';
import { axeViolations, horizontalOverflow, launchBrowser } from '../helpers/browser.js';

// The shared page check can fail: a page with known WCAG problems (inside an iframe too) and a too-wide page are
// reported; a clean page is not.

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(async () => {
  await browser?.close();
});

const CLEAN = '<!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Clean</h1><p>Text.</p></main></body></html>';

t.test('a clean page has no violations and no horizontal scroll', async (t) => {
  const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
  await page.setContent(CLEAN);
  t.same(await axeViolations(page), []);
  t.same(await horizontalOverflow(page), []);
  await page.close();
});

t.test('violations on the page and inside an iframe are found; a wide page overflows', async (t) => {
  const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
  const framed = '<!doctype html><html lang="en"><head><title>Inner</title></head><body><main><h1>Inner</h1><img src="x.png"></main></body></html>';
  await page.setContent(
    '<!doctype html><html lang="en"><head><title>Bad</title></head><body>' +
      '<div style="width:600px">outside every landmark</div>' +
      `<main><h1>Bad</h1><iframe title="inner" srcdoc='${framed}'></iframe></main></body></html>`,
  );
  await page.waitForTimeout(50);
  const ids = (await axeViolations(page)).map((v) => v.id).sort();
  t.ok(ids.includes('region'), `region reported (${ids.join(', ')})`);
  t.ok(ids.includes('image-alt'), 'the image without alt text inside the iframe is reported');
  t.equal((await horizontalOverflow(page)).length, 1, 'the 600 px block makes the page scroll sideways');
  await page.close();
});
