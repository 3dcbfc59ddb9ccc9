// The role service (issue 7): which businesses a person may represent as owner. Trusts the answer only after the
// strict shape check in business-roles.ts, and only from the configured URL (pinned CA, optional mutual TLS).
export { createRolesClient, ROLES_MAX_RESPONSE_BYTES, type RolesClient, type RolesClientOptions, type RoleQuery } from './roles-client.js';
export { parseRolesResponse, MAX_BUSINESSES, MAX_BUSINESS_NAME_LENGTH, type BusinessRole } from './business-roles.js';
