-- Remembered CPR numbers for match SPs ("remember me"): key = HMAC of the PID, value = CPR encrypted with
-- AES-256-GCM under key `key_id`. Purged CPR_MEMORY_RETENTION after last use. Plus the per-PID match-attempt log.

CREATE TABLE cpr_memory (
  pid_hmac      bytea PRIMARY KEY,
  ciphertext    bytea NOT NULL,
  key_id        text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz NOT NULL
);
CREATE INDEX cpr_memory_last_used_at ON cpr_memory (last_used_at);

CREATE TABLE cpr_match_attempts (
  pid_hmac      bytea NOT NULL,
  attempted_at  timestamptz NOT NULL
);
CREATE INDEX cpr_match_attempts_pid_time ON cpr_match_attempts (pid_hmac, attempted_at);
CREATE INDEX cpr_match_attempts_attempted_at ON cpr_match_attempts (attempted_at);
