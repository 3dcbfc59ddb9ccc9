// The business step of a login (issue 7): continue as a private person or as the owner of a business. Trusts the
// role service only through nemid's strict client, and a form's choice only if it was offered to this login.
export { createBusinessStep, offersBusinessChoice, type BusinessStepOptions } from './business-step.js';
export { chooseBusinessRole, showBusinessChoice, leaveWithoutBusinessRole, type BusinessForm } from './choose-role.js';
export { rolesClientFromConfig } from './roles-from-config.js';
export { businessCsrfPurpose, businessAbortCsrfPurpose, type BusinessView, type BusinessChoiceView, type BusinessNoRoleView } from './views.js';
