// Loads parsed source records (G1): all rows of a file in one transaction, or none. Rows are upserted
// by their source key, so importing the same file twice changes nothing; every person whose facts
// changed is recomputed inside the same transaction, before the caller gets an answer.
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import type { ParsedRow, SourceRecord, SourceType } from '../domain/sources';
import { chunks, identityHash, resolvePeople, type Identity } from './peopleService';
import { recomputePeople } from './statusService';
import type { Models } from '../db/models';
import { toDate } from '../db/values';

export interface ImportResult {
  type: SourceType;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  recomputed: number;
}

type Row = Record<string, unknown>;

interface Adapter {
  model: keyof Models;
  /** Row attributes from a record (personId filled in for person-based types). */
  toRow(record: SourceRecord, personId: number | null): Row;
  keyFields: string[];
  valueFields: string[];
  /** The column existing rows are fetched by, and its value in a new row. */
  scope: 'personId' | 'communityCode' | 'areaCode';
  /** Does a change to this source change anyone's colour? */
  affectsColour: boolean;
}

const ADAPTERS: Record<SourceType, Adapter> = {
  cases: {
    model: 'Case', scope: 'personId', affectsColour: true, keyFields: ['personId', 'reportedAt'], valueFields: ['status'],
    toRow: (r, p) => (r.type === 'cases' ? { personId: p, status: r.status, reportedAt: r.reportedAt } : {}),
  },
  'close-contacts': {
    model: 'CloseContact', scope: 'personId', affectsColour: true, keyFields: ['personId', 'identifiedAt'], valueFields: ['releasedAt'],
    toRow: (r, p) => (r.type === 'close-contacts' ? { personId: p, identifiedAt: r.identifiedAt, releasedAt: r.releasedAt } : {}),
  },
  arrivals: {
    model: 'Arrival', scope: 'personId', affectsColour: true, keyFields: ['personId', 'arrivedAt'], valueFields: ['fromArea'],
    toRow: (r, p) => (r.type === 'arrivals' ? { personId: p, fromArea: r.fromArea, arrivedAt: r.arrivedAt } : {}),
  },
  'closed-communities': {
    model: 'ClosedCommunity', scope: 'communityCode', affectsColour: true, keyFields: ['communityCode'],
    valueFields: ['communityName', 'areaCode', 'closedFrom', 'closedUntil'],
    toRow: (r) =>
      r.type === 'closed-communities'
        ? { communityCode: r.communityCode, communityName: r.communityName, areaCode: r.areaCode, closedFrom: r.closedFrom, closedUntil: r.closedUntil }
        : {},
  },
  'community-residents': {
    model: 'CommunityResident', scope: 'personId', affectsColour: true, keyFields: ['personId', 'communityCode'], valueFields: [],
    toRow: (r, p) => (r.type === 'community-residents' ? { personId: p, communityCode: r.communityCode } : {}),
  },
  'fever-clinic-visits': {
    model: 'FeverClinicVisit', scope: 'personId', affectsColour: true, keyFields: ['personId', 'hospital', 'visitedAt'], valueFields: [],
    toRow: (r, p) => (r.type === 'fever-clinic-visits' ? { personId: p, hospital: r.hospital, visitedAt: r.visitedAt } : {}),
  },
  'fever-drug-purchases': {
    model: 'FeverDrugPurchase', scope: 'personId', affectsColour: true, keyFields: ['personId', 'pharmacy', 'drug', 'purchasedAt'], valueFields: [],
    toRow: (r, p) =>
      r.type === 'fever-drug-purchases' ? { personId: p, pharmacy: r.pharmacy, drug: r.drug, purchasedAt: r.purchasedAt } : {},
  },
  'nucleic-acid-tests': {
    model: 'NucleicAcidTest', scope: 'personId', affectsColour: false, keyFields: ['personId', 'institution', 'sampledAt'], valueFields: ['result'],
    toRow: (r, p) =>
      r.type === 'nucleic-acid-tests' ? { personId: p, institution: r.institution, sampledAt: r.sampledAt, result: r.result } : {},
  },
  'area-levels': {
    model: 'AreaLevel', scope: 'areaCode', affectsColour: false, keyFields: ['areaCode', 'effectiveFrom'], valueFields: ['level', 'policy'],
    toRow: (r) => (r.type === 'area-levels' ? { areaCode: r.areaCode, effectiveFrom: r.effectiveFrom, level: r.level, policy: r.policy } : {}),
  },
};

/** Dates compare by instant, numbers as numbers; the dialects hand back different types. */
function norm(v: unknown): string {
  if (v == null) return '';
  if (v instanceof Date) return String(v.getTime());
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d/.test(v)) return String(toDate(v).getTime());
  return String(v);
}

const keyOf = (row: Row, fields: string[]) => fields.map((f) => norm(row[f])).join('\u0001');

export interface ImportOptions {
  onProgress?: (phase: 'people' | 'rows' | 'recompute', done: number, total: number) => void;
  /** Written with the rows, in their transaction (the import's audit entry): the file and its entry, or neither. */
  onLoaded?: (result: ImportResult, transaction: Transaction) => Promise<void>;
}

export async function importRecords(
  deps: Pick<Deps, 'db' | 'pii' | 'clock'>,
  type: SourceType,
  parsed: ParsedRow[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const adapter = ADAPTERS[type];
  // Two imports that create the same new person at once: the later one meets the unique key, rolls
  // back whole, and runs again, now finding that person.
  for (let attempt = 1; ; attempt++) {
    try {
      return await importOnce(deps, type, adapter, parsed, opts);
    } catch (e) {
      if (attempt >= 3 || !isRetryable(e)) throw e;
    }
  }
}

function isRetryable(e: unknown): boolean {
  if (e instanceof UniqueConstraintError) return true;
  const code = (e as { original?: { code?: string } })?.original?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}

async function importOnce(
  deps: Pick<Deps, 'db' | 'pii' | 'clock'>,
  type: SourceType,
  adapter: Adapter,
  parsed: ParsedRow[],
  opts: ImportOptions,
): Promise<ImportResult> {
  return deps.db.sequelize.transaction(async (transaction) => {
    const records = parsed.map((p) => p.record);
    let personIds: Map<string, number> | null = null;
    const identities: (Identity | null)[] = records.map((r) =>
      'person' in r ? { idType: r.person.idType, idNumber: r.person.idNumber, country: r.person.country, name: r.person.name } : null,
    );
    if (adapter.scope === 'personId') {
      opts.onProgress?.('people', 0, records.length);
      personIds = await resolvePeople(deps, identities.filter((i): i is Identity => i !== null), transaction);
      opts.onProgress?.('people', records.length, records.length);
    }
    const rows = records.map((r, i) => adapter.toRow(r, personIds ? personIds.get(identityHash(deps, identities[i]!))! : null));
    const result = await upsertRows(deps, adapter, rows, transaction, opts);
    let affected: number[] = [];
    if (adapter.affectsColour && result.changed.length) {
      affected =
        type === 'closed-communities'
          ? await residentsOf(deps, result.changed.map((r) => String(r.communityCode)), transaction)
          : result.changed.map((r) => Number(r.personId));
    }
    opts.onProgress?.('recompute', 0, affected.length);
    const recomputed = affected.length ? await recomputePeople(deps, affected, transaction) : 0;
    opts.onProgress?.('recompute', recomputed, recomputed);
    const loaded: ImportResult = { type, rows: rows.length, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged, recomputed };
    await opts.onLoaded?.(loaded, transaction);
    return loaded;
  });
}

async function upsertRows(
  deps: Pick<Deps, 'db'>,
  adapter: Adapter,
  rows: Row[],
  transaction: Transaction,
  opts: ImportOptions,
): Promise<{ inserted: number; updated: number; unchanged: number; changed: Row[] }> {
  const model = deps.db.models[adapter.model];
  const attrs = ['id', ...adapter.keyFields, ...adapter.valueFields];
  const existing = new Map<string, Row>();
  for (const part of chunks([...new Set(rows.map((r) => r[adapter.scope] as string | number))])) {
    const found = (await model.findAll({ where: { [adapter.scope]: { [Op.in]: part } }, attributes: attrs, raw: true, transaction })) as unknown as Row[];
    for (const f of found) existing.set(keyOf(f, adapter.keyFields), f);
  }
  const toInsert: Row[] = [];
  const changed: Row[] = [];
  let updated = 0;
  let unchanged = 0;
  for (const row of rows) {
    const old = existing.get(keyOf(row, adapter.keyFields));
    if (!old) {
      toInsert.push(row);
      continue;
    }
    if (adapter.valueFields.every((f) => norm(old[f]) === norm(row[f]))) {
      unchanged++;
      continue;
    }
    const values = Object.fromEntries(adapter.valueFields.map((f) => [f, row[f]]));
    await model.update(values, { where: { id: old.id as number }, transaction });
    updated++;
    changed.push(row);
  }
  let done = 0;
  for (const part of chunks(toInsert, 1000)) {
    await model.bulkCreate(part, { transaction });
    done += part.length;
    opts.onProgress?.('rows', done, toInsert.length);
  }
  changed.push(...toInsert);
  return { inserted: toInsert.length, updated, unchanged, changed };
}

async function residentsOf(deps: Pick<Deps, 'db'>, communityCodes: string[], transaction: Transaction): Promise<number[]> {
  const ids: number[] = [];
  for (const part of chunks([...new Set(communityCodes)])) {
    const rows = (await deps.db.models.CommunityResident.findAll({
      where: { communityCode: { [Op.in]: part } },
      attributes: ['personId'],
      raw: true,
      transaction,
    })) as unknown as { personId: number }[];
    ids.push(...rows.map((r) => Number(r.personId)));
  }
  return ids;
}
