// Small, dependency-free building blocks shared by every module: the injected clock, random ids, strict base64,
// time formats. A leaf: it imports nothing of ours and trusts nothing.
export * from './clock.js';
export * from './ids.js';
export * from './base64.js';
export * from './time.js';
export * from './language.js';
export * from './lru.js';
