-- Login transactions and the replay tables that protect them (architecture.md "One login", nemid-protocol.md §5).
-- Times are written by the application's clock, never by now(), so tests can pin them.

CREATE TABLE login_transactions (
  id               text PRIMARY KEY,                 -- opaque, 128 random bits
  state            text NOT NULL CHECK (state IN ('created', 'client_started', 'authenticated', 'cpr', 'business', 'completed', 'failed')),
  browser_binding  text NOT NULL,                    -- hash of the browser cookie, never the cookie itself
  sp_entity_id     text NOT NULL,
  request_id       text,                             -- null for IdP-initiated logins
  acs_url          text NOT NULL,
  acs_binding      text NOT NULL,
  relay_state      text,
  request          jsonb NOT NULL,                   -- verified request facts (policy inputs), never raw XML
  language         text NOT NULL,
  nemid_client     text,
  nemid_challenge  text,
  nemid_timestamp  text,
  identity         jsonb,                            -- the verified NemID identity; never a CPR
  cpr_ciphertext   bytea,                            -- a CPR found during this login, AES-256-GCM
  cpr_key_id       text,
  cpr_attempts     integer NOT NULL DEFAULT 0 CHECK (cpr_attempts >= 0),
  cpr_source       text,
  business_choice  jsonb,
  error_code       text,
  idp_session_id   text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  completed_at     timestamptz,
  CHECK ((cpr_ciphertext IS NULL) = (cpr_key_id IS NULL))
);
CREATE INDEX login_transactions_expires_at ON login_transactions (expires_at);

-- AuthnRequest (and LogoutRequest) IDs per SP for their validity window: a second use is a replay.
CREATE TABLE authn_request_ids (
  sp_entity_id  text NOT NULL,
  request_id    text NOT NULL,
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (sp_entity_id, request_id)
);
CREATE INDEX authn_request_ids_expires_at ON authn_request_ids (expires_at);

-- SHA-256 of each accepted NemID response's SignatureValue: a response is accepted once.
CREATE TABLE nemid_response_digests (
  digest      bytea PRIMARY KEY CHECK (octet_length(digest) = 32),
  login_id    text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX nemid_response_digests_expires_at ON nemid_response_digests (expires_at);

-- The verified, signed NemID document kept as evidence for the login (holds no CPR).
CREATE TABLE nemid_evidence (
  login_id    text PRIMARY KEY,
  signed_xml  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX nemid_evidence_expires_at ON nemid_evidence (expires_at);
