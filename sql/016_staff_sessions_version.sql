-- 016: the version of the staff sessions each server instance caches for the scan (issue 12; server/src/services/
-- staffService.ts): bumped in the writing transaction by every change of a session's revocation, its account's
-- standing, its scan point or that point's crowd-flow setting, and read in the scan's holder statement.

INSERT INTO cache_versions (name, version) VALUES ('staff_sessions', 1);
