// Sequelize models. On SQLite the tables are created from these; on MySQL/MariaDB the numbered files
// in sql/ are the schema, and server/test/db/schema.test.ts proves the two agree column by column.
// Attributes are camelCase, columns snake_case (underscored). No JSON columns: MariaDB and MySQL
// disagree on them; structured values are TEXT holding JSON.
import { DataTypes, Model, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';

/** cache_versions.name of the area levels (sql/013) */
export const CACHE_AREA_LEVELS = 'area_levels';
/** cache_versions.name of the staff sessions as the scan reads them (sql/016; staffService.ts) */
export const CACHE_STAFF_SESSIONS = 'staff_sessions';
/** A cached datum's version as a subquery, for a hot statement to carry as a column. */
export const cacheVersionSql = (name: typeof CACHE_AREA_LEVELS | typeof CACHE_STAFF_SESSIONS) => `(SELECT version FROM cache_versions WHERE name = '${name}')`;

const { BIGINT, INTEGER, STRING, CHAR, TEXT, DATE, DATEONLY, BOOLEAN, DECIMAL } = DataTypes;
// Functions, not shared objects: Sequelize writes the column name into the attribute object it is given.
const id = () => ({ type: BIGINT, primaryKey: true, autoIncrement: true });
const personRef = () => ({ type: BIGINT, allowNull: false });
const TIME = (allowNull = false) => ({ type: DATE(3), allowNull });

export interface PersonRow {
  id: number;
  idType: string;
  idHash: string;
  idNumberEnc: string;
  idMasked: string;
  country: string | null;
  name: string | null;
  birthDate: string | null;
  phoneHash: string | null;
  phoneEnc: string | null;
  residenceArea: string | null;
  residenceAddress: string | null;
  codeNumber: string | null;
  codeArea: string | null;
  codeGeneratedAt: Date | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface HealthStatusRow {
  personId: number;
  colour: string;
  reasons: string;
  greenFrom: string | null;
  reviewOn: string | null;
  computedAt: Date;
}

type M<T extends object = any> = ModelStatic<Model<T, Partial<T>>>;

export interface Models {
  Area: M;
  AreaLevel: M;
  CacheVersion: M;
  Person: M<PersonRow>;
  FamilyBinding: M;
  HealthStatus: M<HealthStatusRow>;
  Case: M;
  CloseContact: M;
  Arrival: M;
  ClosedCommunity: M;
  CommunityResident: M;
  FeverClinicVisit: M;
  FeverDrugPurchase: M;
  NucleicAcidTest: M;
  Organisation: M;
  Account: M;
  Employee: M;
  ServicePoint: M;
  ScanRecord: M;
  CrowdFlowSetting: M;
  HealthReport: M;
  Message: M;
  DataReport: M;
  DataReportSchedule: M;
  ArrivalDeclaration: M;
  HostTicketUse: M;
  CitizenUserHost: M;
  OriginPass: M;
  Correction: M;
  StatusOverride: M;
  DailyStat: M;
  AuditLog: M;
  CodeRevocation: M;
  CodeCard: M;
  JobRun: M;
  CitizenUser: M;
  AppSession: M;
  AccountSession: M;
  ServicePointStaff: M;
  CrowdFlowState: M;
  CrowdPresence: M;
  ActivationCode: M;
  ConsoleSession: M;
  CaChallenge: M;
  EnterpriseAssociation: M;
  ImportJob: M;
  ScanPoint: M;
  RateLimit: M;
  SmsCode: M;
  L4Check: M;
}

export function defineModels(sequelize: Sequelize): Models {
  const opts = (tableName: string, indexes: { name: string; unique?: boolean; fields: string[] }[] = [], timestamps = true) => ({
    tableName,
    underscored: true,
    timestamps,
    indexes,
  });

  const Area = sequelize.define(
    'Area',
    {
      code: { type: CHAR(6), primaryKey: true },
      name: { type: STRING(50), allowNull: false },
      level: { type: STRING(10), allowNull: false },
      parentCode: { type: CHAR(6), allowNull: true },
    },
    opts('areas', [{ name: 'idx_areas_parent', fields: ['parent_code'] }], false),
  );

  const AreaLevel = sequelize.define(
    'AreaLevel',
    {
      id: id(),
      areaCode: { type: CHAR(6), allowNull: false },
      effectiveFrom: { type: DATEONLY, allowNull: false },
      level: { type: STRING(16), allowNull: false },
      policy: { type: TEXT, allowNull: true },
    },
    opts('area_levels', [{ name: 'uk_area_levels_area_day', unique: true, fields: ['area_code', 'effective_from'] }]),
  );

  // versions of cached reference data (sql/013; server/src/services/areaLevelCache.ts)
  const CacheVersion = sequelize.define(
    'CacheVersion',
    {
      name: { type: STRING(40), primaryKey: true },
      version: { type: BIGINT, allowNull: false },
    },
    opts('cache_versions', [], false),
  );
  // Cached data is versioned (area levels, staff sessions): any write through the models bumps its version in
  // the writing transaction (the source import's bulk upsert included), so no instance's cache outlives a
  // change. Writes by hand-written SQL bypass these hooks: none touches the cached columns (grep the tables).
  const bump = async (name: string, options?: { transaction?: Transaction | null }) => {
    const transaction = options?.transaction ?? undefined;
    const [n] = await CacheVersion.update({ version: sequelize.literal('version + 1') }, { where: { name }, transaction });
    if (n === 0) await CacheVersion.create({ name, version: 1 }, { transaction });
  };
  const bumpAreaLevels = (options?: { transaction?: Transaction | null }) => bump(CACHE_AREA_LEVELS, options);
  type HookOptions = { transaction?: Transaction | null; fields?: readonly PropertyKey[] };
  AreaLevel.addHook('afterCreate', (_m: unknown, o: HookOptions) => bumpAreaLevels(o));
  AreaLevel.addHook('afterUpdate', (_m: unknown, o: HookOptions) => bumpAreaLevels(o));
  AreaLevel.addHook('afterDestroy', (_m: unknown, o: HookOptions) => bumpAreaLevels(o));
  AreaLevel.addHook('afterUpsert', (_m: unknown, o: HookOptions) => bumpAreaLevels(o));
  AreaLevel.addHook('afterBulkCreate', (_m: unknown, o: HookOptions) => bumpAreaLevels(o));
  AreaLevel.addHook('afterBulkUpdate', (o: HookOptions) => bumpAreaLevels(o));
  AreaLevel.addHook('afterBulkDestroy', (o: HookOptions) => bumpAreaLevels(o));

  const Person = sequelize.define<Model<PersonRow, Partial<PersonRow>>>(
    'Person',
    {
      id: id(),
      idType: { type: STRING(20), allowNull: false },
      idHash: { type: CHAR(64), allowNull: false },
      idNumberEnc: { type: STRING(255), allowNull: false },
      idMasked: { type: STRING(32), allowNull: false },
      country: { type: CHAR(3), allowNull: true },
      name: { type: STRING(50), allowNull: true },
      birthDate: { type: DATEONLY, allowNull: true },
      phoneHash: { type: CHAR(64), allowNull: true },
      phoneEnc: { type: STRING(255), allowNull: true },
      residenceArea: { type: CHAR(6), allowNull: true },
      residenceAddress: { type: STRING(200), allowNull: true },
      codeNumber: { type: CHAR(12), allowNull: true },
      codeArea: { type: CHAR(6), allowNull: true },
      codeGeneratedAt: TIME(true),
    },
    opts('people', [
      { name: 'uk_people_id_hash', unique: true, fields: ['id_hash'] },
      { name: 'uk_people_code_number', unique: true, fields: ['code_number'] },
      { name: 'idx_people_phone_hash', fields: ['phone_hash'] },
    ]),
  );

  const FamilyBinding = sequelize.define(
    'FamilyBinding',
    {
      id: id(),
      applicantPersonId: personRef(),
      memberPersonId: personRef(),
      relation: { type: STRING(20), allowNull: false },
      healthAnswers: { type: TEXT, allowNull: true },
      answeredAt: TIME(true),
    },
    opts('family_bindings', [
      { name: 'uk_family_bindings_member', unique: true, fields: ['member_person_id'] },
      { name: 'idx_family_bindings_applicant', fields: ['applicant_person_id'] },
    ]),
  );

  const HealthStatus = sequelize.define<Model<HealthStatusRow, Partial<HealthStatusRow>>>(
    'HealthStatus',
    {
      personId: { type: BIGINT, primaryKey: true },
      colour: { type: STRING(10), allowNull: false },
      reasons: { type: STRING(200), allowNull: false, defaultValue: '' },
      greenFrom: { type: DATEONLY, allowNull: true },
      reviewOn: { type: DATEONLY, allowNull: true },
      computedAt: TIME(),
    },
    opts('health_statuses', [{ name: 'idx_health_statuses_review_on', fields: ['review_on'] }], false),
  );

  const Case = sequelize.define(
    'Case',
    { id: id(), personId: personRef(), status: { type: STRING(16), allowNull: false }, reportedAt: TIME() },
    opts('src_cases', [{ name: 'uk_src_cases_person_time', unique: true, fields: ['person_id', 'reported_at'] }]),
  );

  const CloseContact = sequelize.define(
    'CloseContact',
    { id: id(), personId: personRef(), identifiedAt: TIME(), releasedAt: TIME(true) },
    opts('src_close_contacts', [{ name: 'uk_src_close_contacts_person_time', unique: true, fields: ['person_id', 'identified_at'] }]),
  );

  const Arrival = sequelize.define(
    'Arrival',
    { id: id(), personId: personRef(), fromArea: { type: STRING(200), allowNull: false }, arrivedAt: TIME() },
    opts('src_arrivals', [{ name: 'uk_src_arrivals_person_time', unique: true, fields: ['person_id', 'arrived_at'] }]),
  );

  const ClosedCommunity = sequelize.define(
    'ClosedCommunity',
    {
      id: id(),
      communityCode: { type: CHAR(12), allowNull: false },
      communityName: { type: STRING(200), allowNull: true },
      areaCode: { type: CHAR(6), allowNull: false },
      closedFrom: TIME(),
      closedUntil: TIME(true),
    },
    opts('src_closed_communities', [{ name: 'uk_src_closed_communities_code', unique: true, fields: ['community_code'] }]),
  );

  const CommunityResident = sequelize.define(
    'CommunityResident',
    { id: id(), personId: personRef(), communityCode: { type: CHAR(12), allowNull: false } },
    opts('src_community_residents', [
      { name: 'uk_src_community_residents_person_community', unique: true, fields: ['person_id', 'community_code'] },
      { name: 'idx_src_community_residents_community', fields: ['community_code'] },
    ]),
  );

  const FeverClinicVisit = sequelize.define(
    'FeverClinicVisit',
    { id: id(), personId: personRef(), hospital: { type: STRING(200), allowNull: false }, visitedAt: TIME() },
    opts('src_fever_clinic_visits', [
      { name: 'uk_src_fever_clinic_visits_key', unique: true, fields: ['person_id', 'hospital', 'visited_at'] },
    ]),
  );

  const FeverDrugPurchase = sequelize.define(
    'FeverDrugPurchase',
    {
      id: id(),
      personId: personRef(),
      pharmacy: { type: STRING(200), allowNull: false },
      drug: { type: STRING(200), allowNull: false },
      purchasedAt: TIME(),
    },
    opts('src_fever_drug_purchases', [
      { name: 'uk_src_fever_drug_purchases_key', unique: true, fields: ['person_id', 'pharmacy', 'drug', 'purchased_at'] },
    ]),
  );

  const NucleicAcidTest = sequelize.define(
    'NucleicAcidTest',
    {
      id: id(),
      personId: personRef(),
      institution: { type: STRING(200), allowNull: false },
      sampledAt: TIME(),
      result: { type: STRING(10), allowNull: false },
    },
    opts('src_nucleic_acid_tests', [
      { name: 'uk_src_nucleic_acid_tests_key', unique: true, fields: ['person_id', 'institution', 'sampled_at'] },
    ]),
  );

  const Organisation = sequelize.define(
    'Organisation',
    {
      id: id(),
      kind: { type: STRING(20), allowNull: false },
      name: { type: STRING(200), allowNull: false },
      creditCode: { type: CHAR(18), allowNull: true },
      areaCode: { type: CHAR(6), allowNull: true },
      parentId: { type: BIGINT, allowNull: true },
      legalRepName: { type: STRING(50), allowNull: true },
      legalRepPhoneEnc: { type: STRING(255), allowNull: true },
      legalPersonType: { type: STRING(30), allowNull: true },
      licenceNumber: { type: STRING(64), allowNull: true },
      legalRepIdType: { type: STRING(20), allowNull: true },
      legalRepCountry: { type: CHAR(3), allowNull: true },
      legalRepIdHash: { type: CHAR(64), allowNull: true },
      legalRepIdEnc: { type: STRING(255), allowNull: true },
      agentName: { type: STRING(50), allowNull: true },
      agentPhoneEnc: { type: STRING(255), allowNull: true },
      agentIdHash: { type: CHAR(64), allowNull: true },
      agentIdEnc: { type: STRING(255), allowNull: true },
    },
    opts('organisations', [
      { name: 'uk_organisations_credit_code', unique: true, fields: ['credit_code'] },
      { name: 'idx_organisations_parent', fields: ['parent_id'] },
      { name: 'idx_organisations_legal_rep_id', fields: ['legal_rep_id_hash'] },
      { name: 'idx_organisations_agent_id', fields: ['agent_id_hash'] },
    ]),
  );

  const Account = sequelize.define(
    'Account',
    {
      id: id(),
      organisationId: { type: BIGINT, allowNull: false },
      kind: { type: STRING(10), allowNull: false },
      loginName: { type: STRING(64), allowNull: true },
      phoneHash: { type: CHAR(64), allowNull: true },
      phoneEnc: { type: STRING(255), allowNull: true },
      displayName: { type: STRING(50), allowNull: true },
      passwordHash: { type: STRING(255), allowNull: false },
      mustChangePassword: { type: BOOLEAN, allowNull: false, defaultValue: true },
      authorised: { type: BOOLEAN, allowNull: false, defaultValue: false },
      disabled: { type: BOOLEAN, allowNull: false, defaultValue: false },
      failedLogins: { type: INTEGER, allowNull: false, defaultValue: 0 },
      lockedUntil: TIME(true),
    },
    opts('accounts', [
      { name: 'uk_accounts_login_name', unique: true, fields: ['login_name'] },
      { name: 'uk_accounts_phone_hash', unique: true, fields: ['phone_hash'] },
      { name: 'idx_accounts_organisation', fields: ['organisation_id'] },
    ]),
  );

  const Employee = sequelize.define(
    'Employee',
    {
      id: id(),
      organisationId: { type: BIGINT, allowNull: false },
      name: { type: STRING(50), allowNull: false },
      idType: { type: STRING(20), allowNull: false },
      idHash: { type: CHAR(64), allowNull: false },
      idNumberEnc: { type: STRING(255), allowNull: false },
      idMasked: { type: STRING(32), allowNull: false },
      phoneHash: { type: CHAR(64), allowNull: true },
      phoneEnc: { type: STRING(255), allowNull: true },
      phoneMasked: { type: STRING(16), allowNull: true },
      department: { type: STRING(100), allowNull: true },
    },
    opts('employees', [
      { name: 'uk_employees_org_id_hash', unique: true, fields: ['organisation_id', 'id_hash'] },
      { name: 'idx_employees_id_hash', fields: ['id_hash'] },
    ]),
  );

  const ServicePoint = sequelize.define(
    'ServicePoint',
    {
      id: id(),
      organisationId: { type: BIGINT, allowNull: false },
      name: { type: STRING(100), allowNull: false },
      areaCode: { type: CHAR(6), allowNull: false },
      address: { type: STRING(200), allowNull: true },
      type: { type: STRING(20), allowNull: false, defaultValue: 'other' },
      posterIssuedAt: TIME(true),
    },
    opts('service_points', [{ name: 'idx_service_points_organisation', fields: ['organisation_id'] }]),
  );

  const ScanRecord = sequelize.define(
    'ScanRecord',
    {
      id: id(),
      organisationId: { type: BIGINT, allowNull: false },
      servicePointId: { type: BIGINT, allowNull: true },
      personId: personRef(),
      scannerAccountId: { type: BIGINT, allowNull: true },
      mode: { type: STRING(10), allowNull: false },
      method: { type: STRING(10), allowNull: false },
      colour: { type: STRING(10), allowNull: false },
      areaCode: { type: CHAR(6), allowNull: false },
      location: { type: STRING(200), allowNull: true },
      temperatureResult: { type: STRING(20), allowNull: true },
      passReason: { type: STRING(50), allowNull: true },
      scannedAt: TIME(),
      scanPointName: { type: STRING(200), allowNull: true },
      temperatureTenths: { type: INTEGER, allowNull: true },
      feedbackAt: TIME(true),
      codeSource: { type: STRING(10), allowNull: false, defaultValue: 'bamin' }, // bamin | national
      originProvince: { type: CHAR(6), allowNull: true },
      originColour: { type: STRING(10), allowNull: true },
    },
    opts('scan_records', [
      { name: 'idx_scan_records_org_time', fields: ['organisation_id', 'scanned_at'] },
      { name: 'idx_scan_records_person_time', fields: ['person_id', 'scanned_at'] },
      { name: 'idx_scan_records_point_time_person', fields: ['service_point_id', 'scanned_at', 'person_id'] },
      { name: 'idx_scan_records_scanner_time', fields: ['scanner_account_id', 'scanned_at'] },
    ]),
  );

  const CrowdFlowSetting = sequelize.define(
    'CrowdFlowSetting',
    {
      id: id(),
      servicePointId: { type: BIGINT, allowNull: false },
      capacity: { type: INTEGER, allowNull: false },
      warningLine: { type: INTEGER, allowNull: false },
      windowMinutes: { type: INTEGER, allowNull: false },
    },
    opts('crowd_flow_settings', [{ name: 'uk_crowd_flow_settings_point', unique: true, fields: ['service_point_id'] }]),
  );

  const HealthReport = sequelize.define(
    'HealthReport',
    {
      id: id(),
      personId: personRef(),
      reporterPersonId: { type: BIGINT, allowNull: true },
      reportType: { type: STRING(10), allowNull: false },
      // tenths of a degree Celsius (365 = 36.5 °C): an integer reads the same on every dialect
      temperatureTenths: { type: INTEGER, allowNull: true },
      symptoms: { type: STRING(100), allowNull: false },
      areaCode: { type: CHAR(6), allowNull: true },
      location: { type: STRING(200), allowNull: true },
      reportedAt: TIME(),
      otherSymptom: { type: STRING(100), allowNull: true },
      scanRecordId: { type: BIGINT, allowNull: true },
    },
    opts('health_reports', [{ name: 'idx_health_reports_person_time', fields: ['person_id', 'reported_at'] }]),
  );

  const Message = sequelize.define(
    'Message',
    {
      id: id(),
      personId: personRef(),
      kind: { type: STRING(20), allowNull: false },
      title: { type: STRING(100), allowNull: false },
      body: { type: TEXT, allowNull: false },
      senderOrganisationId: { type: BIGINT, allowNull: true },
      readAt: TIME(true),
    },
    opts('messages', [{ name: 'idx_messages_person_time', fields: ['person_id', 'created_at'] }]),
  );

  const DataReport = sequelize.define(
    'DataReport',
    {
      id: id(),
      fromOrganisationId: { type: BIGINT, allowNull: false },
      toOrganisationId: { type: BIGINT, allowNull: false },
      rangeFrom: TIME(),
      rangeTo: TIME(),
      status: { type: STRING(10), allowNull: false }, // generating | delivered | failed
      rowCount: { type: INTEGER, allowNull: true },
      fileName: { type: STRING(200), allowNull: true },
      filePath: { type: STRING(255), allowNull: true },
      checksum: { type: CHAR(64), allowNull: true },
      readAt: TIME(true),
      deliveredAt: TIME(true),
      failureReason: { type: STRING(200), allowNull: true },
      filter: { type: TEXT, allowNull: true },
      origin: { type: STRING(10), allowNull: false, defaultValue: 'manual' }, // manual | daily | weekly
      scheduleId: { type: BIGINT, allowNull: true },
      periodKey: { type: STRING(16), allowNull: true },
      attempts: { type: INTEGER, allowNull: false, defaultValue: 1 },
      heartbeatAt: TIME(true),
    },
    opts('data_reports', [
      { name: 'idx_data_reports_to', fields: ['to_organisation_id', 'created_at'] },
      { name: 'idx_data_reports_from', fields: ['from_organisation_id', 'created_at'] },
      { name: 'uk_data_reports_schedule_period', unique: true, fields: ['schedule_id', 'period_key'] },
    ]),
  );

  const DataReportSchedule = sequelize.define(
    'DataReportSchedule',
    {
      id: id(),
      organisationId: { type: BIGINT, allowNull: false },
      toOrganisationId: { type: BIGINT, allowNull: false },
      frequency: { type: STRING(10), allowNull: false }, // daily | weekly
      filter: { type: TEXT, allowNull: true },
      enabled: { type: BOOLEAN, allowNull: false, defaultValue: true },
      activeSince: TIME(),
      createdByAccountId: { type: BIGINT, allowNull: true },
    },
    opts('data_report_schedules', [
      { name: 'idx_data_report_schedules_org', fields: ['organisation_id'] },
      { name: 'idx_data_report_schedules_enabled', fields: ['enabled'] },
    ]),
  );

  const DailyStat = sequelize.define(
    'DailyStat',
    {
      id: id(),
      organisationId: { type: BIGINT, allowNull: false },
      day: { type: DATEONLY, allowNull: false },
      employees: { type: INTEGER, allowNull: false },
      reportedEmployees: { type: INTEGER, allowNull: false },
      reports: { type: INTEGER, allowNull: false },
    },
    opts('daily_stats', [{ name: 'uk_daily_stats_org_day', unique: true, fields: ['organisation_id', 'day'] }]),
  );

  const AuditLog = sequelize.define(
    'AuditLog',
    {
      id: id(),
      at: TIME(),
      actorKind: { type: STRING(20), allowNull: false },
      actorId: { type: STRING(64), allowNull: true },
      action: { type: STRING(64), allowNull: false },
      subjectKind: { type: STRING(20), allowNull: true },
      subjectId: { type: STRING(64), allowNull: true },
      outcome: { type: STRING(20), allowNull: false },
      requestId: { type: STRING(64), allowNull: true },
      detail: { type: TEXT, allowNull: true },
      route: { type: STRING(120), allowNull: true },
      organisationId: { type: BIGINT, allowNull: true },
      subjectHash: { type: CHAR(64), allowNull: true },
    },
    opts(
      'audit_log',
      [
        { name: 'idx_audit_log_subject', fields: ['subject_kind', 'subject_id'] },
        { name: 'idx_audit_log_at', fields: ['at'] },
        { name: 'idx_audit_log_org_at', fields: ['organisation_id', 'at'] },
        { name: 'idx_audit_log_subject_hash', fields: ['subject_hash'] },
      ],
      false,
    ),
  );
  // Append-only through the application: entries are written, never changed or removed (the retention purge
  // deletes old ones with its own SQL, services/retentionService.ts).
  const appendOnly = () => {
    throw new Error('audit_log is append-only');
  };
  AuditLog.addHook('beforeUpdate', appendOnly);
  AuditLog.addHook('beforeBulkUpdate', appendOnly);
  AuditLog.addHook('beforeDestroy', appendOnly);
  AuditLog.addHook('beforeBulkDestroy', appendOnly);
  AuditLog.addHook('beforeUpsert', appendOnly);

  const CodeRevocation = sequelize.define(
    'CodeRevocation',
    {
      id: id(),
      kind: { type: STRING(10), allowNull: false },
      subject: { type: STRING(20), allowNull: false },
      revokedBefore: TIME(),
      reason: { type: STRING(200), allowNull: true },
    },
    opts('code_revocations', [{ name: 'uk_code_revocations_kind_subject', unique: true, fields: ['kind', 'subject'] }]),
  );

  const CodeCard = sequelize.define(
    'CodeCard',
    {
      id: id(),
      personId: personRef(),
      codeNumber: { type: CHAR(12), allowNull: false },
      keyId: { type: CHAR(8), allowNull: false },
      issuedByUserId: { type: BIGINT, allowNull: false },
      issuedAt: TIME(),
      expiresAt: TIME(),
      revokedAt: TIME(true),
      revokeReason: { type: STRING(100), allowNull: true },
    },
    opts('code_cards', [
      { name: 'uk_code_cards_person_issued', unique: true, fields: ['person_id', 'issued_at'] },
      { name: 'idx_code_cards_issued_by', fields: ['issued_by_user_id'] },
    ]),
  );

  const JobRun = sequelize.define(
    'JobRun',
    {
      id: id(),
      jobName: { type: STRING(64), allowNull: false },
      runKey: { type: STRING(64), allowNull: false },
      instance: { type: STRING(100), allowNull: false },
      startedAt: TIME(),
      finishedAt: TIME(true),
      result: { type: TEXT, allowNull: true },
    },
    opts('job_runs', [{ name: 'uk_job_runs_name_key', unique: true, fields: ['job_name', 'run_key'] }], false),
  );

  const CitizenUser = sequelize.define(
    'CitizenUser',
    {
      id: id(),
      phoneHash: { type: CHAR(64), allowNull: false },
      phoneEnc: { type: STRING(255), allowNull: false },
      phoneMasked: { type: STRING(16), allowNull: false },
      personId: { type: BIGINT, allowNull: true },
      l4VerifiedAt: TIME(true),
      l4Provider: { type: STRING(40), allowNull: true },
    },
    opts('citizen_users', [
      { name: 'uk_citizen_users_phone_hash', unique: true, fields: ['phone_hash'] },
      { name: 'uk_citizen_users_person', unique: true, fields: ['person_id'] },
    ]),
  );

  const AppSession = sequelize.define(
    'AppSession',
    {
      id: id(),
      tokenHash: { type: CHAR(64), allowNull: false },
      citizenUserId: { type: BIGINT, allowNull: false },
      expiresAt: TIME(),
      revokedAt: TIME(true),
    },
    opts('app_sessions', [
      { name: 'uk_app_sessions_token', unique: true, fields: ['token_hash'] },
      { name: 'idx_app_sessions_user', fields: ['citizen_user_id'] },
    ]),
  );

  const SmsCode = sequelize.define(
    'SmsCode',
    {
      id: id(),
      phoneHash: { type: CHAR(64), allowNull: false },
      purpose: { type: STRING(20), allowNull: false },
      codeHash: { type: CHAR(64), allowNull: false },
      expiresAt: TIME(),
      attempts: { type: INTEGER, allowNull: false, defaultValue: 0 },
      consumedAt: TIME(true),
    },
    opts('sms_codes', [{ name: 'idx_sms_codes_phone', fields: ['phone_hash', 'purpose', 'created_at'] }]),
  );

  const L4Check = sequelize.define(
    'L4Check',
    {
      id: id(),
      checkId: { type: CHAR(32), allowNull: false },
      citizenUserId: { type: BIGINT, allowNull: false },
      idType: { type: STRING(20), allowNull: false },
      idHash: { type: CHAR(64), allowNull: false },
      idNumberEnc: { type: STRING(255), allowNull: false },
      country: { type: CHAR(3), allowNull: true },
      name: { type: STRING(50), allowNull: false },
      birthDate: { type: DATEONLY, allowNull: true },
      provider: { type: STRING(40), allowNull: false },
      providerRef: { type: STRING(100), allowNull: false },
      status: { type: STRING(10), allowNull: false },
      expiresAt: TIME(),
    },
    opts('l4_checks', [{ name: 'uk_l4_checks_check_id', unique: true, fields: ['check_id'] }]),
  );

  const AccountSession = sequelize.define(
    'AccountSession',
    {
      id: id(),
      tokenHash: { type: CHAR(64), allowNull: false },
      accountId: { type: BIGINT, allowNull: false },
      channel: { type: STRING(10), allowNull: false },
      expiresAt: TIME(),
      revokedAt: TIME(true),
    },
    opts('account_sessions', [
      { name: 'uk_account_sessions_token', unique: true, fields: ['token_hash'] },
      { name: 'idx_account_sessions_account', fields: ['account_id'] },
    ]),
  );

  const ScanPoint = sequelize.define(
    'ScanPoint',
    {
      id: id(),
      accountId: { type: BIGINT, allowNull: false },
      organisationId: { type: BIGINT, allowNull: false },
      communityName: { type: STRING(100), allowNull: false },
      pointName: { type: STRING(100), allowNull: false },
      areaCode: { type: CHAR(6), allowNull: false },
      location: { type: STRING(200), allowNull: false },
      latitude: { type: DECIMAL(9, 6), allowNull: true },
      longitude: { type: DECIMAL(9, 6), allowNull: true },
      servicePointId: { type: BIGINT, allowNull: true },
    },
    opts('scan_points', [{ name: 'uk_scan_points_account', unique: true, fields: ['account_id'] }]),
  );

  const RateLimit = sequelize.define(
    'RateLimit',
    {
      id: id(),
      bucket: { type: STRING(100), allowNull: false },
      windowStart: { type: DATE, allowNull: false },
      hits: { type: INTEGER, allowNull: false, defaultValue: 0 },
    },
    opts('rate_limits', [{ name: 'uk_rate_limits_bucket_window', unique: true, fields: ['bucket', 'window_start'] }]),
  );

  const ActivationCode = sequelize.define(
    'ActivationCode',
    {
      id: id(),
      codeHash: { type: CHAR(64), allowNull: false },
      unitName: { type: STRING(200), allowNull: false },
      creditCode: { type: CHAR(18), allowNull: false },
      areaCode: { type: CHAR(6), allowNull: false },
      issuedByAccountId: { type: BIGINT, allowNull: false },
      expiresAt: TIME(),
      usedAt: TIME(true),
      usedByOrganisationId: { type: BIGINT, allowNull: true },
    },
    opts('activation_codes', [
      { name: 'uk_activation_codes_code', unique: true, fields: ['code_hash'] },
      { name: 'idx_activation_codes_credit_code', fields: ['credit_code'] },
    ]),
  );

  const ConsoleSession = sequelize.define(
    'ConsoleSession',
    {
      id: id(),
      tokenHash: { type: CHAR(64), allowNull: false },
      authMethod: { type: STRING(10), allowNull: false },
      accountId: { type: BIGINT, allowNull: true },
      citizenUserId: { type: BIGINT, allowNull: true },
      organisationId: { type: BIGINT, allowNull: true },
      caSerial: { type: STRING(64), allowNull: true },
      expiresAt: TIME(),
      revokedAt: TIME(true),
    },
    opts('console_sessions', [
      { name: 'uk_console_sessions_token', unique: true, fields: ['token_hash'] },
      { name: 'idx_console_sessions_account', fields: ['account_id'] },
    ]),
  );

  const CaChallenge = sequelize.define(
    'CaChallenge',
    {
      id: id(),
      challengeId: { type: CHAR(32), allowNull: false },
      challenge: { type: CHAR(43), allowNull: false },
      expiresAt: TIME(),
      usedAt: TIME(true),
    },
    opts('ca_challenges', [{ name: 'uk_ca_challenges_challenge_id', unique: true, fields: ['challenge_id'] }]),
  );

  const EnterpriseAssociation = sequelize.define(
    'EnterpriseAssociation',
    {
      id: id(),
      citizenUserId: { type: BIGINT, allowNull: false },
      organisationId: { type: BIGINT, allowNull: false },
      role: { type: STRING(20), allowNull: false },
    },
    opts('enterprise_associations', [{ name: 'uk_enterprise_associations_user_org', unique: true, fields: ['citizen_user_id', 'organisation_id'] }]),
  );

  const ImportJob = sequelize.define(
    'ImportJob',
    {
      id: id(),
      jobId: { type: CHAR(32), allowNull: false },
      organisationId: { type: BIGINT, allowNull: false },
      kind: { type: STRING(20), allowNull: false },
      status: { type: STRING(10), allowNull: false },
      total: { type: INTEGER, allowNull: true },
      processed: { type: INTEGER, allowNull: false, defaultValue: 0 },
      inserted: { type: INTEGER, allowNull: true },
      // MEDIUMTEXT on MySQL (an error list of 10,000 rows exceeds TEXT); SQLite has one TEXT type
      errors: { type: sequelize.getDialect() === 'mysql' ? TEXT('medium') : TEXT, allowNull: true },
      createdByAccountId: { type: BIGINT, allowNull: true },
      finishedAt: TIME(true),
    },
    opts('import_jobs', [
      { name: 'uk_import_jobs_job_id', unique: true, fields: ['job_id'] },
      { name: 'idx_import_jobs_organisation', fields: ['organisation_id'] },
    ]),
  );

  const ServicePointStaff = sequelize.define(
    'ServicePointStaff',
    {
      id: id(),
      servicePointId: { type: BIGINT, allowNull: false },
      employeeId: { type: BIGINT, allowNull: false },
    },
    opts('service_point_staff', [{ name: 'uk_service_point_staff_point_employee', unique: true, fields: ['service_point_id', 'employee_id'] }]),
  );

  const ArrivalDeclaration = sequelize.define(
    'ArrivalDeclaration',
    {
      id: id(),
      personId: { type: BIGINT, allowNull: false },
      citizenUserId: { type: BIGINT, allowNull: true },
      originProvince: { type: CHAR(6), allowNull: false },
      arrivalDate: { type: DATEONLY, allowNull: false },
    },
    opts('arrival_declarations', [{ name: 'idx_arrival_declarations_person', fields: ['person_id', 'arrival_date'] }]),
  );

  const OriginPass = sequelize.define(
    'OriginPass',
    {
      id: id(),
      personId: { type: BIGINT, allowNull: false },
      status: { type: STRING(12), allowNull: false }, // checked | not_found | unavailable
      passId: { type: STRING(64), allowNull: true },
      provinceCode: { type: CHAR(6), allowNull: true },
      colour: { type: STRING(10), allowNull: true },
      issuedAt: TIME(true),
      expiresAt: TIME(true),
      checkedAt: TIME(true),
      attemptedAt: TIME(),
      failures: { type: INTEGER, allowNull: false, defaultValue: 0 },
      failure: { type: STRING(20), allowNull: true },
      retryAt: TIME(true),
      changedAt: TIME(true),
    },
    opts('origin_passes', [
      { name: 'uk_origin_passes_person', unique: true, fields: ['person_id'] },
      { name: 'idx_origin_passes_retry', fields: ['retry_at'] },
    ]),
  );

  const Correction = sequelize.define(
    'Correction',
    {
      id: id(),
      personId: { type: BIGINT, allowNull: false },
      citizenUserId: { type: BIGINT, allowNull: false },
      kind: { type: STRING(10), allowNull: false },
      reason: { type: STRING(500), allowNull: false },
      status: { type: STRING(16), allowNull: false },
      colourAtFiling: { type: STRING(10), allowNull: false },
      reasonsAtFiling: { type: STRING(200), allowNull: true },
      passId: { type: STRING(64), allowNull: true },
      nationalTicket: { type: STRING(64), allowNull: true },
      forwardAttempts: { type: INTEGER, allowNull: false, defaultValue: 0 },
      retryAt: TIME(true),
      decisionNote: { type: STRING(500), allowNull: true },
      decidedByAccountId: { type: BIGINT, allowNull: true },
      decidedAt: TIME(true),
    },
    opts('corrections', [
      { name: 'idx_corrections_status', fields: ['status', 'created_at'] },
      { name: 'idx_corrections_person', fields: ['person_id', 'created_at'] },
      { name: 'idx_corrections_retry', fields: ['retry_at'] },
    ]),
  );

  const StatusOverride = sequelize.define(
    'StatusOverride',
    {
      id: id(),
      personId: { type: BIGINT, allowNull: false },
      correctionId: { type: BIGINT, allowNull: false },
      acceptedAt: TIME(),
      factsDigest: { type: CHAR(64), allowNull: false },
    },
    opts('status_overrides', [{ name: 'uk_status_overrides_person', unique: true, fields: ['person_id'] }]),
  );

  const HostTicketUse = sequelize.define(
    'HostTicketUse',
    {
      id: id(),
      hostAppId: { type: STRING(64), allowNull: false },
      jti: { type: STRING(64), allowNull: false },
      usedAt: TIME(),
      expiresAt: TIME(),
    },
    opts('host_ticket_uses', [
      { name: 'uk_host_ticket_uses_jti', unique: true, fields: ['host_app_id', 'jti'] },
      { name: 'idx_host_ticket_uses_expires', fields: ['expires_at'] },
    ]),
  );

  const CitizenUserHost = sequelize.define(
    'CitizenUserHost',
    {
      id: id(),
      citizenUserId: { type: BIGINT, allowNull: false },
      hostAppId: { type: STRING(64), allowNull: false },
      hostUserId: { type: STRING(64), allowNull: false },
      lastSignInAt: TIME(),
    },
    opts('citizen_user_hosts', [
      { name: 'uk_citizen_user_hosts_host_user', unique: true, fields: ['host_app_id', 'host_user_id'] },
      { name: 'idx_citizen_user_hosts_user', fields: ['citizen_user_id'] },
    ]),
  );

  const CrowdFlowState = sequelize.define(
    'CrowdFlowState',
    {
      id: id(),
      servicePointId: { type: BIGINT, allowNull: false },
      state: { type: STRING(10), allowNull: false },
      currentCount: { type: INTEGER, allowNull: false },
      changedAt: TIME(),
      // the window start current_count counts presence from, and the window it was counted with (sql/017)
      windowFrom: TIME(true),
      windowMinutes: { type: INTEGER, allowNull: true },
    },
    opts('crowd_flow_states', [{ name: 'uk_crowd_flow_states_point', unique: true, fields: ['service_point_id'] }]),
  );

  // each person's latest record at each crowd-counted point (sql/017; crowdFlowService.ts)
  const CrowdPresence = sequelize.define(
    'CrowdPresence',
    {
      servicePointId: { type: BIGINT, allowNull: false, primaryKey: true },
      personId: { type: BIGINT, allowNull: false, primaryKey: true },
      lastSeenAt: TIME(),
    },
    opts('crowd_presence', [{ name: 'idx_crowd_presence_point_seen', fields: ['service_point_id', 'last_seen_at'] }], false),
  );

  // The staff sessions the scan reads from each instance's cache (staffService.ts): a session's revocation,
  // its account's standing (kind, unit, authorisation, disabled, initial password), its scan point, the crowd
  // setting of the point's service point and the existence of its crowd-state row. A new session needs no
  // bump (its token is in no cache); nor does a sign-in's bookkeeping (failed attempts, lock) or a crowd
  // state's count.
  const bumpStaff = (o?: HookOptions) => bump(CACHE_STAFF_SESSIONS, o);
  const ACCOUNT_CACHED = ['organisationId', 'kind', 'mustChangePassword', 'authorised', 'disabled'];
  const accountChange = (o?: HookOptions) => (!o?.fields || o.fields.some((f) => ACCOUNT_CACHED.includes(String(f))) ? bumpStaff(o) : undefined);
  const everyWrite = (m: ModelStatic<Model>, also: (o?: HookOptions) => Promise<void> | undefined = bumpStaff, creates = true) => {
    if (creates) {
      m.addHook('afterCreate', (_m: unknown, o: HookOptions) => bumpStaff(o));
      m.addHook('afterBulkCreate', (_m: unknown, o: HookOptions) => bumpStaff(o));
      m.addHook('afterUpsert', (_m: unknown, o: HookOptions) => bumpStaff(o));
    }
    m.addHook('afterUpdate', (_m: unknown, o: HookOptions) => also(o));
    m.addHook('afterBulkUpdate', (o: HookOptions) => also(o));
    m.addHook('afterDestroy', (_m: unknown, o: HookOptions) => bumpStaff(o));
    m.addHook('afterBulkDestroy', (o: HookOptions) => bumpStaff(o));
  };
  everyWrite(AccountSession as ModelStatic<Model>, bumpStaff, false);
  everyWrite(Account as ModelStatic<Model>, accountChange, false);
  everyWrite(ScanPoint as ModelStatic<Model>);
  everyWrite(CrowdFlowSetting as ModelStatic<Model>);
  // the state row's existence only: its state and count change with nearly every scan
  everyWrite(CrowdFlowState as ModelStatic<Model>, () => undefined);

  return {
    CacheVersion, ServicePointStaff, CrowdFlowState, CrowdPresence, HostTicketUse, CitizenUserHost, ArrivalDeclaration, OriginPass, Correction, StatusOverride,
    ActivationCode, ConsoleSession, CaChallenge, EnterpriseAssociation, ImportJob,
    AccountSession, ScanPoint, RateLimit,
    CitizenUser, AppSession, SmsCode, L4Check,
    Area, AreaLevel, Person, FamilyBinding, HealthStatus, Case, CloseContact, Arrival, ClosedCommunity,
    CommunityResident, FeverClinicVisit, FeverDrugPurchase, NucleicAcidTest, Organisation, Account,
    Employee, ServicePoint, ScanRecord, CrowdFlowSetting, HealthReport, Message, DataReport, DataReportSchedule, DailyStat,
    AuditLog, CodeRevocation, CodeCard, JobRun,
  } as Models;
}
