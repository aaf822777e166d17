-- 013: versions of the reference data the servers cache (issue 12): every write of that data bumps its row in the
-- same transaction, and the hot reads carry the version in their own statement, so each instance's cache is exact.

CREATE TABLE cache_versions (
  name VARCHAR(40) NOT NULL COMMENT 'what is cached: area_levels',
  version BIGINT NOT NULL COMMENT 'bumped by every write of that data, inside the writing transaction',
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='versions of cached reference data (exact invalidation across instances)';

INSERT INTO cache_versions (name, version) VALUES ('area_levels', 1);
