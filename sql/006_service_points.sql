-- 006: service points, active registration and crowd-flow warnings (issue 7: C1–C4, D8, D9): a point's
-- type and poster generation, its staff on duty, and the last announced crowd state of each point.

ALTER TABLE service_points
  ADD COLUMN type VARCHAR(20) NOT NULL DEFAULT 'other' COMMENT 'entrance | canteen | shop | office | other',
  ADD COLUMN poster_issued_at DATETIME(3) NULL COMMENT 'when the current poster was generated (earlier point tokens are revoked)';

ALTER TABLE health_reports
  ADD COLUMN scan_record_id BIGINT NULL COMMENT 'scan_records.id of the active registration that wrote this 扫码登记 report';

CREATE TABLE service_point_staff (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  service_point_id BIGINT NOT NULL COMMENT 'service_points.id',
  employee_id BIGINT NOT NULL COMMENT 'employees.id on duty there (在岗员工)',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_service_point_staff_point_employee (service_point_id, employee_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='staff on duty at a service point';

CREATE TABLE crowd_flow_states (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  service_point_id BIGINT NOT NULL COMMENT 'service_points.id',
  state VARCHAR(10) NOT NULL COMMENT 'normal | warning | exceeded: the last state announced',
  current_count INT NOT NULL COMMENT 'live count when the state was last evaluated',
  changed_at DATETIME(3) NOT NULL COMMENT 'when the state last changed',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_crowd_flow_states_point (service_point_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='last crowd-flow state of each service point: a change is announced once';
