// The OCES login response format (nemid-protocol.md §4.2–§4.3): writes and signs responses byte-compatible with the
// real NemID clients. For the simulator and for tests; nothing here verifies anything.
export * from './layout.js';
export * from './sign.js';
