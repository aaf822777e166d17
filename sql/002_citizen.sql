-- 002: citizen sign-in (issue 3, A1): app users, server-side sessions, SMS codes and L4 face checks.

CREATE TABLE citizen_users (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'citizen user id',
  phone_hash CHAR(64) NOT NULL COMMENT 'HMAC of the sign-in mobile number',
  phone_enc VARCHAR(255) NOT NULL COMMENT 'AES-256-GCM ciphertext of the mobile number',
  phone_masked VARCHAR(16) NOT NULL COMMENT 'masked mobile for display',
  person_id BIGINT NULL COMMENT 'people.id once the L4 check passed',
  l4_verified_at DATETIME(3) NULL COMMENT 'when the L4 real-name check passed',
  l4_provider VARCHAR(40) NULL COMMENT 'identity provider that asserted L4',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_citizen_users_phone_hash (phone_hash),
  UNIQUE KEY uk_citizen_users_person (person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='citizens signed in through the host app';

CREATE TABLE app_sessions (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  token_hash CHAR(64) NOT NULL COMMENT 'SHA-256 of the bearer token (the token itself is never stored)',
  citizen_user_id BIGINT NOT NULL COMMENT 'citizen_users.id',
  expires_at DATETIME(3) NOT NULL COMMENT 'session end',
  revoked_at DATETIME(3) NULL COMMENT 'signed out or revoked',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_app_sessions_token (token_hash),
  KEY idx_app_sessions_user (citizen_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='server-side citizen sessions: expire and can be revoked';

CREATE TABLE sms_codes (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  phone_hash CHAR(64) NOT NULL COMMENT 'HMAC of the mobile number',
  purpose VARCHAR(20) NOT NULL COMMENT 'sign_in | family',
  code_hash CHAR(64) NOT NULL COMMENT 'HMAC of the code sent',
  expires_at DATETIME(3) NOT NULL COMMENT 'code valid until',
  attempts INT NOT NULL DEFAULT 0 COMMENT 'wrong guesses so far',
  consumed_at DATETIME(3) NULL COMMENT 'used',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  KEY idx_sms_codes_phone (phone_hash, purpose, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='SMS verification codes';

CREATE TABLE l4_checks (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  check_id CHAR(32) NOT NULL COMMENT 'random id handed to the app',
  citizen_user_id BIGINT NOT NULL COMMENT 'citizen_users.id',
  id_type VARCHAR(20) NOT NULL COMMENT 'ID document type claimed',
  id_hash CHAR(64) NOT NULL COMMENT 'HMAC of the identity claimed',
  id_number_enc VARCHAR(255) NOT NULL COMMENT 'AES-256-GCM ciphertext of the ID number claimed',
  country CHAR(3) NULL COMMENT 'passport country',
  name VARCHAR(50) NOT NULL COMMENT 'name claimed',
  birth_date DATE NULL COMMENT 'birth date',
  provider VARCHAR(40) NOT NULL COMMENT 'face-check provider',
  provider_ref VARCHAR(100) NOT NULL COMMENT 'the provider''s reference of this check',
  status VARCHAR(10) NOT NULL COMMENT 'pending | passed | failed',
  expires_at DATETIME(3) NOT NULL COMMENT 'a pending check is abandoned after this',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_l4_checks_check_id (check_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='L4 real-name checks (face verification) in progress or done';
