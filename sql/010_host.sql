-- 010: embedding in a host super-app (issue 10: H7). A host's sign-in tickets are single use: each used ticket's
-- id is kept until it expires; a host's user is linked to the citizen account it signed in.

CREATE TABLE host_ticket_uses (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  host_app_id VARCHAR(64) NOT NULL COMMENT 'the host app that signed the ticket',
  jti VARCHAR(64) NOT NULL COMMENT 'the ticket''s unique id',
  used_at DATETIME(3) NOT NULL COMMENT 'when it was used',
  expires_at DATETIME(3) NOT NULL COMMENT 'when it would have expired (the row may be purged after)',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_host_ticket_uses_jti (host_app_id, jti),
  KEY idx_host_ticket_uses_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='host sign-in tickets already used (single use)';

CREATE TABLE citizen_user_hosts (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  citizen_user_id BIGINT NOT NULL COMMENT 'citizen_users.id',
  host_app_id VARCHAR(64) NOT NULL COMMENT 'host app',
  host_user_id VARCHAR(64) NOT NULL COMMENT 'the host''s own user id (sub)',
  last_sign_in_at DATETIME(3) NOT NULL COMMENT 'last sign-in through this host',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_citizen_user_hosts_host_user (host_app_id, host_user_id),
  KEY idx_citizen_user_hosts_user (citizen_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='a host app''s users linked to citizen accounts';
