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
import { auditInsert, auditRow, writeAudit, writeAuditRowsHot, type AuditEntry, type AuditRow } from './auditService';
import { readCode, type Actor, type HolderAtScan, type LatestRecords } from './codeService';
import { countVisits, crowdCountOutcome, crowdCountStatements, ensureCrowdState, keptCountsStatement, type CrowdSetting, type CrowdVisit, type LeavingCount, type PresentRow, type StoredState } from './crowdFlowService';
import { areaLevelsVersion, currentAreaLevels } from './areaLevelCache';
import { resolvePeople } from './peopleService';
import { hitRateLimit } from './rateLimitService';
import { confirmStaffSession, type StaffSession } from './staffService';
import { isDatabaseUnavailable } from '../db/connectionErrors';
import { hotTime, type HotResult, type HotSql, type HotStatement, type HotTx, type ScriptResult } from '../db/hotSql';
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
    crowd: point.servicePointId && point.crowd ? { pointId: point.servicePointId, setting: point.crowd, personId, at: now } : null,
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
  crowd: (CrowdVisit & { setting: CrowdSetting }) | null;
}

const INSERT_SCANS = `INSERT INTO scan_records (organisation_id, service_point_id, person_id, scanner_account_id, mode, method, colour, area_code, location, scan_point_name, scanned_at, code_source, origin_province, origin_colour, created_at, updated_at)
  VALUES `;
const SCAN_ROW = `(?, ?, ?, ?, 'passive', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** what RETURNING gives back of each record: its id, and what shows it is the record of its place */
const RETURNED = ' RETURNING id, person_id AS personId, scanner_account_id AS scannerAccountId';
/** record[] positions of person_id and scanner_account_id */
const RECORD_PERSON = 2;
const RECORD_SCANNER = 3;

/**
 * Whether the database answers `INSERT … RETURNING` (MariaDB 10.5 and later): a batch's records are then one
 * multi-row INSERT that answers their ids itself, in the order of its rows. Elsewhere (MySQL 8, TiDB, SQLite)
 * one INSERT per record, each answering its own id — in a scripted batch still one round trip for all.
 * Read once per process and database.
 */
const returningSupport = new WeakMap<object, Promise<boolean>>();

function insertReturning(db: D['db']): Promise<boolean> {
  if (db.dialect !== 'mysql') return Promise.resolve(false);
  let known = returningSupport.get(db);
  if (!known) {
    known = db.hot
      .select<{ v: string }>('SELECT VERSION() AS v', [])
      .then(([r]) => {
        const m = /^(\d+)\.(\d+)\..*mariadb/i.exec(r?.v ?? '');
        return !!m && Number(m[1]) * 100 + Number(m[2]) >= 1005;
      })
      .catch((e) => {
        // out of reach: asked again by the next batch (which fails on the same database anyway); a database
        // that will not say (a refused function, say): one INSERT per record, which every one answers
        if (!isDatabaseUnavailable(e)) return false;
        returningSupport.delete(db);
        throw e;
      });
    returningSupport.set(db, known);
  }
  return known;
}

/** Tests only: this process takes the database to answer `INSERT … RETURNING` or not; null: asks it again. */
export function assumeInsertReturning(db: D['db'], returning: boolean | null): void {
  if (returning == null) returningSupport.delete(db);
  else returningSupport.set(db, Promise.resolve(returning));
}

/** The batch's records: one INSERT … RETURNING, or one INSERT each (insertReturning). */
function recordInserts(jobs: readonly ScanWrite[], returning: boolean): HotStatement[] {
  if (returning) return [{ sql: INSERT_SCANS + jobs.map(() => SCAN_ROW).join(', ') + RETURNED, params: jobs.flatMap((j) => j.record) }];
  return jobs.map((j) => ({ sql: INSERT_SCANS + SCAN_ROW, params: j.record }));
}

/**
 * Each job's record id, from the results of recordInserts. RETURNING's rows come in the order of the INSERT's;
 * each must still be its job's record (its person and scanner), or the batch fails (and groupCommit writes its
 * scans one at a time).
 */
function recordIds(jobs: readonly ScanWrite[], results: readonly ScriptResult[], returning: boolean): number[] {
  if (!returning) return results.map((r) => (r as HotResult).insertId);
  const rows = results[0] as { id: number | string; personId: number | string; scannerAccountId: number | string | null }[];
  const own =
    rows.length === jobs.length &&
    jobs.every((j, i) => Number(rows[i].personId) === Number(j.record[RECORD_PERSON]) && Number(rows[i].scannerAccountId) === Number(j.record[RECORD_SCANNER]));
  if (!own) throw new Error('the rows INSERT … RETURNING answered are not the batch\'s records, in order');
  return rows.map((r) => Number(r.id));
}

/** The batch's records in a transaction of the models' (the batch's way when a point's state changes, and on SQLite). */
async function insertRecords(deps: D, tx: HotTx, jobs: ScanWrite[]): Promise<number[]> {
  const returning = await insertReturning(deps.db);
  const results: ScriptResult[] = [];
  for (const s of recordInserts(jobs, returning)) {
    results.push(returning ? await tx.select<Record<string, unknown>>(s.sql, s.params, { unprepared: true }) : await tx.run(s.sql, s.params));
  }
  return recordIds(jobs, results, returning);
}

/** The points of a batch's scans, each once, with its setting, and the scans' visits. */
function crowdOf(jobs: readonly ScanWrite[]): { points: Map<number, CrowdSetting>; visits: CrowdVisit[] } {
  const points = new Map<number, CrowdSetting>();
  const visits: CrowdVisit[] = [];
  for (const j of jobs) {
    if (!j.crowd) continue;
    points.set(j.crowd.pointId, j.crowd.setting);
    visits.push({ pointId: j.crowd.pointId, personId: j.crowd.personId, at: j.crowd.at });
  }
  return { points, visits };
}

/**
 * A batch in two round trips (MySQL, hotSql.ts ScriptTx): its records, their audit entries, the points'
 * states locked, the people leaving their windows and the visitors' presence read, the visits stored in the
 * first; the new counts and COMMIT in the second. The same statements, in the same order, as the models' way
 * (countVisits: the lock before every read of the counts). When a point's
 * state would change, the transaction is rolled back and null answered: the batch then goes the models' way,
 * which announces the change (evaluatePoint) — at a crossing of a line, never on most scans.
 */
async function writeScripted(deps: D, scripted: NonNullable<HotSql['scripted']>, jobs: ScanWrite[], committing: () => void): Promise<number[] | null> {
  const returning = await insertReturning(deps.db);
  const records = recordInserts(jobs, returning);
  const audit = auditInsert(deps, jobs.flatMap((j) => (j.audit ? [j.audit] : [])));
  const { points, visits } = crowdOf(jobs);
  const now = deps.clock.now();
  const crowd = points.size ? crowdCountStatements(deps.db.dialect, points, visits, now) : null;
  return scripted(async (tx) => {
    const results = await tx.send([...records, ...(audit ? [audit] : []), ...(crowd ? [crowd.lock, crowd.leaving, crowd.present, crowd.store] : [])]);
    const ids = recordIds(jobs, results.slice(0, records.length), returning);
    let keep: HotStatement | null = null;
    if (crowd) {
      const [stored, leaving, present] = results.slice(-4) as [StoredState[], LeavingCount[], PresentRow[]];
      const outcome = crowdCountOutcome(points, visits, now, stored, leaving, present);
      if (outcome.changed.length) return null; // rolled back
      keep = keptCountsStatement(deps.db.dialect, outcome.kept);
    }
    committing(); // its requests already answered 503 (the database stalled): roll back instead
    await tx.commit(keep ? [keep] : []);
    return ids;
  });
}

/** The scans of one process waiting for, or in, the current transaction (per database: a test has several). */
const scanWriters = new WeakMap<object, GroupCommit<ScanWrite, number>>();

function scanWrites(deps: D): GroupCommit<ScanWrite, number> {
  let w = scanWriters.get(deps.db);
  if (!w) {
    w = groupCommit(
      async (jobs: ScanWrite[], committing) => {
        const scripted = deps.db.hot.scripted;
        const ids = scripted ? await writeScripted(deps, scripted, jobs, committing) : null;
        if (ids) return ids;
        return deps.db.hot.transaction(async (tx, transaction) => {
          // each record's id is its scan's answer
          const ids = await insertRecords(deps, tx, jobs);
          await writeAuditRowsHot(deps, tx, jobs.flatMap((j) => (j.audit ? [j.audit] : [])));
          // each point counted once, after all its records
          const { points, visits } = crowdOf(jobs);
          await countVisits(deps, tx, points, visits, transaction);
          committing(); // its requests already answered 503 (the database stalled): roll back instead
          return ids;
        });
      },
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
