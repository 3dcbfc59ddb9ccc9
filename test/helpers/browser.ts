import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

// Shared browser-test helpers: Debian's Chromium through playwright-core (never a downloaded browser), and one check
// for every page a test reaches: axe-core (WCAG 2.2 AA rules plus axe's best practices, inside every frame, the
// NemID client's cross-origin iframe included), no horizontal scroll, and a screenshot under a git-ignored folder.
//
//   const browser = await launchBrowser();                       // one per test file
//   await checkPage(t, page, 'cpr-page');                        // after each step the user sees
//
// The screenshot name gets the page's language (<html lang>) and viewport width appended:
// test-output/screenshots/cpr-page.da.360.png.

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOT_DIR = join(ROOT, 'test-output/screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The viewports every page is checked at: a small phone and a laptop. */
export const VIEWPORTS = { phone: { width: 360, height: 740 }, desktop: { width: 1280, height: 800 } } as const;

// axe-core's tags for WCAG 2.0/2.1/2.2 A and AA, plus its best practices (landmarks: `region`, one `main`, …).
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] as const;

let axeSource: string | undefined;
function axeScript(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

// Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not block it. Every frame gets
// its own copy, and axe's frame messenger (allowed across origins) lets the top-level run collect them all.
async function injectAxe(frame: Frame): Promise<void> {
  await frame.evaluate(`${axeScript()}\n;axe.configure({ allowedOrigins: ['<unsafe_all_origins>'] });`);
}

/** axe-core's violations on the page as it is now, iframes included. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  for (const frame of page.frames()) {
    if (frame.isDetached() || (frame !== page.mainFrame() && frame.url() === 'about:blank')) continue;
    await injectAxe(frame).catch((error: unknown) => {
      // A frame that navigates away meanwhile is checked on the next call; the top frame must always take it.
      if (frame === page.mainFrame()) throw error;
    });
  }
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: true, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, [...AXE_TAGS]);
}

/** Widths (CSS px) of the page and of each same-page frame's document that exceed the viewport: horizontal scroll. */
export async function horizontalOverflow(page: Page): Promise<string[]> {
  const problems: string[] = [];
  for (const frame of page.frames()) {
    if (frame.isDetached()) continue;
    const sizes = await frame
      .evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
      .catch(() => undefined);
    if (sizes && sizes.scroll > sizes.client) problems.push(`${frame.url()}: ${sizes.scroll}px wide in ${sizes.client}px`);
  }
  return problems;
}

interface Tap {
  same(found: unknown, wanted: unknown, message: string): unknown;
}

/**
 * The check for a page a user sees: 0 axe violations, no horizontal scroll, and a screenshot. `name` says which page
 * (e.g. `cpr-page.error`); the language and width are appended to the screenshot's file name.
 */
export async function checkPage(t: Tap, page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  const violations = await axeViolations(page);
  const summary = violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help} at ${v.targets.join(' ')}`);
  t.same(summary, [], `${name} (${await describe(page)}): no axe-core violations`);
  t.same(await horizontalOverflow(page), [], `${name}: no horizontal scroll`);
  await screenshot(page, name);
}

async function describe(page: Page): Promise<string> {
  const lang = await page.evaluate(() => document.documentElement.lang || 'no-lang');
  return `${lang}, ${page.viewportSize()?.width ?? '?'}px`;
}

/** Writes a full-page screenshot to test-output/screenshots/<name>.<lang>.<width>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const lang = await page.evaluate(() => document.documentElement.lang || 'no-lang');
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9.-]+/gi, '-')}.${lang}.${page.viewportSize()?.width ?? 0}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
