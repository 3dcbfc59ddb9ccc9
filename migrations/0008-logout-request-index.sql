-- A LogoutResponse comes back with the ID of the LogoutRequest we sent: find its participant without a scan.
CREATE INDEX idp_session_participants_logout_request_idx
  ON idp_session_participants (sp_entity_id, logout_request_id)
  WHERE logout_request_id IS NOT NULL;
