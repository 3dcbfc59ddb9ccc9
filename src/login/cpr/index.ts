// The CPR step (issue 6): PID-CPR lookup for public SPs, the match page with remembered CPR numbers for private
// SPs, the AES-256-GCM vault for CPR numbers at rest and the PID HMAC that keys cpr_memory. Trusts the verified
// identity in the transaction and PID-CPR's parsed answer; never a CPR in a log, audit event, URL or error.
export { createCprStep, cprStepOf, type CprStep } from './step.js';
export type { CprStepOptions } from './options.js';
export type { CprForm } from './submit.js';
export { cprCsrfPurpose, cprForgetCsrfPurpose, type CprPageView, type CprPageError } from './view.js';
export { createCprVault, type CprKeyRing } from './vault.js';
export { pidHmac, barePid } from './pid-hmac.js';
export { normalizeCpr, isValidCpr, birthDateOf } from './cpr-number.js';
export { forgetRememberedCpr, servicesRememberingCpr } from './forget.js';
export { cprModeFor } from './rules.js';
export { pidCprClientFromConfig, cprFromConfig } from './wiring.js';
export { reencryptCprMemory, type ReencryptResult } from './reencrypt.js';
