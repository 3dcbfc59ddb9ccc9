-- Pairwise persistent NameIDs issued per SP (saml-profile.md §2.5). Only the issued values are kept: they are
-- HMACs, so the table cannot be reversed to a PID or CPR.

CREATE TABLE persistent_ids (
  sp_entity_id  text NOT NULL,
  name_id       text NOT NULL,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (sp_entity_id, name_id)
);
