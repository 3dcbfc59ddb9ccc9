// store module: PostgreSQL access for the whole service — pool, migrations, one small module per table with plain
// parameterised SQL, and the embedded server for development. Trusts the database to enforce its constraints;
// callers pass validated values and their own clock's times. The only module that imports pg.
export * from './pool.js';
export * from './pg-errors.js';
export * from './query.js';
export * from './health.js';
export * from './log.js';
export * from './embedded-postgres.js';
export * from './migrations.js';
export type { LoginState, LoginTransaction, NewLoginTransaction, LoginTransactionPatch } from './login-transactions.js';
export { LOGIN_STATES } from './login-transactions.js';
export type { LoginStepWrite, LoginStepResult } from './login-steps.js';
export type { IdpSession, NewIdpSession } from './idp-sessions.js';
export type { Participant, NewParticipant, LogoutState } from './session-participants.js';
export type { CprMemoryEntry } from './cpr-memory.js';
export type { NemidEvidence } from './nemid-evidence.js';
export type { AuditEvent, StoredAuditEvent } from './audit-events.js';
export type { CachedCrl, CrlSummary } from './crl-cache.js';
export type { JobClaim } from './job-claims.js';
// One namespace per table: loginTransactions.transition(pool, …), requestIds.record(pool, …), …
export * as loginTransactions from './login-transactions.js';
export * as loginSteps from './login-steps.js';
export * as requestIds from './request-ids.js';
export * as responseDigests from './response-digests.js';
export * as nemidEvidence from './nemid-evidence.js';
export * as idpSessions from './idp-sessions.js';
export * as participants from './session-participants.js';
export * as cprMemory from './cpr-memory.js';
export * as cprMatchAttempts from './cpr-match-attempts.js';
export * as cprMemoryRekey from './cpr-memory-rekey.js';
export * as persistentIds from './persistent-ids.js';
export * as auditEvents from './audit-events.js';
export * as crlCache from './crl-cache.js';
export * as jobClaims from './job-claims.js';
