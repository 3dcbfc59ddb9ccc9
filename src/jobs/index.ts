// jobs module: node-cron schedules (expired-row sweep now; CPR purge and CRL refresh join via registry.ts), each
// slot claimed in PostgreSQL so exactly one instance runs it, and every job runnable from the CLI. Trusts the store.
export * from './types.js';
export * from './scheduler.js';
export * from './sweep.js';
export * from './registry.js';
export * from './cpr-purge.js';
