// The kinds of audit event (a leaf: login-step.ts and audit.ts both name them).

export type AuditType =
  | 'authn_request_received'
  | 'nemid_authenticated'
  | 'nemid_failed'
  | 'mitid_authenticated'
  | 'mitid_failed'
  | 'cpr_looked_up'
  | 'cpr_matched'
  | 'cpr_remembered'
  | 'cpr_forgotten'
  | 'cpr_from_memory'
  | 'business_role_chosen'
  | 'response_sent'
  | 'logout'
  | 'login_expired';
