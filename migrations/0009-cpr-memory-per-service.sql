-- Remembered CPR numbers belong to the service the user agreed at (issue 16.1): the key becomes (HMAC of the PID,
-- SP entity ID), so one "remember me" at service A is never a standing release to service C. Rows from before were
-- bound to no service and cannot be attributed to one: they are deleted (README, release notes). Users are asked
-- for their CPR number once more at each service that wants it.

DELETE FROM cpr_memory;
ALTER TABLE cpr_memory DROP CONSTRAINT cpr_memory_pkey;
ALTER TABLE cpr_memory ADD COLUMN sp_entity_id text NOT NULL;
ALTER TABLE cpr_memory ADD PRIMARY KEY (pid_hmac, sp_entity_id);
