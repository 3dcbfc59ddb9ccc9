-- One row per (job, schedule slot): the instance whose INSERT wins runs that slot; the others skip it.

CREATE TABLE job_claims (
  job_name     text NOT NULL,
  slot         timestamptz NOT NULL,
  claimed_by   text NOT NULL,
  claimed_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  outcome      jsonb,
  PRIMARY KEY (job_name, slot)
);
CREATE INDEX job_claims_slot ON job_claims (slot);
