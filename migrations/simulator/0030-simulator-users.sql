-- The NemID simulator's own state (simulator environment only; never applied to a production database). Applied by
-- the simulator at its start with its own ledger table `pgmigrations_simulator`, so the service's migrations and
-- `nemid-idp migrate` never see these tables. Numbers 0030-0039 are reserved for them.

-- Test users, shipped (seeded from src/simulator/users/test-users.ts) and created on /developers/. eID-neutral
-- columns first; `certificate` holds the eID-specific identity (kind, CN, PID or CVR+RID, youth, …) as JSON.
CREATE TABLE sim_users (
  user_id                  text PRIMARY KEY,
  eid                      text NOT NULL DEFAULT 'nemid',
  origin                   text NOT NULL CHECK (origin IN ('shipped', 'created')),
  -- scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>: never the password.
  password_hash            text NOT NULL,
  -- The CPR sealed with AES-256-GCM (simulator key derived from CPR_ENCRYPTION_KEYS), never in plain text.
  cpr_ciphertext           bytea,
  cpr_key_id               text,
  pid                      text UNIQUE,
  card_number              text NOT NULL UNIQUE,
  has_key_file             boolean NOT NULL,
  card_only                boolean NOT NULL,
  identity_assurance_level text NOT NULL,
  certificate              jsonb NOT NULL,
  businesses               jsonb NOT NULL DEFAULT '[]',
  -- Created users: the certificate the simulator's CA issued at creation and its (test-only) private key.
  certificate_der          bytea,
  private_key_pem          text,
  serial_hex               text UNIQUE,
  revoked_at               timestamptz,
  created_at               timestamptz NOT NULL,
  CHECK ((cpr_ciphertext IS NULL) = (cpr_key_id IS NULL))
);

-- Retired code cards (the current one is sim_users.card_number).
CREATE TABLE sim_code_cards (
  card_number  text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES sim_users (user_id) ON DELETE CASCADE,
  retired_at   timestamptz NOT NULL
);

-- Revoked user certificates: listed on the simulator's CRL and answered "revoked" by its OCSP responder.
CREATE TABLE sim_revocations (
  serial_hex   text PRIMARY KEY,
  user_id      text REFERENCES sim_users (user_id) ON DELETE SET NULL,
  revoked_at   timestamptz NOT NULL
);

-- Wrong passwords and codes, quarantine (LOCK001) and locked code cards (LOCK003), per user.
CREATE TABLE sim_lockouts (
  user_id            text PRIMARY KEY,
  wrong_passwords    integer NOT NULL DEFAULT 0,
  quarantined_until  timestamptz,
  wrong_codes        integer NOT NULL DEFAULT 0,
  card_locked        boolean NOT NULL DEFAULT false
);

-- One row per running NemID client session (the launcher page holds the id), so any instance serves any step.
CREATE TABLE sim_client_sessions (
  id             text PRIMARY KEY,
  state          jsonb NOT NULL,
  last_activity  timestamptz NOT NULL
);
CREATE INDEX sim_client_sessions_last_activity ON sim_client_sessions (last_activity);

-- rememberUseridToken (SHA-256 of it) → user id.
CREATE TABLE sim_remember_tokens (
  token_sha256  bytea PRIMARY KEY,
  user_id       text NOT NULL,
  created_at    timestamptz NOT NULL
);

-- The transaction log per user: one row per step outcome of a client session. Never a password or a code.
CREATE TABLE sim_user_events (
  id          bigserial PRIMARY KEY,
  session_id  text NOT NULL,
  user_id     text NOT NULL,
  at          timestamptz NOT NULL,
  client      text NOT NULL,
  service     text NOT NULL,
  step        text NOT NULL,
  outcome     text NOT NULL
);
CREATE INDEX sim_user_events_user ON sim_user_events (user_id, at);
