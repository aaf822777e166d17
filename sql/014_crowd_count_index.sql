-- 014: a scan's crowd count (D9, issue 12) reads the point's window from one index only: COUNT(DISTINCT person_id)
-- over (service_point_id, scanned_at) looked every row up in the table, which npm run bench found to be most of a
-- scan's database time at a busy point. The new key covers the count and serves every use of the old one.

ALTER TABLE scan_records
  ADD KEY idx_scan_records_point_time_person (service_point_id, scanned_at, person_id),
  DROP KEY idx_scan_records_point_time;
