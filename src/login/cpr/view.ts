// The CPR page's view model (rendered by http/views/cpr-page.ts). It never carries a CPR number: after a mismatch
// the field is shown empty again.

export type CprPageError = 'CPR_FORMAT_INVALID' | 'CPR_MISMATCH';

export interface CprPageView {
  readonly kind: 'cpr';
  readonly loginId: string;
  readonly spName: string;
  /** Whether the "Remember my CPR number" box (unchecked by default) is offered. */
  readonly offerRemember: boolean;
  /** Tries left in this login (at most 3 in all). */
  readonly attemptsLeft: number;
  /** What went wrong with the last submission, if anything. */
  readonly error?: CprPageError;
  /** Set after "forget my remembered CPR number": whether there was one to forget. */
  readonly forgotten?: boolean;
}

/** CSRF purposes of the CPR page's two forms (checked by the routes with validCsrfToken). */
export const cprCsrfPurpose = (loginId: string) => `cpr:${loginId}`;
export const cprForgetCsrfPurpose = (loginId: string) => `cpr-forget:${loginId}`;
