import type { BusinessRole } from '../../nemid/index.js';

// View models of the business step (plain data; http/ renders them).

/** Continue as yourself or as the owner of one of these businesses. */
export interface BusinessChoiceView {
  readonly kind: 'business-choice';
  readonly loginId: string;
  readonly spName: string;
  /** The certificate's name (CN) of the person logging in. */
  readonly personName: string;
  readonly businesses: readonly BusinessRole[];
  /** False when the SP accepts only business logins (`businessOnly`). */
  readonly allowPrivate: boolean;
  /** Whether the assertion carries the CPR number (the page says what the service is told). */
  readonly releasesCpr: boolean;
}

/** The SP accepts only business logins and the person owns none: say so; "back" answers the SP with AuthnFailed. */
export interface BusinessNoRoleView {
  readonly kind: 'business-no-role';
  readonly loginId: string;
  readonly spName: string;
  readonly personName: string;
}

export type BusinessView = BusinessChoiceView | BusinessNoRoleView;

/** The purposes of the CSRF tokens of this step's forms. */
export const businessCsrfPurpose = (loginId: string) => `business:${loginId}`;
export const businessAbortCsrfPurpose = (loginId: string) => `business-abort:${loginId}`;
