-- 004: PC console (issue 5: D1–D3, D6, E1, E5, E6): enterprise registration fields, activation codes for
-- government account generation, console sessions (password, CA certificate, personal), CA login
-- challenges, personal-account associations with enterprises, and import jobs with progress.

ALTER TABLE organisations
  ADD COLUMN legal_person_type VARCHAR(30) NULL COMMENT 'enterprise | public_institution | social_organisation | other (法人类型)',
  ADD COLUMN licence_number VARCHAR(64) NULL COMMENT '许可证编号, when the unit has one',
  ADD COLUMN legal_rep_id_type VARCHAR(20) NULL COMMENT 'ID document type of the legal representative',
  ADD COLUMN legal_rep_country CHAR(3) NULL COMMENT 'ISO 3166 alpha-3 of the legal representative''s document',
  ADD COLUMN legal_rep_id_hash CHAR(64) NULL COMMENT 'HMAC of the legal representative''s identity: personal-account association',
  ADD COLUMN legal_rep_id_enc VARCHAR(255) NULL COMMENT 'AES-256-GCM ciphertext of the legal representative''s ID number',
  ADD COLUMN agent_name VARCHAR(50) NULL COMMENT '经办人姓名',
  ADD COLUMN agent_phone_enc VARCHAR(255) NULL COMMENT 'AES-256-GCM ciphertext of the agent''s phone',
  ADD COLUMN agent_id_hash CHAR(64) NULL COMMENT 'HMAC of the agent''s resident identity: personal-account association',
  ADD COLUMN agent_id_enc VARCHAR(255) NULL COMMENT 'AES-256-GCM ciphertext of the agent''s ID number',
  ADD KEY idx_organisations_legal_rep_id (legal_rep_id_hash),
  ADD KEY idx_organisations_agent_id (agent_id_hash);

CREATE TABLE activation_codes (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  code_hash CHAR(64) NOT NULL COMMENT 'HMAC of the activation code (the code itself is shown once, never stored)',
  unit_name VARCHAR(200) NOT NULL COMMENT 'government unit the code is for',
  credit_code CHAR(18) NOT NULL COMMENT 'its unified social credit code',
  area_code CHAR(6) NOT NULL COMMENT 'GB/T 2260 area: the unit sits under this area''s department',
  issued_by_account_id BIGINT NOT NULL COMMENT 'accounts.id of the health-department account that issued it',
  expires_at DATETIME(3) NOT NULL COMMENT 'valid until',
  used_at DATETIME(3) NULL COMMENT 'when an account was generated with it (single use)',
  used_by_organisation_id BIGINT NULL COMMENT 'organisations.id created with it',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_activation_codes_code (code_hash),
  KEY idx_activation_codes_credit_code (credit_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='activation codes the health department issues for government account generation (D1)';

CREATE TABLE console_sessions (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  token_hash CHAR(64) NOT NULL COMMENT 'SHA-256 of the cookie value (the value itself is never stored)',
  auth_method VARCHAR(10) NOT NULL COMMENT 'password | ca | personal',
  account_id BIGINT NULL COMMENT 'accounts.id (password and CA sessions)',
  citizen_user_id BIGINT NULL COMMENT 'citizen_users.id (personal sessions)',
  organisation_id BIGINT NULL COMMENT 'organisations.id acted for; NULL for a personal session not yet associated',
  ca_serial VARCHAR(64) NULL COMMENT 'serial number of the certificate a CA session was opened with',
  expires_at DATETIME(3) NOT NULL COMMENT 'session end',
  revoked_at DATETIME(3) NULL COMMENT 'signed out, password changed or revoked',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_console_sessions_token (token_hash),
  KEY idx_console_sessions_account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='PC console sessions (httpOnly cookie)';

CREATE TABLE ca_challenges (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  challenge_id CHAR(32) NOT NULL COMMENT 'random id handed to the console',
  challenge CHAR(43) NOT NULL COMMENT 'base64url of the 32 random bytes to be signed',
  expires_at DATETIME(3) NOT NULL COMMENT 'the signature must arrive before this',
  used_at DATETIME(3) NULL COMMENT 'consumed (a challenge is good for one attempt)',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_ca_challenges_challenge_id (challenge_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='challenges for CA-certificate login';

CREATE TABLE enterprise_associations (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  citizen_user_id BIGINT NOT NULL COMMENT 'citizen_users.id of the personal real-name account',
  organisation_id BIGINT NOT NULL COMMENT 'organisations.id of the enterprise',
  role VARCHAR(20) NOT NULL COMMENT 'legal_rep | agent: whose ID number matched',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_enterprise_associations_user_org (citizen_user_id, organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='personal accounts associated with an enterprise (企业信息关联)';

CREATE TABLE import_jobs (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  job_id CHAR(32) NOT NULL COMMENT 'random id handed to the console',
  organisation_id BIGINT NOT NULL COMMENT 'organisations.id the import is for',
  kind VARCHAR(20) NOT NULL COMMENT 'employees',
  status VARCHAR(10) NOT NULL COMMENT 'queued | running | done | failed',
  total INT NULL COMMENT 'data rows in the file, once parsed',
  processed INT NOT NULL DEFAULT 0 COMMENT 'rows handled so far',
  inserted INT NULL COMMENT 'rows added, when done',
  errors MEDIUMTEXT NULL COMMENT 'JSON list of { line, field, problem } when failed',
  created_by_account_id BIGINT NULL COMMENT 'accounts.id that started it',
  finished_at DATETIME(3) NULL COMMENT 'end',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_import_jobs_job_id (job_id),
  KEY idx_import_jobs_organisation (organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='console import jobs with progress';
