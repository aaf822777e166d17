-- 015: when a data report was delivered (D7, 数据接收's 送达时间): until now the list showed when its
-- generation started. Reports delivered before this migration take their last change as the time.

ALTER TABLE data_reports
  ADD COLUMN delivered_at DATETIME(3) NULL COMMENT 'when its whole file and checksum were written (已送达)' AFTER read_at;

UPDATE data_reports SET delivered_at = updated_at WHERE status = 'delivered';
