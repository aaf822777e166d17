// People are found by the keyed hash of their identity (H3); the ID number itself is only ever
// stored encrypted. Source imports create people they have not seen before.
import { randomInt } from 'node:crypto';
import { checkIdDocument, identityKey, maskIdNumber, type Day, type IdType } from '@bamin/common';
import { ApiError } from '../errors';
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import type { PersonRow } from '../db/models';
import { insertUnlessPresent } from '../db/insertUnlessPresent';

export interface Identity {
  idType: IdType;
  idNumber: string; // normalised (checkIdDocument)
  country: string | null;
  name?: string | null;
  birthDate?: Day | null;
}

export function identityHash(deps: Pick<Deps, 'pii'>, id: Pick<Identity, 'idType' | 'idNumber' | 'country'>): string {
  return deps.pii.hash(identityKey(id.idType, id.idNumber, id.country));
}

export async function findPersonByIdentity(
  deps: Pick<Deps, 'db' | 'pii'>,
  id: Pick<Identity, 'idType' | 'idNumber' | 'country'>,
  transaction?: Transaction,
): Promise<PersonRow | null> {
  const row = await deps.db.models.Person.findOne({ where: { idHash: identityHash(deps, id) }, transaction });
  return row ? row.get({ plain: true }) : null;
}

/**
 * The look-up hashes an exact ID-number search may mean when the document type is not given (a console
 * search box): one per type issued without a country. Passports need their country, so they are found by
 * other means.
 */
export function searchIdHashes(deps: Pick<Deps, 'pii'>, raw: string): string[] {
  const n = raw.trim().toUpperCase();
  return (['resident_id', 'hk_macao_permit', 'taiwan_permit'] as const).map((t) => deps.pii.hash(identityKey(t, n, null)));
}

const CHUNK = 500;

export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Returns person ids by identity hash, creating the people not seen before. A known person without a
 * name takes the name a source gives; an existing name is never overwritten by a source.
 */
export async function resolvePeople(
  deps: Pick<Deps, 'db' | 'pii'>,
  identities: Identity[],
  transaction: Transaction,
): Promise<Map<string, number>> {
  const { Person } = deps.db.models;
  const byHash = new Map<string, Identity>();
  for (const id of identities) {
    const h = identityHash(deps, id);
    const prev = byHash.get(h);
    if (!prev || (!prev.name && id.name)) byHash.set(h, id);
  }
  const ids = new Map<string, number>();
  const nameless: number[] = [];
  for (const part of chunks([...byHash.keys()])) {
    const rows = await Person.findAll({ where: { idHash: { [Op.in]: part } }, attributes: ['id', 'idHash', 'name'], transaction, raw: true });
    for (const r of rows as unknown as Pick<PersonRow, 'id' | 'idHash' | 'name'>[]) {
      ids.set(r.idHash, Number(r.id));
      if (!r.name && byHash.get(r.idHash)?.name) nameless.push(Number(r.id));
    }
  }
  const missing = [...byHash].filter(([h]) => !ids.has(h));
  for (const part of chunks(missing)) {
    // A person another request makes at the same moment (a double tap on L4 confirm, two gates scanning one
    // national code) is met on uk_people_id_hash and kept as it is (never its name or number), and read back below.
    await insertUnlessPresent(
      Person,
      part.map(([h, id]) => ({
        idType: id.idType,
        idHash: h,
        idNumberEnc: deps.pii.encrypt(id.idNumber),
        idMasked: maskIdNumber(id.idNumber),
        country: id.country,
        name: id.name ?? null,
        birthDate: id.birthDate ?? null,
      })),
      ['idHash'],
      transaction,
    );
    // Ids are read back rather than taken from bulkCreate, which not every dialect reports reliably; a locking
    // read, so a row the other request committed after this transaction's snapshot is seen (REPEATABLE READ).
    const rows = await Person.findAll({ where: { idHash: { [Op.in]: part.map(([h]) => h) } }, attributes: ['id', 'idHash'], transaction, lock: transaction.LOCK.SHARE, raw: true });
    for (const r of rows as unknown as Pick<PersonRow, 'id' | 'idHash'>[]) ids.set(r.idHash, Number(r.id));
  }
  if (nameless.length) {
    const hashById = new Map([...ids].map(([h, pid]) => [pid, h]));
    for (const pid of nameless) {
      await Person.update({ name: byHash.get(hashById.get(pid)!)!.name }, { where: { id: pid, name: null }, transaction });
    }
  }
  return ids;
}

/** 12 random digits, not derived from the ID number, unique; given once and stable afterwards. */
export function randomCodeNumber(): string {
  return String(randomInt(0, 1_000_000_000_000)).padStart(12, '0');
}

/**
 * Gives a person their code number when their code is first generated (the citizen flow calls this
 * after the L4 check). Returns the existing number when there is one.
 */
export async function ensureCodeNumber(
  deps: Pick<Deps, 'db' | 'clock'>,
  personId: number,
  codeArea: string | null,
  transaction?: Transaction,
): Promise<string> {
  const { Person } = deps.db.models;
  for (let attempt = 0; attempt < 5; attempt++) {
    const person = await Person.findByPk(personId, { transaction });
    if (!person) throw new Error(`person ${personId} does not exist`);
    const existing = person.get('codeNumber') as string | null;
    if (existing) return existing;
    const codeNumber = randomCodeNumber();
    try {
      const [n] = await Person.update(
        { codeNumber, codeArea, codeGeneratedAt: deps.clock.now() },
        { where: { id: personId, codeNumber: null }, transaction },
      );
      if (n === 1) return codeNumber;
    } catch (e) {
      if (!(e instanceof UniqueConstraintError)) throw e; // a collision with another person's number: draw again
    }
  }
  throw new Error('could not allocate a unique code number');
}

/**
 * An ID document from a JSON request (camelCase fields), checked, or 400 naming the field. The birth date
 * comes from a resident ID number; other documents carry it in `birthDate`.
 */
export function checkedDocument(body: { idType: string; idNumber: string; country?: string | null; birthDate?: string | null }) {
  const doc = checkIdDocument(body.idType, body.idNumber, body.country ?? null);
  if (!doc.ok) {
    const field = doc.field === 'id_number' ? 'idNumber' : doc.field === 'id_type' ? 'idType' : 'country';
    throw new ApiError('VALIDATION_FAILED', [{ field, problem: doc.problem }]);
  }
  return { ...doc, birthDate: doc.birthDate ?? body.birthDate ?? null };
}
