// PID-CPR client (nemid-protocol.md §8, plain XML): lookup and match over mutual TLS with the VOCES, the server CA
// pinned. Trusts nothing in a response beyond its parsed structure, our request id and a numeric status.
export { createPidCprClient, type PidCprClient, type PidCprClientOptions } from './client.js';
export type { PidCprTls } from './transport.js';
export { pidCprRequestXml, pidCprFormBody, type PidCprRequest } from './request.js';
export { parsePidCprResponse, MAX_PID_CPR_RESPONSE_BYTES, type PidCprReply } from './response.js';
export { pidCprStatusError } from './status.js';
