import { IdpError } from '../../errors/index.js';
import type { BusinessRole, RolesClient } from '../../nemid/index.js';
import type { RegisteredSp } from '../../saml/index.js';
import type { LoginTransaction } from '../../store/index.js';
import { spDisplayName } from '../client.js';
import type { LoginStepHandler, StepContext, StepResult } from '../deps.js';
import type { StoredIdentity } from '../identity.js';
import { readRequestFacts } from '../request-facts.js';
import { stepOf, type LoginStep } from '../login-step.js';
import { offeredRecord, privateRecord, readBusinessRecord } from './choice-record.js';
import type { BusinessView } from './views.js';

// The business choice (issue 7, saml-profile.md §4 and §8.2): a POCES login on an SP with `businessLogin` continues
// as a private person or as the owner of one of the person's businesses. MOCES logins skip it: an employee's CVR
// and RID come from the certificate. The choice belongs to one login, so SSO logins from a session ask again.

export interface BusinessStepOptions {
  /** The role service; null when none is configured (then an SP with `businessLogin` cannot log in). */
  readonly roles: RolesClient | null;
}

export function offersBusinessChoice(sp: RegisteredSp, identity: StoredIdentity): boolean {
  return sp.policy.businessLogin === true && identity.type === 'POCES';
}

/** The page for a login waiting in state `business` with `offered` recorded. */
export function businessView(tx: LoginTransaction, sp: RegisteredSp, identity: StoredIdentity, offered: readonly BusinessRole[]): BusinessView {
  const common = { loginId: tx.id, spName: spDisplayName(sp, tx.language), personName: identity.commonName };
  if (offered.length === 0) return { kind: 'business-no-role', ...common };
  return { kind: 'business-choice', ...common, businesses: offered, allowPrivate: sp.policy.businessOnly !== true, releasesCpr: sp.policy.releaseCpr };
}

async function rolesOf(roles: RolesClient | null, identity: StoredIdentity): Promise<BusinessRole[]> {
  if (!roles) throw new IdpError('BUSINESS_ROLES_UNAVAILABLE', 'no role service is configured (ROLES_URL)');
  if (!identity.pid) throw new IdpError('INTERNAL_ERROR', 'a POCES identity without a PID');
  return roles.businessesOf({ pid: identity.pid });
}

/** Records the choice's audit event in the login step that records the choice. */
export function auditBusinessRole(
  step: LoginStep,
  chosen: { role: 'private' } | { role: 'businessOwner'; cvr: string },
  how: 'chosen' | 'no-business',
  offered: number,
): void {
  step.audit({ type: 'business_role_chosen', data: { ...chosen, how, offered } });
}

export function createBusinessStep(options: BusinessStepOptions): LoginStepHandler {
  return {
    name: 'business',
    async enter(context: StepContext): Promise<StepResult> {
      const { tx, sp, identity } = context;
      if (!offersBusinessChoice(sp, identity)) return { kind: 'done' };
      const recorded = readBusinessRecord(tx.businessChoice);
      if (recorded.kind === 'business' || recorded.kind === 'private') return { kind: 'done' };
      if (recorded.kind === 'offered' && tx.state === 'business') return { kind: 'page', view: businessView(tx, sp, identity, recorded.businesses) };

      // Nothing is stored before the role service has answered: down or invalid fails the login as it stands.
      const businesses = await rolesOf(options.roles, identity);
      const passive = readRequestFacts(tx.request).isPassive;
      if (businesses.length === 0) {
        if (sp.policy.businessOnly === true) {
          if (passive) throw new IdpError('BUSINESS_NO_ROLE', 'no business role and the SP accepts only business logins');
        } else {
          auditBusinessRole(stepOf(context), { role: 'private' }, 'no-business', 0);
          return { kind: 'done', patch: { businessChoice: privateRecord() } };
        }
      }
      // A passive request cannot show a page: advanceLogin answers NoPassive, with the transaction untouched.
      if (passive) return { kind: 'page', view: businessView(tx, sp, identity, businesses) };
      const waiting = stepOf(context).moveTo('business', { businessChoice: offeredRecord(businesses) });
      return { kind: 'page', view: businessView(waiting.tx, sp, identity, businesses) };
    },
  };
}
