-- 007: 数据上报 / 数据接收 (issue 8: D7): the file's checksum, the receiver's first download, why a generation failed, and the filters used.

ALTER TABLE data_reports
  MODIFY COLUMN status VARCHAR(10) NOT NULL COMMENT 'generating | delivered | failed',
  ADD COLUMN checksum CHAR(64) NULL COMMENT 'SHA-256 (hex) of the delivered file, checked before every download',
  ADD COLUMN read_at DATETIME(3) NULL COMMENT 'when the receiving department first downloaded it (已读)',
  ADD COLUMN failure_reason VARCHAR(200) NULL COMMENT 'why generation failed (status failed)',
  ADD COLUMN filter TEXT NULL COMMENT 'JSON of the filters: servicePointIds, colour, temperature';
