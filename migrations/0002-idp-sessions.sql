-- IdP sessions (SSO) and the SPs that took part in each, for single logout (saml-profile.md §2.7, §6).

CREATE TABLE idp_sessions (
  id                text PRIMARY KEY,
  browser_binding   text NOT NULL,
  subject           jsonb NOT NULL,                 -- the verified identity; never a CPR
  certificate_type  text NOT NULL,
  youth             boolean NOT NULL,
  authn_instant     timestamptz NOT NULL,
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  ended_at          timestamptz,
  logout            jsonb                           -- the running logout chain, so any instance can continue it
);
CREATE INDEX idp_sessions_expires_at ON idp_sessions (expires_at);

CREATE TABLE idp_session_participants (
  session_id         text NOT NULL REFERENCES idp_sessions (id) ON DELETE CASCADE,
  sp_entity_id       text NOT NULL,
  name_id            text NOT NULL,
  name_id_format     text NOT NULL,
  name_qualifier     text,
  sp_name_qualifier  text,
  session_index      text NOT NULL,
  created_at         timestamptz NOT NULL,
  logout_state       text CHECK (logout_state IN ('pending', 'sent', 'succeeded', 'failed', 'skipped')),
  logout_request_id  text,
  PRIMARY KEY (session_id, sp_entity_id)
);
