import type { SafeHtml } from './html.js';
import type { Language } from './layout.js';

// Login steps return plain view models with a `kind`; each kind has one renderer here. Steps added later (CPR,
// business choice) register theirs in views/index.ts.

export interface ViewContext {
  readonly lang: Language;
  readonly nonce: string;
  readonly simulatorBanner: boolean;
  /** This request's trace id: the reference an error page shows. */
  readonly traceId?: string;
  /** The service's logo (mdui:Logo) when its metadata has one we may show. */
  readonly spLogo?: string;
  /** CSRF token for forms of this login in this browser, per purpose. */
  csrf(purpose: string): string;
}

export interface RenderedPage {
  readonly title: string;
  readonly body: SafeHtml;
}

export type ViewRenderer = (view: { kind: string } & Record<string, unknown>, context: ViewContext) => RenderedPage;
