-- 003: scanner staff (issue 4, F1–F6): account sessions, the staff member's scan point, fixed-window
-- rate counters, and the feedback columns of scan records.

CREATE TABLE account_sessions (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  token_hash CHAR(64) NOT NULL COMMENT 'SHA-256 of the bearer token (the token itself is never stored)',
  account_id BIGINT NOT NULL COMMENT 'accounts.id',
  channel VARCHAR(10) NOT NULL COMMENT 'app (scanner staff, bearer) | console (PC console, cookie)',
  expires_at DATETIME(3) NOT NULL COMMENT 'session end',
  revoked_at DATETIME(3) NULL COMMENT 'signed out, password changed or revoked',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_account_sessions_token (token_hash),
  KEY idx_account_sessions_account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='server-side sessions of legal-person accounts and sub-accounts';

CREATE TABLE scan_points (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  account_id BIGINT NOT NULL COMMENT 'accounts.id of the scanning staff member (one current point each)',
  organisation_id BIGINT NOT NULL COMMENT 'organisations.id the point belongs to (the account''s unit)',
  community_name VARCHAR(100) NOT NULL COMMENT '社区名称',
  point_name VARCHAR(100) NOT NULL COMMENT '监测点名称',
  area_code CHAR(6) NOT NULL COMMENT 'GB/T 2260 county of the point (the 14-day rule compares with it)',
  location VARCHAR(200) NOT NULL COMMENT '具体位置 text',
  latitude DECIMAL(9,6) NULL COMMENT 'WGS-84 latitude from "locate me"',
  longitude DECIMAL(9,6) NULL COMMENT 'WGS-84 longitude from "locate me"',
  service_point_id BIGINT NULL COMMENT 'service_points.id of the unit the scans count toward',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_scan_points_account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='the scan point each scanning staff member reported (扫码点信息)';

CREATE TABLE rate_limits (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  bucket VARCHAR(100) NOT NULL COMMENT 'what is limited and for whom, e.g. typed:42',
  window_start DATETIME NOT NULL COMMENT 'start of the fixed window',
  hits INT NOT NULL DEFAULT 0 COMMENT 'calls counted in the window',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_rate_limits_bucket_window (bucket, window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='fixed-window counters shared by all instances';

ALTER TABLE scan_records
  ADD COLUMN scan_point_name VARCHAR(200) NULL COMMENT '监测地址 as shown: community and point name at the time of the scan',
  ADD COLUMN temperature_tenths INT NULL COMMENT 'measured temperature in tenths of a degree Celsius (365 = 36.5), when given',
  ADD COLUMN feedback_at DATETIME(3) NULL COMMENT 'when the scanner last fed back (NULL: 未反馈)',
  ADD KEY idx_scan_records_scanner_time (scanner_account_id, scanned_at);
