// 跨省互认 (manual 二; B1; issue 9): arrivals from other provinces get their origin province's health pass
// merged into the Bamin code. Rules:
// - who (domain/arrival.ts): a person with a resident ID number whose residence is outside Fujian, or who
//   declared an arrival (入闽申报) for a day within the last 14 (or the next 3: 入闽前 1 至 3 天);
// - when: on getting or refreshing the code and on declaring. A check answered less than ORIGIN_FRESH_MS
//   ago is reused; after a failure the code is issued from local data with a note, and the retry job
//   (jobs/originRetry.job.ts) tries again on a back-off, so a platform that is down is not hammered and
//   never keeps a citizen waiting longer than the adapter's 2 s time-out;
// - merge: the pass is a fact of the status engine (ORIGIN_PASS): yellow or red → orange with its own
//   reason, green → nothing; a person who is no longer an arrival loses the stored pass.
import {
  ARRIVAL_FUTURE_DAYS,
  ARRIVAL_PAST_DAYS,
  FUJIAN_PROVINCE_CODE,
  ORIGIN_COLOUR_TEXT,
  ORIGIN_UNAVAILABLE_NOTE,
  isValidDay,
  shanghaiDay,
  type ArrivalDeclarationView,
  type OriginCheckView,
  type OriginColour,
  type OriginPass,
} from '@bamin/common';
import { Op, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import type { PersonRow } from '../db/models';
import { toDate, toDateOrNull } from '../db/values';
import { arrivalWindow, isArrivalByFacts } from '../domain/arrival';
import { findArea } from '../domain/areas';
import { ApiError } from '../errors';
import { NationalUnavailableError } from '../integrations/nationalPlatform';
import { recomputePeople } from './statusService';

type D = Pick<Deps, 'db' | 'clock' | 'pii' | 'logger' | 'national'>;

export const FUJIAN = FUJIAN_PROVINCE_CODE;
/** A successful answer is reused this long before the platform is asked again. */
export const ORIGIN_FRESH_MS = 10 * 60_000;
/** Waits before the retry job asks again after 1, 2, 3… failures in a row. */
export const ORIGIN_RETRY_MS = [60_000, 2 * 60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000];

export interface OriginRow {
  id: number;
  personId: number;
  status: 'checked' | 'not_found' | 'unavailable';
  passId: string | null;
  provinceCode: string | null;
  colour: OriginColour | null;
  issuedAt: Date | string | null;
  expiresAt: Date | string | null;
  checkedAt: Date | string | null;
  attemptedAt: Date | string;
  failures: number;
  failure: string | null;
  retryAt: Date | string | null;
  changedAt: Date | string | null;
}

export function originView(r: OriginRow | null): OriginCheckView | null {
  if (!r) return null;
  const colour = r.colour as OriginColour | null;
  return {
    status: r.status,
    provinceCode: r.provinceCode,
    provinceName: r.provinceCode ? (findArea(r.provinceCode)?.name ?? r.provinceCode) : null,
    colour,
    colourText: colour ? ORIGIN_COLOUR_TEXT[colour] : null,
    checkedAt: r.checkedAt ? toDate(r.checkedAt).toISOString() : null,
    note: r.status === 'unavailable' ? ORIGIN_UNAVAILABLE_NOTE : null,
  };
}

/** Whether the person's code takes an origin pass (the rule: domain/arrival.ts). */
export async function isArrival(deps: Pick<Deps, 'db' | 'clock'>, person: Pick<PersonRow, 'id' | 'idType' | 'residenceArea'>): Promise<boolean> {
  if (person.idType !== 'resident_id') return false;
  if (isArrivalByFacts(person, false)) return true;
  const n = await deps.db.models.ArrivalDeclaration.count({
    where: { personId: person.id, arrivalDate: { [Op.between]: arrivalWindow(shanghaiDay(deps.clock.now())) } },
  });
  return isArrivalByFacts(person, n > 0);
}

async function rowOf(deps: Pick<Deps, 'db'>, personId: number): Promise<OriginRow | null> {
  return (await deps.db.models.OriginPass.findOne({ where: { personId }, raw: true })) as unknown as OriginRow | null;
}

/**
 * The person's origin row written whole, made when it has none: one INSERT … ON DUPLICATE KEY UPDATE (SQLite:
 * ON CONFLICT) on its unique person_id. Inside a transaction an UPDATE finding no row and then an INSERT would
 * take gap locks that two first checks of one person at once deadlock on.
 */
async function save(deps: Pick<Deps, 'db'>, personId: number, values: Record<string, unknown>, transaction?: Transaction): Promise<void> {
  await deps.db.models.OriginPass.upsert({ personId, ...values }, { transaction });
}

const samePass = (r: OriginRow | null, p: OriginPass | null) =>
  (r?.passId ?? null) === (p?.passId ?? null) &&
  (r?.colour ?? null) === (p?.colour ?? null) &&
  (r?.expiresAt ? toDate(r.expiresAt).getTime() : null) === (p ? new Date(p.expiresAt).getTime() : null);

/**
 * Checks the person's origin pass when due (or at once with force) and merges it into their status.
 * Returns what the holder is shown, or null when the person is not an arrival. Never throws for the
 * platform: a failure is recorded and retried.
 */
export async function refreshOrigin(deps: D, personId: number, opts: { force?: boolean } = {}): Promise<OriginCheckView | null> {
  const person = (await deps.db.models.Person.findByPk(personId, { attributes: ['id', 'idType', 'idNumberEnc', 'name', 'residenceArea'], raw: true })) as unknown as PersonRow | null;
  if (!person) return null;
  const row = await rowOf(deps, personId);
  if (!(await isArrival(deps, person))) {
    if (row) {
      // back to local data only: the pass of a past journey no longer counts — and the colour with it
      await deps.db.sequelize.transaction(async (transaction) => {
        await deps.db.models.OriginPass.destroy({ where: { personId }, transaction });
        await recomputePeople(deps, [personId], transaction);
      });
    }
    return null;
  }
  const now = deps.clock.now();
  if (row && !opts.force) {
    const fresh = row.status !== 'unavailable' && now.getTime() - toDate(row.attemptedAt).getTime() < ORIGIN_FRESH_MS;
    const waiting = row.status === 'unavailable' && (toDateOrNull(row.retryAt)?.getTime() ?? 0) > now.getTime();
    if (fresh || waiting) return originView(row);
  }
  let pass: OriginPass | null;
  try {
    pass = await deps.national.healthInfoQuery({ idType: 'resident_id', idNumber: deps.pii.decrypt(person.idNumberEnc), name: person.name ?? undefined });
  } catch (e) {
    if (!(e instanceof NationalUnavailableError)) throw e;
    const failures = (row?.failures ?? 0) + 1;
    deps.logger.warn({ personId, failure: e.failure, failures }, 'origin pass check failed: code issued from local data');
    await save(deps, personId, {
      status: 'unavailable',
      attemptedAt: now,
      failures,
      failure: e.failure,
      retryAt: new Date(now.getTime() + ORIGIN_RETRY_MS[Math.min(failures, ORIGIN_RETRY_MS.length) - 1]),
    });
    return originView(await rowOf(deps, personId));
  }
  const changed = !samePass(row, pass);
  // the pass and the colour it gives together: a pass saved without its colour would be found unchanged
  // by the next check and never merged
  await deps.db.sequelize.transaction(async (transaction) => {
    await save(
      deps,
      personId,
      {
        status: pass ? 'checked' : 'not_found',
        passId: pass?.passId ?? null,
        provinceCode: pass?.provinceCode ?? null,
        colour: pass?.colour ?? null,
        issuedAt: pass ? new Date(pass.issuedAt) : null,
        expiresAt: pass ? new Date(pass.expiresAt) : null,
        checkedAt: now,
        attemptedAt: now,
        failures: 0,
        failure: null,
        retryAt: null,
        ...(changed || !row ? { changedAt: now } : {}),
      },
      transaction,
    );
    if (changed || !row) await recomputePeople(deps, [personId], transaction);
  });
  return originView(await rowOf(deps, personId));
}

/** The retry job's work: checks whose retry time has come, each claimed by one instance. */
export async function retryDueOrigins(deps: D, limit = 200): Promise<{ retried: number; stillFailing: number }> {
  const now = deps.clock.now();
  const due = (await deps.db.models.OriginPass.findAll({
    where: { status: 'unavailable', retryAt: { [Op.lte]: now } },
    attributes: ['personId', 'retryAt'],
    order: [['retryAt', 'ASC']],
    limit,
    raw: true,
  })) as unknown as { personId: number; retryAt: Date | string }[];
  let retried = 0;
  let stillFailing = 0;
  for (const d of due) {
    // claim: only the instance that moves retry_at on from the value it read does the retry
    const [won] = await deps.db.models.OriginPass.update(
      { retryAt: new Date(now.getTime() + ORIGIN_RETRY_MS[0]) },
      { where: { personId: d.personId, status: 'unavailable', retryAt: toDate(d.retryAt) } },
    );
    if (won !== 1) continue;
    const v = await refreshOrigin(deps, Number(d.personId), { force: true });
    retried++;
    if (v?.status === 'unavailable') stillFailing++;
  }
  return { retried, stillFailing };
}

// ---- 入闽申报 ----

export interface ArrivalDeclarationInput {
  originProvinceCode: string;
  arrivalDate: string;
}

/** Records an arrival and checks the origin pass at once (the 400s name the field). */
export async function declareArrival(deps: D, personId: number, citizenUserId: number, body: ArrivalDeclarationInput): Promise<ArrivalDeclarationView> {
  const province = findArea(body.originProvinceCode);
  if (!province || province.level !== 'province') throw new ApiError('VALIDATION_FAILED', [{ field: 'originProvinceCode', problem: '请选择出发地所在省（自治区、直辖市）' }]);
  if (body.originProvinceCode === FUJIAN) throw new ApiError('VALIDATION_FAILED', [{ field: 'originProvinceCode', problem: '省内出行无需入闽申报' }]);
  const today = shanghaiDay(deps.clock.now());
  if (!isValidDay(body.arrivalDate)) throw new ApiError('VALIDATION_FAILED', [{ field: 'arrivalDate', problem: '不是有效的日期' }]);
  const [first, last] = arrivalWindow(today);
  if (body.arrivalDate < first || body.arrivalDate > last) {
    throw new ApiError('VALIDATION_FAILED', [{ field: 'arrivalDate', problem: `入闽日期须在近 ${ARRIVAL_PAST_DAYS} 天内或未来 ${ARRIVAL_FUTURE_DAYS} 天内` }]);
  }
  // The same arrival declared again is the declaration already made (a client retrying after an error —
  // the origin check below calls the national platform, so it is not in the declaration's transaction —
  // or a second tap): the check runs again, no second row.
  const arrival = { personId, originProvince: body.originProvinceCode, arrivalDate: body.arrivalDate };
  const made = (await deps.db.models.ArrivalDeclaration.findOne({ where: arrival, order: [['id', 'ASC']], raw: true })) as unknown as ArrivalRow | null;
  const row = made ?? ((await deps.db.models.ArrivalDeclaration.create({ ...arrival, citizenUserId })).get({ plain: true }) as ArrivalRow);
  await refreshOrigin(deps, personId, { force: true });
  return arrivalView(row);
}

interface ArrivalRow {
  id: number;
  originProvince: string;
  arrivalDate: string;
  createdAt: Date | string;
}

function arrivalView(r: ArrivalRow): ArrivalDeclarationView {
  return {
    id: Number(r.id),
    originProvinceCode: r.originProvince,
    originProvinceName: findArea(r.originProvince)?.name ?? r.originProvince,
    arrivalDate: String(r.arrivalDate).slice(0, 10),
    createdAt: toDate(r.createdAt).toISOString(),
  };
}

export async function listArrivals(deps: Pick<Deps, 'db'>, personId: number): Promise<ArrivalDeclarationView[]> {
  const rows = (await deps.db.models.ArrivalDeclaration.findAll({ where: { personId }, order: [['id', 'DESC']], limit: 50, raw: true })) as unknown as ArrivalRow[];
  return rows.map(arrivalView);
}
