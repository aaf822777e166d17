-- 012: the audit trail names why and for whom (issue 11: H3): the route that read or changed the record, the unit
-- the caller acted for (a unit sees its own trail in the console; the health department sees all), and the person
-- as the keyed hash of their ID number (people.id_hash), which survives anything done to the people row.

ALTER TABLE audit_log
  ADD COLUMN route VARCHAR(120) NULL COMMENT 'why: the API route, e.g. POST /api/v1/staff/scans',
  ADD COLUMN organisation_id BIGINT NULL COMMENT 'the unit the caller acted for (console and scanner staff)',
  ADD COLUMN subject_hash CHAR(64) NULL COMMENT 'the person read or changed: HMAC-SHA256 of the ID number (people.id_hash)',
  ADD KEY idx_audit_log_org_at (organisation_id, at),
  ADD KEY idx_audit_log_subject_hash (subject_hash);
