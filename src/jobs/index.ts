// jobs module: node-cron schedules (expired-row sweep, CPR purge; the service adds the CRL refresh), each slot
// claimed in PostgreSQL so exactly one instance runs it; sweep and purge also run from the CLI. Trusts the store.
export * from './types.js';
export * from './scheduler.js';
export * from './sweep.js';
export * from './registry.js';
export * from './cpr-purge.js';
