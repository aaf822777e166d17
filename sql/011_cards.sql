-- 011: printed code cards (健康码卡片, H4; issue 11): a card for a person without a phone, issued by the person or
-- the family member who applied for them. Revocation itself is the code_revocations row of kind 'card' that every
-- scan checks; this table lists the cards so they can be shown, printed again and revoked one by one.

CREATE TABLE code_cards (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id (the card id of the API)',
  person_id BIGINT NOT NULL COMMENT 'people.id: whose card',
  code_number CHAR(12) NOT NULL COMMENT 'the token subject: the person''s 12-digit code number',
  key_id CHAR(8) NOT NULL COMMENT 'signing key that signed the card token (re-signed from it for every download)',
  issued_by_user_id BIGINT NOT NULL COMMENT 'citizen_users.id of who issued it (the person or the family applicant)',
  issued_at DATETIME(3) NOT NULL COMMENT 'the token''s issue time (whole second), unique per person',
  expires_at DATETIME(3) NOT NULL COMMENT 'the token''s expiry (issued_at + CARD_TTL_DAYS)',
  revoked_at DATETIME(3) NULL COMMENT 'when it was revoked (作废 or 补办); null while not revoked',
  revoke_reason VARCHAR(100) NULL COMMENT 'why it was revoked',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_code_cards_person_issued (person_id, issued_at),
  KEY idx_code_cards_issued_by (issued_by_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='printed code cards (health-code cards for people without a phone)';
