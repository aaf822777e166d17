-- 009: cross-province mutual recognition and corrections (issue 9: B1, B2, H6). 入闽申报 of arrivals from other
-- provinces; the last origin-pass check of each person through the national platform (the pass merged into
-- the Bamin code, or why it could not be checked and when to retry); corrections filed by holders, decided
-- by the health department or forwarded to the national platform; the override an accepted correction leaves.

CREATE TABLE arrival_declarations (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id of the arrival',
  citizen_user_id BIGINT NULL COMMENT 'citizen_users.id who declared',
  origin_province CHAR(6) NOT NULL COMMENT 'GB/T 2260 province of departure (not 350000)',
  arrival_date DATE NOT NULL COMMENT 'Asia/Shanghai day of arrival in Fujian',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  KEY idx_arrival_declarations_person (person_id, arrival_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='入闽申报: arrivals from other provinces';

CREATE TABLE origin_passes (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  status VARCHAR(12) NOT NULL COMMENT 'checked | not_found | unavailable (last attempt failed; pass fields keep the last good answer)',
  pass_id VARCHAR(64) NULL COMMENT 'the national platform''s pass id',
  province_code CHAR(6) NULL COMMENT 'GB/T 2260 province that issued the pass',
  colour VARCHAR(10) NULL COMMENT 'green | yellow | red',
  issued_at DATETIME(3) NULL COMMENT 'pass issued',
  expires_at DATETIME(3) NULL COMMENT 'pass expires',
  checked_at DATETIME(3) NULL COMMENT 'last answer from the platform',
  attempted_at DATETIME(3) NOT NULL COMMENT 'last attempt',
  failures INT NOT NULL DEFAULT 0 COMMENT 'attempts failed in a row',
  failure VARCHAR(20) NULL COMMENT 'timeout | network | http_5xx | malformed | bad_signature | refused | not_configured',
  retry_at DATETIME(3) NULL COMMENT 'when the retry job checks again (status unavailable)',
  changed_at DATETIME(3) NULL COMMENT 'when the pass on record last changed',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_origin_passes_person (person_id),
  KEY idx_origin_passes_retry (retry_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='跨省互认: each person''s origin pass from the national platform';

CREATE TABLE corrections (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id of the code holder',
  citizen_user_id BIGINT NOT NULL COMMENT 'citizen_users.id who filed it (the holder or the family applicant)',
  kind VARCHAR(10) NOT NULL COMMENT 'local (the Bamin code) | origin (the origin pass)',
  reason VARCHAR(500) NOT NULL COMMENT 'the holder''s reason',
  status VARCHAR(16) NOT NULL COMMENT 'pending | accepted | rejected | forwarded | forward_failed',
  colour_at_filing VARCHAR(10) NOT NULL COMMENT 'code colour when filed',
  reasons_at_filing VARCHAR(200) NULL COMMENT 'reason codes when filed, comma-separated',
  pass_id VARCHAR(64) NULL COMMENT 'origin pass disputed (kind origin)',
  national_ticket VARCHAR(64) NULL COMMENT 'the national platform''s ticket once forwarded',
  forward_attempts INT NOT NULL DEFAULT 0 COMMENT 'forwarding attempts',
  retry_at DATETIME(3) NULL COMMENT 'when forwarding is tried again (forward_failed)',
  decision_note VARCHAR(500) NULL COMMENT 'the health department''s note',
  decided_by_account_id BIGINT NULL COMMENT 'accounts.id who decided',
  decided_at DATETIME(3) NULL COMMENT 'when decided',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  KEY idx_corrections_status (status, created_at),
  KEY idx_corrections_person (person_id, created_at),
  KEY idx_corrections_retry (retry_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='纠错/申诉 of codes (H6)';

CREATE TABLE status_overrides (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  correction_id BIGINT NOT NULL COMMENT 'corrections.id accepted',
  accepted_at DATETIME(3) NOT NULL COMMENT 'when accepted',
  facts_digest CHAR(64) NOT NULL COMMENT 'SHA-256 of the person''s facts when accepted: the override holds while they are unchanged',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_status_overrides_person (person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='the latest accepted correction of a person, honoured until new data arrives';

ALTER TABLE scan_records
  ADD COLUMN code_source VARCHAR(10) NOT NULL DEFAULT 'bamin' COMMENT 'bamin | national (防疫健康信息码, B2)',
  ADD COLUMN origin_province CHAR(6) NULL COMMENT 'province of the national code''s origin pass',
  ADD COLUMN origin_colour VARCHAR(10) NULL COMMENT 'green | yellow | red of the national code';
