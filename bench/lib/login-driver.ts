import { TestBrowser, errorPageCode, samlPostForm, type BrowserResponse } from './browser.js';
import { loginWithSimulator } from './nemid-simulator-client.js';
import { LOAD_TEST_SP, nodeSamlFor, type TestSpDefinition } from './test-sp.js';

// A closed-loop driver of complete logins, shared by the benchmark (bench/login.ts) and the resilience suite / soak.
//
// One login = a fresh browser (own cookie jar, never SSO): node-saml signs an AuthnRequest on HTTP-Redirect →
// /saml/sso → method chooser → NemID page → the simulator's session, password and code calls → NemID response posted
// back → the POST form carrying the signed, encrypted assertion. A sample (the first login and 1 in `verifyEvery`
// after it) is decrypted and verified by node-saml. `concurrency` workers each run one login after the other; the
// run stops starting logins when `durationMs` has passed OR `maxLogins` have started, whichever comes first, and
// every request is bounded by `requestTimeoutMs`, so a run always ends.
//
// Usage (the SP must be registered at the IdP: writeTestSp(metadataDir, baseUrl, LOAD_TEST_SP) before start-up):
//   const summary = await runLogins({ baseUrl, simulatorUrl, idpCert, concurrency: 8, durationMs: 10_000,
//                                     onLogin: (r) => { if (!r.ok) console.log(r.error, r.servedBy) } });

export interface LoginDriverTarget {
  /** The IdP's public base URL (IDP_BASE_URL): AuthnRequests go to `${baseUrl}/saml/sso`. */
  readonly baseUrl: string;
  /** The NemID simulator's origin (SIMULATOR_PORT), which the driver calls as the client would. */
  readonly simulatorUrl: string;
  /** The IdP's signing certificate (PEM) that node-saml verifies the sampled assertions with. */
  readonly idpCert: string;
  /** The SP that logs in (its TEST-ONLY keys sign the requests and decrypt the assertions). Default LOAD_TEST_SP. */
  readonly sp?: TestSpDefinition;
  /** The simulator test user. Default 'citizen' (POCES, code card). */
  readonly userId?: string;
  /** Bounds each HTTP request of a login. Default 30 s. */
  readonly requestTimeoutMs?: number;
}

export interface LoginDriverOptions extends LoginDriverTarget {
  /** Logins in flight at once (closed loop: each worker starts its next login when its last one ended). */
  readonly concurrency: number;
  /** Stop starting logins after this long. */
  readonly durationMs: number;
  /** Stop starting logins after this many. Default 1,000,000. */
  readonly maxLogins?: number;
  /** Verify the first login and then 1 in this many with node-saml. Default 20; 1 verifies every login. */
  readonly verifyEvery?: number;
  /** Called once per login, in completion order. */
  readonly onLogin?: (result: LoginResult) => void;
  /** Stops starting logins when aborted (logins in flight finish or time out). */
  readonly signal?: AbortSignal;
}

export type LoginStep = 'sso' | 'nemid' | 'answer' | 'verify';

export interface LoginResult {
  /** 0-based, in start order. */
  readonly index: number;
  readonly ok: boolean;
  /** Wall-clock time from the AuthnRequest to the POST form (and its verification when sampled). */
  readonly ms: number;
  /** Date.now() when the login started. */
  readonly startedAt: number;
  /** node-saml decrypted and verified this login's assertion. */
  readonly verified: boolean;
  /** The `x-served-by` header of every IdP response of this login, in order (empty when the IdP sends none). */
  readonly servedBy: readonly string[];
  readonly error?: {
    readonly step: LoginStep;
    readonly message: string;
    /** The HTTP status of the response that failed the step, when one came. */
    readonly status?: number;
    /** The catalogue code on the IdP's error page, when it showed one. */
    readonly code?: string;
  };
}

export interface LoginRunSummary {
  readonly started: number;
  readonly completed: number;
  readonly errors: number;
  readonly verified: number;
  readonly elapsedMs: number;
  /** Completed logins per second of elapsed time. */
  readonly loginsPerSecond: number;
  /** Latency of the completed logins. */
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
  /** Errors by `step:status:code` (e.g. `nemid:503:DB_UNAVAILABLE`, `sso:-:fetch failed`). */
  readonly errorsByKind: Readonly<Record<string, number>>;
}

class StepError extends Error {
  constructor(readonly step: LoginStep, message: string, readonly response?: BrowserResponse) {
    super(message);
  }
}

function expectPage(step: LoginStep, response: BrowserResponse, what: string): BrowserResponse {
  if (response.status !== 200) throw new StepError(step, `${what}: HTTP ${response.status}`, response);
  return response;
}

/** One complete login in a fresh browser. Never throws: a failure is a result with `ok: false`. */
export async function completeLogin(target: LoginDriverTarget, options: { index?: number; verify?: boolean } = {}): Promise<LoginResult> {
  const index = options.index ?? 0;
  const sp = target.sp ?? LOAD_TEST_SP;
  const timeoutMs = target.requestTimeoutMs ?? 30_000;
  const servedBy: string[] = [];
  const signal = () => AbortSignal.timeout(timeoutMs);
  const browser = new TestBrowser({
    signal,
    onResponse: (url, response) => {
      const instance = response.headers.get('x-served-by');
      if (instance !== null && url.origin === new URL(target.baseUrl).origin) servedBy.push(instance);
    },
  });
  // A fresh node-saml instance per login: its request cache (for InResponseTo) then lives only as long as the login.
  const saml = nodeSamlFor(target.baseUrl, target.idpCert, sp);
  const startedAt = Date.now();
  const started = performance.now();
  let step: LoginStep = 'sso';
  let verified = false;
  try {
    const relayState = `load-${index}`;
    const loginPage = expectPage('sso', await browser.request(await saml.getAuthorizeUrlAsync(relayState, undefined, {})), 'login page');
    step = 'nemid';
    const answer = expectPage('nemid', await loginWithSimulator(browser, target, loginPage, target.userId ?? 'citizen', { signal }), 'NemID post-back');
    step = 'answer';
    let form: ReturnType<typeof samlPostForm>;
    try {
      form = samlPostForm(answer.text);
    } catch {
      throw new StepError('answer', 'no SAML POST form in the answer', answer);
    }
    if (form.action !== `https://${sp.name}.sp.test/acs`) throw new StepError('answer', `posted to ${form.action}`, answer);
    if (form.RelayState !== relayState) throw new StepError('answer', 'RelayState not echoed', answer);
    if (options.verify) {
      step = 'verify';
      const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse });
      if (!profile?.nameID) throw new StepError('verify', 'node-saml found no NameID');
      verified = true;
    }
    return { index, ok: true, ms: performance.now() - started, startedAt, verified, servedBy };
  } catch (error) {
    const response = error instanceof StepError ? error.response : (error as { response?: BrowserResponse } | null)?.response;
    const code = response ? errorPageCode(response.text) : undefined;
    return {
      index,
      ok: false,
      ms: performance.now() - started,
      startedAt,
      verified,
      servedBy,
      error: {
        step: error instanceof StepError ? error.step : step,
        message: error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error),
        ...(response ? { status: response.status } : {}),
        ...(code ? { code } : {}),
      },
    };
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs complete logins in a closed loop, bounded in count and time; resolves when every started login has ended. */
export async function runLogins(options: LoginDriverOptions): Promise<LoginRunSummary> {
  if (!(options.concurrency >= 1)) throw new Error('concurrency must be at least 1');
  if (!(options.durationMs > 0)) throw new Error('durationMs must be positive');
  const maxLogins = options.maxLogins ?? 1_000_000;
  const verifyEvery = Math.max(1, options.verifyEvery ?? 20);
  const started = performance.now();
  const deadline = started + options.durationMs;
  const latencies: number[] = [];
  const errorsByKind: Record<string, number> = {};
  let next = 0;
  let verified = 0;

  const worker = async () => {
    while (next < maxLogins && performance.now() < deadline && !options.signal?.aborted) {
      const index = next++;
      const result = await completeLogin(options, { index, verify: index % verifyEvery === 0 });
      if (result.ok) latencies.push(result.ms);
      else {
        const kind = `${result.error!.step}:${result.error!.status ?? '-'}:${result.error!.code ?? result.error!.message.slice(0, 60)}`;
        errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
      }
      if (result.verified) verified++;
      options.onLogin?.(result);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    started: next,
    completed: latencies.length,
    errors: next - latencies.length,
    verified,
    elapsedMs,
    loginsPerSecond: latencies.length / (elapsedMs / 1000),
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
    errorsByKind,
  };
}
