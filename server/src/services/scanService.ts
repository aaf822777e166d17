// Identifying a person at a checkpoint and feeding back the result (manual 六(二)4 A–F; F3–F6).
// Identification writes the scan record at once (temperature 未反馈), so the unit's console and crowd
// flow see everyone who passed even when the staff member never feeds back.
import {
  addDays,
  ageOn,
  CARD_SCAN_TEXT,
  cardValidityText,
  cardValidUntil,
  checkResidentId,
  COLOUR_TEXT,
  isNationalToken,
  ORIGIN_COLOUR_TEXT,
  type OriginPass,
  maskName,
  NO_FEEDBACK_TEXT,
  PASS_REASON_TEXT,
  RECENT_SCANS_SHOWN,
  SCAN_METHOD_TEXT,
  shanghaiDay,
  TEMPERATURE_RESULT_TEXT,
  type Colour,
  type FeedbackRequest,
  type PassReason,
  type ScanHistoryPage,
  type ScanMethod,
  type ScanRecordView,
  type ScanResult,
  type TemperatureResult,
  type MyScansPage,
} from '@bamin/common';
import { Op } from 'sequelize';
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { AREA_RULE_DAYS, areaWarningText, fourteenDayAreaWarning } from '../domain/areaRule';
import { areaFullName, areaNameBelowProvince, findArea } from '../domain/areas';
import { ApiError } from '../errors';
import { NationalUnavailableError } from '../integrations/nationalPlatform';
import { auditRow, writeAudit, writeAuditRowsHot, type AuditEntry, type AuditRow } from './auditService';
import { readCode, type Actor, type HolderAtScan, type LatestRecords } from './codeService';
import { countScans, ensureCrowdState, type CrowdSetting } from './crowdFlowService';
import { areaLevelsVersion, currentAreaLevels } from './areaLevelCache';
import { resolvePeople } from './peopleService';
import { hitRateLimit } from './rateLimitService';
import { confirmStaffSession, type StaffSession } from './staffService';
import { isDatabaseUnavailable } from '../db/connectionErrors';
import { hotTime, type HotTx } from '../db/hotSql';
import { groupCommit, type GroupCommit } from '../db/groupCommit';
import { currentStatus } from './statusService';

/** ID-card OCR is for people aged 60 or over (60 included), manual 六(二)4 C. */
export const OCR_MIN_AGE = 60;

type D = Pick<Deps, 'db' | 'clock' | 'keyRing' | 'pii' | 'config' | 'ocr' | 'national' | 'logger'>;

export type Identification = { token: string } | { codeNumber: string } | { idCardImage: Buffer };

interface ScanRecordRow {
  id: number;
  organisationId: number;
  servicePointId: number | null;
  personId: number;
  scannerAccountId: number | null;
  method: ScanMethod;
  colour: Colour;
  areaCode: string;
  location: string | null;
  scanPointName: string | null;
  temperatureResult: TemperatureResult | null;
  temperatureTenths: number | null;
  passReason: PassReason | null;
  scannedAt: Date | string;
}

/**
 * `cachedSession` may come from the instance's cache (the route's staffScan guard): it is confirmed before
 * anything is written or answered — by the version in the holder statement on the hot path (a signed code),
 * by reading it again on every other.
 */
export async function identifyPerson(deps: D, cachedSession: StaffSession, input: Identification, requestId?: string): Promise<ScanResult> {
  const hot = 'token' in input && !isNationalToken(input.token);
  let session = hot ? cachedSession : await confirmStaffSession(deps, cachedSession, null);
  const pointOf = (s: StaffSession) => {
    if (!s.point) throw new ApiError('SCAN_POINT_REQUIRED');
    return s.point;
  };
  // a confirmed session without a scan point is refused before any work (a cached one once confirmed, below)
  if (!session.unconfirmed) pointOf(session);
  // the session's account never changes: the actor is known before the confirmation
  const actor: Actor = { kind: 'account', id: String(session.accountId), requestId };

  let personId: number;
  let colour: Colour;
  let method: ScanMethod;
  let tokenTimes: { issuedAt: string | null; expiresAt: string | null } = { issuedAt: null, expiresAt: null };
  let national: NationalScan | null = null;
  let card: ScanResult['card'] = null;
  // a look-up of this system's code is audited in the scan's own transaction, with the record
  let codeAudit: { entry: AuditEntry; holder: HolderAtScan } | null = null;
  let latestRead: Record<string, unknown>[] | undefined;
  if ('token' in input && isNationalToken(input.token)) {
    // 防疫健康信息码 of the national platform (B2): verified online by its 验码 operation
    national = await identifyNationalCode(deps, input.token, actor);
    personId = national.personId;
    const local = (await currentStatus(deps, personId)).colour;
    colour = local === 'green' && national.pass.colour === 'green' ? 'green' : 'orange';
    method = 'camera';
    tokenTimes = { issuedAt: national.issuedAt, expiresAt: national.expiresAt };
  } else if ('idCardImage' in input) {
    personId = await personFromIdCard(deps, input.idCardImage, actor);
    colour = (await currentStatus(deps, personId)).colour;
    method = 'ocr';
  } else {
    if ('codeNumber' in input) await checkTypedLookupRate(deps, session.accountId, input.codeNumber, requestId);
    const read = await readCode(deps, input, LATEST_WITH_HOLDER);
    session = await confirmStaffSession(deps, session, read.ok ? read.holder?.staffSessionsVersion ?? null : null);
    pointOf(session);
    if (!read.ok || read.found.kind === 'point') {
      await writeAudit(deps, { ...auditActor(actor), ...read.audit });
      throw new ApiError(read.ok ? 'TOKEN_WRONG_KIND' : read.error);
    }
    const found = read.found;
    codeAudit = { entry: { ...auditActor(actor), ...read.audit }, holder: read.holder! };
    latestRead = read.latestRows;
    personId = found.personId;
    colour = found.colour;
    method = found.method === 'typed' ? 'typed' : 'camera';
    tokenTimes = { issuedAt: found.tokenIssuedAt, expiresAt: found.tokenExpiresAt };
    // a printed card (H4): the colour above is the current one; the result says it was a card and until when
    if (found.kind === 'card' && found.tokenExpiresAt) {
      card = { expiresAt: found.tokenExpiresAt, validUntil: cardValidUntil(found.tokenExpiresAt), text: `${CARD_SCAN_TEXT} · ${cardValidityText(found.tokenExpiresAt)}` };
    }
  }

  const point = pointOf(session);
  const now = deps.clock.now();
  const today = shanghaiDay(now);
  const person = codeAudit?.holder ?? (await holderById(deps, personId));
  // The areas of the last 14 days and the latest records are read before this scan is written: this scan
  // point's area can never be more severe than itself, and the record itself is known.
  const { visits, latest: previous } = await recentRecords(deps, personId, today, latestRead?.map(fromLatestRow));
  const areaCodes = [...new Set([...visits.map((v) => v.areaCode), point.areaCode, ...(person.codeArea ? [person.codeArea] : [])])];
  const levels = await currentAreaLevels(deps, areaCodes, today, codeAudit ? codeAudit.holder.areaLevelsVersion : await areaLevelsVersion(deps));
  const row: ScanRecordRow = {
    id: 0,
    organisationId: session.organisationId,
    servicePointId: point.servicePointId,
    personId,
    scannerAccountId: session.accountId,
    method,
    colour,
    areaCode: point.areaCode,
    location: point.location,
    scanPointName: `${point.communityName}${point.pointName}`,
    temperatureResult: null,
    temperatureTenths: null,
    passReason: null,
    scannedAt: now,
  };
  if (point.servicePointId && point.crowd && !point.crowdStateExists) await ensureCrowdState(deps, point.servicePointId);
  // The record, its audit entry and the crowd count it changes in one transaction: a database lost in
  // between leaves none of them (H3). Concurrent scans share the transaction (group commit, scanWrites).
  const at = hotTime(deps.db.dialect, now);
  row.id = await scanWrites(deps).submit({
    record: [row.organisationId, row.servicePointId, personId, row.scannerAccountId, method, colour, row.areaCode, row.location, row.scanPointName, at, national ? 'national' : 'bamin', national?.pass.provinceCode ?? null, national?.pass.colour ?? null, at, at],
    audit: codeAudit ? auditRow(deps, codeAudit.entry, codeAudit.holder.idHash) : null,
    // a scan at a service point counts toward its crowd flow (D9)
    crowd: point.servicePointId && point.crowd ? { pointId: point.servicePointId, setting: point.crowd } : null,
  });

  const warning = fourteenDayAreaWarning({
    visits,
    startingArea: person.codeArea,
    scanPointArea: point.areaCode,
    today,
    levelOf: (code) => levels.get(code) ?? null,
  });
  return {
    scanId: row.id,
    method,
    methodText: SCAN_METHOD_TEXT[method],
    scannedAt: now.toISOString(),
    person: {
      nameMasked: person.name ? maskName(person.name) : '—',
      idMasked: person.idMasked,
      residence: person.residenceArea ? areaFullName(person.residenceArea) || null : null,
    },
    colour,
    colourText: COLOUR_TEXT[colour],
    areaWarning: warning
      ? (() => {
          const areaName = areaNameBelowProvince(warning.areaCode);
          return { ...warning, areaName, text: areaWarningText(warning, areaName) };
        })()
      : null,
    recentScans: [row, ...previous].slice(0, RECENT_SCANS_SHOWN).map(toRecordView),
    hasMoreScans: previous.length >= RECENT_SCANS_SHOWN,
    tokenIssuedAt: tokenTimes.issuedAt,
    tokenExpiresAt: tokenTimes.expiresAt,
    national: national
      ? { provinceCode: national.pass.provinceCode, provinceName: national.pass.provinceName, colour: national.pass.colour, colourText: ORIGIN_COLOUR_TEXT[national.pass.colour] }
      : null,
    ...(card ? { card } : {}),
  };
}

/** One scan's writes: its record's INSERT values, its audit entry (made in its request), its crowd count. */
interface ScanWrite {
  record: unknown[];
  audit: AuditRow | null;
  crowd: { pointId: number; setting: CrowdSetting } | null;
}

const INSERT_SCANS = `INSERT INTO scan_records (organisation_id, service_point_id, person_id, scanner_account_id, mode, method, colour, area_code, location, scan_point_name, scanned_at, code_source, origin_province, origin_colour, created_at, updated_at)
  VALUES `;
const SCAN_ROW = `(?, ?, ?, ?, 'passive', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_SCAN = INSERT_SCANS + SCAN_ROW;
/** record[] positions of person_id and scanner_account_id (the read-back check of a multi-row INSERT) */
const RECORD_PERSON = 2;
const RECORD_SCANNER = 3;

/**
 * The step between the ids of one multi-row INSERT's rows on this database, or null where they may not be
 * consecutive. InnoDB gives a multi-row INSERT … VALUES consecutive values (first, first + step, …) when
 * innodb_autoinc_lock_mode is 0 or 1 (MariaDB's default); mode 2 (MySQL 8's default) interleaves the values of
 * concurrent statements, and other MySQL-compatible databases (TiDB) promise nothing — there, and on SQLite
 * (one writer, no round trip to save), one INSERT per record. Read once per process; a read-back that ever
 * finds an id not its record's turns it off for the process (null from then on).
 */
const multiRowSteps = new WeakMap<object, Promise<number | null>>();

function multiRowStep(db: D['db']): Promise<number | null> {
  if (db.dialect !== 'mysql') return Promise.resolve(null);
  let step = multiRowSteps.get(db);
  if (!step) {
    step = db.hot
      .select<{ mode: number | string | null; step: number | string | null }>('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step', [])
      .then(([r]) => (r && r.mode != null && Number(r.mode) <= 1 && Number(r.step) >= 1 ? Number(r.step) : null))
      .catch((e) => {
        // a database without these variables: one INSERT per record; one out of reach: asked again next batch
        if (isDatabaseUnavailable(e)) multiRowSteps.delete(db);
        return null;
      });
    multiRowSteps.set(db, step);
  }
  return step;
}

/** Tests only: this process takes the database to number a multi-row INSERT's rows `step` apart. */
export function assumeMultiRowStep(db: D['db'], step: number): void {
  multiRowSteps.set(db, Promise.resolve(step));
}

/**
 * The batch's records, their ids in order: one multi-row INSERT where ids are consecutive (with three or more
 * records it saves round trips: the INSERT and one read-back instead of one INSERT each), checked by reading
 * the rows back — each id must be its own record (person and scanner). A mismatch fails the batch, which
 * groupCommit then writes one scan at a time, and multi-row INSERTs stop for the process.
 */
async function insertRecords(deps: D, tx: HotTx, jobs: ScanWrite[]): Promise<number[]> {
  const step = jobs.length >= 3 ? await multiRowStep(deps.db) : null;
  if (step == null) {
    const ids: number[] = [];
    for (const j of jobs) ids.push((await tx.run(INSERT_SCAN, j.record)).insertId);
    return ids;
  }
  const r = await tx.run(INSERT_SCANS + jobs.map(() => SCAN_ROW).join(', '), jobs.flatMap((j) => j.record), { unprepared: true });
  const ids = jobs.map((_, i) => r.insertId + i * step);
  // a locking read (of rows this transaction holds already): a plain read here would fix the transaction's
  // snapshot before the crowd count, which must see what other batches committed while it waited (countScans)
  const back = await tx.select<{ id: number | string; personId: number | string; scannerAccountId: number | string | null }>(
    `SELECT id, person_id AS personId, scanner_account_id AS scannerAccountId FROM scan_records WHERE id IN (${ids.map(() => '?').join(', ')}) FOR UPDATE`,
    ids,
    { unprepared: true },
  );
  const byId = new Map(back.map((b) => [Number(b.id), b]));
  const own = jobs.every((j, i) => {
    const b = byId.get(ids[i]);
    return !!b && Number(b.personId) === Number(j.record[RECORD_PERSON]) && Number(b.scannerAccountId) === Number(j.record[RECORD_SCANNER]);
  });
  if (r.affectedRows !== jobs.length || !own) {
    multiRowSteps.set(deps.db, Promise.resolve(null));
    deps.logger.warn({ rows: jobs.length, step }, 'scan ids of a multi-row INSERT were not consecutive: one INSERT per record from now on');
    throw new Error('multi-row INSERT ids not consecutive');
  }
  return ids;
}

/** The scans of one process waiting for, or in, the current transaction (per database: a test has several). */
const scanWriters = new WeakMap<object, GroupCommit<ScanWrite, number>>();

function scanWrites(deps: D): GroupCommit<ScanWrite, number> {
  let w = scanWriters.get(deps.db);
  if (!w) {
    w = groupCommit((jobs: ScanWrite[], committing) =>
      deps.db.hot.transaction(async (tx, transaction) => {
        // each record's id is its scan's answer
        const ids = await insertRecords(deps, tx, jobs);
        await writeAuditRowsHot(deps, tx, jobs.flatMap((j) => (j.audit ? [j.audit] : [])));
        // each point counted once, after all its records
        const points = new Map<number, CrowdSetting>();
        for (const j of jobs) if (j.crowd) points.set(j.crowd.pointId, j.crowd.setting);
        await countScans(deps, tx, points, transaction);
        committing(); // its requests already answered 503 (the database stalled): roll back instead
        return ids;
      }),
      { maxQueue: deps.config.databaseLimits.queueLimit, maxWaitMs: deps.config.databaseLimits.statementTimeoutMs },
    );
    scanWriters.set(deps.db, w);
  }
  return w;
}

async function holderById(deps: Pick<Deps, 'db'>, personId: number): Promise<Pick<HolderAtScan, 'name' | 'idMasked' | 'residenceArea' | 'codeArea'>> {
  const [p] = await deps.db.hot.select<Pick<HolderAtScan, 'name' | 'idMasked' | 'residenceArea' | 'codeArea'>>(
    'SELECT name, id_masked AS idMasked, residence_area AS residenceArea, code_area AS codeArea FROM people WHERE id = ?',
    [personId],
  );
  return p;
}

/** scan_records' columns as ScanRecordRow's fields */
const RECORD_FIELDS: readonly (readonly [column: string, field: keyof ScanRecordRow])[] = [
  ['id', 'id'],
  ['organisation_id', 'organisationId'],
  ['service_point_id', 'servicePointId'],
  ['person_id', 'personId'],
  ['scanner_account_id', 'scannerAccountId'],
  ['method', 'method'],
  ['colour', 'colour'],
  ['area_code', 'areaCode'],
  ['location', 'location'],
  ['scan_point_name', 'scanPointName'],
  ['temperature_result', 'temperatureResult'],
  ['temperature_tenths', 'temperatureTenths'],
  ['pass_reason', 'passReason'],
  ['scanned_at', 'scannedAt'],
];
const RECORD_COLUMNS = RECORD_FIELDS.map(([c, f]) => `${c} AS ${f}`).join(', ');

/** Records read in one statement; a person with more than this many in 14 days has their areas grouped by a second. */
const RECENT_RECORDS_READ = 100;

/** A record field as read with the holder: prefixed `r` so no holder column is shadowed (scannedAt → rScannedAt). */
const withHolder = (field: string) => `r${field[0].toUpperCase()}${field.slice(1)}`;

/** The latest records read with the holder (readCode). */
const LATEST_WITH_HOLDER: LatestRecords = {
  columns: RECORD_FIELDS.map(([c, f]) => `${c} AS ${withHolder(f)}`).join(', '),
  limit: RECENT_RECORDS_READ,
};

function fromLatestRow(r: Record<string, unknown>): ScanRecordRow {
  return Object.fromEntries(RECORD_FIELDS.map(([, f]) => [f, r[withHolder(f)]])) as unknown as ScanRecordRow;
}

/**
 * The person's latest records (the scan result's 最近扫码记录) and their areas of days today−13 … today, newest
 * first; `read`: the rows already read with the holder (a scanned code), else one statement here.
 */
async function recentRecords(deps: Pick<Deps, 'db'>, personId: number, today: string, read?: ScanRecordRow[]) {
  const since = new Date(`${addDays(today, -(AREA_RULE_DAYS - 1))}T00:00:00+08:00`);
  const rows =
    read ??
    (await deps.db.hot.select<ScanRecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM scan_records WHERE person_id = ? ORDER BY scanned_at DESC, id DESC LIMIT ${RECENT_RECORDS_READ}`,
      [personId],
    ));
  const latest = rows.slice(0, RECENT_SCANS_SHOWN);
  const all = rows.length < RECENT_RECORDS_READ || toDate(rows[rows.length - 1].scannedAt) < since;
  const visits = all
    ? rows.map((r) => ({ areaCode: r.areaCode, at: toDate(r.scannedAt) })).filter((v) => v.at >= since)
    : await recentVisits(deps, personId, today);
  return { visits, latest };
}

interface NationalScan {
  personId: number;
  pass: OriginPass;
  issuedAt: string | null;
  expiresAt: string | null;
}

/** 验码 at the national platform; the holder becomes a person of this system (by keyed hash) to record the scan. */
async function identifyNationalCode(deps: D, token: string, actor: Actor): Promise<NationalScan> {
  let res;
  try {
    res = await deps.national.codeVerification(token);
  } catch (e) {
    if (!(e instanceof NationalUnavailableError)) throw e;
    deps.logger.warn({ failure: e.failure }, 'national code verification unavailable');
    throw new ApiError('NATIONAL_UNAVAILABLE');
  }
  if (!res.valid || !res.holder || !res.pass) {
    await writeAudit(deps, { ...auditActor(actor), action: 'code.verify_national', subjectKind: 'person', subjectId: null, outcome: 'refused', detail: { reason: res.reason } });
    throw new ApiError('NATIONAL_CODE_INVALID');
  }
  const checked = checkResidentId(res.holder.idNumber);
  if (!checked.ok) throw new ApiError('NATIONAL_CODE_INVALID');
  const holder = res.holder;
  const ids = await deps.db.sequelize.transaction((transaction) =>
    resolvePeople(deps, [{ idType: 'resident_id', idNumber: checked.normalized, country: null, name: holder.name, birthDate: checked.birthDate }], transaction),
  );
  const personId = [...ids.values()][0];
  await writeAudit(deps, { ...auditActor(actor), action: 'code.verify_national', subjectKind: 'person', subjectId: personId, outcome: 'ok', detail: { province: res.pass.provinceCode } });
  const parts = token.split('.');
  let times: { iat?: number; exp?: number } = {};
  try {
    times = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { iat?: number; exp?: number };
  } catch {
    times = {};
  }
  return {
    personId,
    pass: res.pass,
    issuedAt: typeof times.iat === 'number' ? new Date(times.iat * 1000).toISOString() : null,
    expiresAt: typeof times.exp === 'number' ? new Date(times.exp * 1000).toISOString() : null,
  };
}

/**
 * A typed number bypasses the token's expiry, so typed look-ups are limited per staff account (and every
 * one, refused or not, is audited). Throws 429 RATE_LIMITED past the limit.
 */
export async function checkTypedLookupRate(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  accountId: number,
  codeNumber?: string,
  requestId?: string,
): Promise<void> {
  const { typedLookupLimit: limit, typedLookupWindowSeconds: windowSeconds } = deps.config;
  const rate = await hitRateLimit(deps, `typed:${accountId}`, limit, windowSeconds);
  if (rate.allowed) return;
  await writeAudit(deps, {
    actorKind: 'account',
    actorId: String(accountId),
    action: 'code.lookup_typed',
    subjectKind: 'code',
    subjectId: codeNumber ?? null,
    outcome: 'refused',
    requestId,
    detail: { error: 'RATE_LIMITED' },
  });
  const minutes = Math.ceil(rate.retryAfterSeconds / 60);
  throw new ApiError('RATE_LIMITED', undefined, `人工输入查询过于频繁（每 ${Math.round(windowSeconds / 60)} 分钟最多 ${limit} 次），请 ${minutes} 分钟后再试，或改用扫码`);
}

const auditActor = (a: Actor) => ({ actorKind: a.kind, actorId: a.id, requestId: a.requestId });

/** The person on an ID card photo: read by OCR, check digit and birth date valid, aged 60 or over. */
async function personFromIdCard(deps: D, image: Buffer, actor: Actor): Promise<number> {
  const refuse = async (code: 'OCR_IMAGE_UNREADABLE' | 'OCR_NO_ID_NUMBER' | 'OCR_UNDER_60', subjectId: string | null = null) => {
    await writeAudit(deps, { ...auditActor(actor), action: 'code.lookup_ocr', subjectKind: 'person', subjectId, outcome: 'refused', detail: { error: code } });
    return new ApiError(code);
  };
  const read = await deps.ocr.readIdNumber(image);
  if (!read.ok) throw await refuse(read.reason === 'unreadable_image' ? 'OCR_IMAGE_UNREADABLE' : 'OCR_NO_ID_NUMBER');
  const checked = checkResidentId(read.idNumber);
  if (!checked.ok) throw await refuse('OCR_NO_ID_NUMBER');
  if (ageOn(checked.birthDate, shanghaiDay(deps.clock.now())) < OCR_MIN_AGE) throw await refuse('OCR_UNDER_60');
  // An elder without a phone may never have generated a code: the person is still judged on the source
  // data (a person unknown to every source is green), so the record is created when missing.
  const ids = await deps.db.sequelize.transaction((transaction) =>
    resolvePeople(deps, [{ idType: 'resident_id', idNumber: checked.normalized, country: null, name: null, birthDate: checked.birthDate }], transaction),
  );
  const personId = [...ids.values()][0];
  await writeAudit(deps, { ...auditActor(actor), action: 'code.lookup_ocr', subjectKind: 'person', subjectId: personId, outcome: 'ok' });
  return personId;
}

/** Scan-record areas of days today−13 … today (Asia/Shanghai). */
async function recentVisits(deps: Pick<Deps, 'db'>, personId: number, today: string) {
  const firstDay = addDays(today, -(AREA_RULE_DAYS - 1));
  const since = new Date(`${firstDay}T00:00:00+08:00`);
  // an area's latest visit is all the 14-day rule looks at (fourteenDayAreaWarning: worst area, latest on a tie)
  const rows = await deps.db.hot.select<{ areaCode: string; at: unknown }>(
    'SELECT area_code AS areaCode, MAX(scanned_at) AS at FROM scan_records WHERE person_id = ? AND scanned_at >= ? GROUP BY area_code',
    [personId, hotTime(deps.db.dialect, since)],
  );
  return rows.map((r) => ({ areaCode: r.areaCode, at: toDate(r.at) }));
}

export function toRecordView(r: ScanRecordRow): ScanRecordView {
  const county = findArea(r.areaCode)?.name ?? '';
  return {
    id: Number(r.id),
    address: `${county}${r.scanPointName ?? r.location ?? ''}`,
    scannedAt: toDate(r.scannedAt).toISOString(),
    method: r.method,
    methodText: SCAN_METHOD_TEXT[r.method] ?? r.method,
    colour: r.colour,
    temperatureResult: r.temperatureResult,
    temperatureText: r.temperatureResult ? TEMPERATURE_RESULT_TEXT[r.temperatureResult] : NO_FEEDBACK_TEXT,
    temperatureCelsius: r.temperatureTenths == null ? null : Number(r.temperatureTenths) / 10,
    passReason: r.passReason,
    passReasonText: r.passReason ? (PASS_REASON_TEXT[r.passReason] ?? r.passReason) : null,
  };
}

async function personHistory(deps: Pick<Deps, 'db'>, personId: number, page: number, pageSize: number) {
  const { rows, count } = await deps.db.models.ScanRecord.findAndCountAll({
    where: { personId },
    order: [
      ['scannedAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: pageSize,
    offset: (page - 1) * pageSize,
    raw: true,
  });
  return { items: (rows as unknown as ScanRecordRow[]).map(toRecordView), total: count };
}

async function ownScan(deps: Pick<Deps, 'db'>, session: StaffSession, scanId: number): Promise<ScanRecordRow> {
  const row = (await deps.db.models.ScanRecord.findByPk(scanId, { raw: true })) as unknown as ScanRecordRow | null;
  if (!row) throw new ApiError('SCAN_NOT_FOUND');
  if (Number(row.scannerAccountId) !== session.accountId) throw new ApiError('SCAN_NOT_OWN');
  return row;
}

/** 更多: the scanned person's records, for a scan the staff member made. */
export async function scanHistory(deps: Pick<Deps, 'db'>, session: StaffSession, scanId: number, page: number, pageSize: number): Promise<ScanHistoryPage> {
  const scan = await ownScan(deps, session, scanId);
  const { items, total } = await personHistory(deps, Number(scan.personId), page, pageSize);
  return { items, page, pageSize, total };
}

/** 反馈结果: completes the record; submitting again updates it. */
export async function submitFeedback(deps: Pick<Deps, 'db' | 'clock'>, session: StaffSession, scanId: number, body: FeedbackRequest): Promise<ScanRecordView> {
  await ownScan(deps, session, scanId);
  await deps.db.models.ScanRecord.update(
    {
      passReason: body.passReason,
      temperatureResult: body.temperatureResult,
      temperatureTenths: body.temperatureCelsius == null ? null : Math.round(body.temperatureCelsius * 10),
      feedbackAt: deps.clock.now(),
    },
    { where: { id: scanId } },
  );
  const row = (await deps.db.models.ScanRecord.findByPk(scanId, { raw: true })) as unknown as ScanRecordRow;
  return toRecordView(row);
}

/** The staff member's own scans, newest first. */
export async function myScans(deps: Pick<Deps, 'db'>, session: StaffSession, page: number, pageSize: number): Promise<MyScansPage> {
  const { rows, count } = await deps.db.models.ScanRecord.findAndCountAll({
    where: { scannerAccountId: session.accountId },
    order: [
      ['scannedAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: pageSize,
    offset: (page - 1) * pageSize,
    raw: true,
  });
  const records = rows as unknown as ScanRecordRow[];
  const people = (await deps.db.models.Person.findAll({
    where: { id: { [Op.in]: [...new Set(records.map((r) => Number(r.personId)))] } },
    attributes: ['id', 'name'],
    raw: true,
  })) as unknown as { id: number; name: string | null }[];
  const names = new Map(people.map((p) => [Number(p.id), p.name]));
  return {
    items: records.map((r) => {
      const name = names.get(Number(r.personId));
      return { ...toRecordView(r), personNameMasked: name ? maskName(name) : '—' };
    }),
    page,
    pageSize,
    total: count,
  };
}
