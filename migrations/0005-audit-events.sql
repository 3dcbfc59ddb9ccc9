-- Audit trail: append-only (never a CPR). UPDATE, DELETE and TRUNCATE are refused by triggers, so neither a bug
-- nor a compromised application role can rewrite history without first dropping the trigger (itself audited DDL).

CREATE TABLE audit_events (
  id            bigserial PRIMARY KEY,
  occurred_at   timestamptz NOT NULL,
  type          text NOT NULL,
  trace_id      text,
  sp_entity_id  text,
  login_id      text,
  session_id    text,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at);
CREATE INDEX audit_events_login_id ON audit_events (login_id) WHERE login_id IS NOT NULL;

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
