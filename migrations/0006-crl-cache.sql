-- Downloaded CRLs shared by all instances, so a restart does not refetch (nemid-protocol.md §7). The DER is kept
-- as fetched; it is re-verified by pki/ on every load, so this table is a cache, not a trust store.

CREATE TABLE crl_cache (
  url          text PRIMARY KEY,
  issuer       text NOT NULL,
  der          bytea NOT NULL,
  this_update  timestamptz NOT NULL,
  next_update  timestamptz NOT NULL,
  fetched_at   timestamptz NOT NULL,
  entries      integer NOT NULL CHECK (entries >= 0)
);
CREATE INDEX crl_cache_next_update ON crl_cache (next_update);
