-- 008: 定时上报 (issue 8: G3): a unit's automatic daily or weekly data report to a department, and on each
-- report where it came from. A scheduled report's (schedule, period) pair is unique: inserting it is how one
-- server instance claims the period, so a period is delivered once however many instances run the job.
-- heartbeat_at is touched while a file is written, so a generation cut off by a crash is recognised.

CREATE TABLE data_report_schedules (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  organisation_id BIGINT NOT NULL COMMENT 'reporting unit (organisations.id)',
  to_organisation_id BIGINT NOT NULL COMMENT 'receiving department (organisations.id), an ancestor of the unit',
  frequency VARCHAR(10) NOT NULL COMMENT 'daily | weekly (Monday to Sunday)',
  filter TEXT NULL COMMENT 'JSON of the filters: servicePointIds, colour, temperature',
  enabled TINYINT(1) NOT NULL DEFAULT 1 COMMENT '1 = 启用, 0 = 停用',
  active_since DATETIME(3) NOT NULL COMMENT 'created or last enabled: the first period is the one containing it',
  created_by_account_id BIGINT NULL COMMENT 'accounts.id of the creator (null for a personal real-name session)',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  KEY idx_data_report_schedules_org (organisation_id),
  KEY idx_data_report_schedules_enabled (enabled)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='定时上报: automatic daily or weekly data reports';

ALTER TABLE data_reports
  ADD COLUMN origin VARCHAR(10) NOT NULL DEFAULT 'manual' COMMENT 'manual | daily | weekly',
  ADD COLUMN schedule_id BIGINT NULL COMMENT 'data_report_schedules.id of a scheduled report (kept when the schedule is deleted)',
  ADD COLUMN period_key VARCHAR(16) NULL COMMENT 'the scheduled period: D2026-03-14 (a day) or W2026-03-09 (the week starting that Monday)',
  ADD COLUMN attempts INT NOT NULL DEFAULT 1 COMMENT 'generations tried (a failed scheduled report is retried up to 3 times)',
  ADD COLUMN heartbeat_at DATETIME(3) NULL COMMENT 'last sign of life of the generation writing the file',
  ADD UNIQUE KEY uk_data_reports_schedule_period (schedule_id, period_key);
