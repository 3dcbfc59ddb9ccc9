-- MitID through an OIDC broker (mitid.md): the login's MitID step and which eID and level an IdP session used.

ALTER TABLE login_transactions DROP CONSTRAINT login_transactions_state_check;
ALTER TABLE login_transactions ADD CONSTRAINT login_transactions_state_check
  CHECK (state IN ('created', 'client_started', 'mitid_started', 'authenticated', 'cpr', 'business', 'completed', 'failed'));
-- The OAuth state sent to the broker (the callback carries only it) and what the callback is checked against:
-- nonce, PKCE verifier, requested level, prompt. mitid_request is cleared when the callback takes it (single use).
ALTER TABLE login_transactions ADD COLUMN mitid_state text;
ALTER TABLE login_transactions ADD COLUMN mitid_request jsonb;
CREATE UNIQUE INDEX login_transactions_mitid_state ON login_transactions (mitid_state) WHERE mitid_state IS NOT NULL;

ALTER TABLE idp_sessions ADD COLUMN eid text NOT NULL DEFAULT 'nemid' CHECK (eid IN ('nemid', 'mitid'));
ALTER TABLE idp_sessions ADD COLUMN loa text NOT NULL DEFAULT 'Substantial' CHECK (loa IN ('Low', 'Substantial', 'High'));
