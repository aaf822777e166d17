-- 017: crowd counts kept incrementally (D9, issue 12; server/src/services/crowdFlowService.ts). A scan's count was
-- COUNT(DISTINCT person_id) over every record of its point's window: its cost grew with the point's traffic (a
-- station gate's hour examined tens of thousands of index entries per scan, while holding the point's state row).
-- Now each (point, person) has one presence row with the person's latest record there, and the state row keeps the
-- window's start it counted from: the count is always the presence rows after window_from, and a scan moves it by
-- the people whose latest record left the window since (a range of idx_crowd_presence_point_seen) and by its own.

ALTER TABLE crowd_flow_states
  ADD COLUMN window_from DATETIME(3) NULL COMMENT 'the window start (exclusive) current_count counts from: presence rows after it; NULL: not yet counted from presence',
  ADD COLUMN window_minutes INT NULL COMMENT 'the setting''s window current_count was counted with (another setting recounts)';

CREATE TABLE crowd_presence (
  service_point_id BIGINT NOT NULL COMMENT 'service_points.id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  last_seen_at DATETIME(3) NOT NULL COMMENT 'the person''s latest record at the point (scanned_at)',
  PRIMARY KEY (service_point_id, person_id),
  KEY idx_crowd_presence_point_seen (service_point_id, last_seen_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='each person''s latest record at each crowd-counted service point: the crowd count''s working set';
