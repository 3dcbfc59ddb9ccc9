import { codeFor, TEST_USERS } from '../../src/simulator/index.js';
import { formAction, hiddenField, type BrowserResponse, type TestBrowser } from './browser.js';

// Plays the NemID client for a login page, as the real iframe would: takes the signed parameters from the page,
// talks to the simulator's API as the test user (password, code card), and posts the client's result back.
// Shared by the e2e tests and the load driver.

export interface SimulatorEndpoints {
  /** The IdP's public base URL (the client's message origin). */
  readonly baseUrl: string;
  /** The NemID simulator's own origin (SIMULATOR_PORT). */
  readonly simulatorUrl: string;
}

export interface SimulatorLoginOptions {
  readonly cancel?: boolean;
  readonly beforePost?: (clientResult: string) => Promise<void>;
  /** Bounds each simulator API call. */
  readonly signal?: () => AbortSignal | undefined;
  /** A user created on the simulator's developer site: its password and current code card. */
  readonly credentials?: { password: string; cardNumber: string };
}

export async function loginWithSimulator(
  browser: TestBrowser,
  endpoints: SimulatorEndpoints,
  loginPage: { url: string; text: string },
  userId: string,
  options: SimulatorLoginOptions = {},
): Promise<BrowserResponse> {
  if (!loginPage.text.includes('id="nemid_parameters"')) {
    // The method choice comes first when the key file is on offer too: take the code card, as a user would.
    const chooser = /href="(\/login\/[^"]+method=codecard[^"]*)"/.exec(loginPage.text)?.[1];
    if (chooser) loginPage = await browser.request(new URL(chooser.replace(/&amp;/g, '&'), loginPage.url).toString());
  }
  const parameters = /<script type="text\/x-nemid" id="nemid_parameters">([\s\S]*?)<\/script>/.exec(loginPage.text)?.[1];
  // The page that came instead (an error page with its catalogue code, say) travels with the error.
  if (!parameters) throw Object.assign(new Error(`no NemID parameters on the page: ${loginPage.text.slice(0, 400)}`), { response: loginPage });
  const csrf = hiddenField(loginPage.text, 'csrf');
  const action = formAction(loginPage.text.slice(loginPage.text.indexOf('id="postBackForm"') - 200));
  const origin = new URL(endpoints.baseUrl).origin;
  const api = async (path: string, body: Record<string, unknown>) => {
    const signal = options.signal?.();
    const response = await fetch(`${endpoints.simulatorUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    // The simulator plays NemID, a party outside the IdP: its own failure (its store down with the database) is said
    // as such, not mistaken for an IdP answer.
    if (!response.ok) throw new Error(`NemID simulator ${path.split('/').slice(0, 3).join('/')}: HTTP ${response.status}`);
    return (await response.json()) as { status: string; session?: string; key?: string; content?: string; command?: string };
  };
  const started = await api('/api/session', { client: 'js', parameters, messageOrigin: origin });
  let content: string;
  if (options.cancel) {
    const cancelled = await api(`/api/session/${started.session}/cancel`, { client: 'js' });
    content = cancelled.content ?? '';
  } else {
    const user = options.credentials ?? TEST_USERS.find((candidate) => candidate.userId === userId.replace(/^fault-.*/, 'fault'));
    if (!user) throw new Error(`no simulator user ${userId}`);
    const afterPassword = await api(`/api/session/${started.session}/password`, { client: 'js', userId, password: user.password });
    if (afterPassword.status !== 'code') {
      content = afterPassword.content ?? '';
    } else {
      const done = await api(`/api/session/${started.session}/code`, { client: 'js', code: codeFor(user.cardNumber, afterPassword.key ?? '') });
      content = done.content ?? '';
    }
  }
  if (!content) throw new Error('the simulator gave no client result');
  await options.beforePost?.(content);
  return browser.request(new URL(action ?? '', loginPage.url).toString(), { form: { response: content, csrf: csrf ?? '' } });
}
