import type { TestBrowser } from './e2e.js';
import { screenStep } from './mitid-broker.js';

// Walks a login through the MitID broker simulator as a user would: from the IdP's login page (or a redirect to the
// broker) through the simulated screens, back to the IdP's callback. Returns the IdP's answer to the callback.

export async function loginWithMitid(
  browser: TestBrowser,
  start: { url: string; text: string },
  userId: string,
  options: { method?: 'mitid' | 'mitid-erhverv'; cancel?: boolean; onCallback?: (callbackUrl: string) => void; stopAtCallback?: boolean } = {},
): Promise<{ status: number; url: string; text: string }> {
  let current: { status?: number; url: string; text: string } = start;

  const method = options.method ?? 'mitid';
  if (/href="\/login\/[^"]+method=/.test(current.text)) {
    const link = new RegExp(`href="(/login/[^"]+method=${method}(?:&amp;[^"]*)?)"`).exec(current.text)?.[1];
    if (!link) throw new Error(`no ${method} choice on the page: ${current.text.slice(0, 400)}`);
    current = await browser.request(new URL(link.replace(/&amp;/g, '&'), current.url).toString());
  }
  for (let hop = 0; hop < 12; hop++) {
    if (current.url.includes('/login/mitid/callback')) {
      options.onCallback?.(current.url);
      if (options.stopAtCallback) return { status: 303, url: current.url, text: '' };
      return browser.request(current.url);
    }
    if (current.text === '' && current.status !== undefined && current.status >= 300 && current.status < 400) {
      current = await browser.request(current.url);
      continue;
    }
    const step = screenStep(current.text, userId, { cancel: options.cancel === true });
    if (!step) return { status: current.status ?? 200, url: current.url, text: current.text };
    current = await browser.request(new URL(step.action, current.url).toString(), { form: step.fields });
  }
  throw new Error('too many steps at the MitID simulator');
}
