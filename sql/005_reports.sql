-- 005: health reports and in-app messages (issue 6, A8 A9): the free text of 其他症状.

ALTER TABLE health_reports
  ADD COLUMN other_symptom VARCHAR(100) NULL COMMENT 'text given with the symptom other (其他症状)';
