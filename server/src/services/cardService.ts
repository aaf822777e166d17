// Printed code cards (健康码卡片, H4; issue 11): issued, listed, revoked and reissued by the person themself or by
// the family member who applied for them (GET /api/v1/app/codes holders). Contract: common/src/cardApi.ts.
//
// Rules:
// - at most one active card a person: a second issue is refused (CARD_ACTIVE); 补办 revokes the active card and
//   issues the new one in one transaction;
// - the card token is the `card` kind: subject the code number, no colour, valid CARD_TTL_DAYS;
// - revocation is the code_revocations row (kind card, subject the code number) that every scan checks: revoking
//   a card voids every card of the person issued up to its issue second; the next card is always issued at a
//   later second (see nextIssueSecond), so it stays valid;
// - the token is never stored: Ed25519 signatures are deterministic, so it is signed again from the row
//   (key id, issue and expiry) for every download and prints the same QR each time;
// - issue, revoke and reissue are audited (card.issue, card.revoke) with the card id only.
import {
  CARD_DEFAULT_REVOKE_REASON,
  CARD_REISSUE_REASON,
  CARD_STATUS_TEXT,
  cardValidUntil,
  maskName,
  type CardList,
  type CardStatus,
  type CardView,
} from '@bamin/common';
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import type { PersonRow } from '../db/models';
import { toDate } from '../db/values';
import { signToken } from '../domain/codeTokens';
import { ApiError } from '../errors';
import type { CardContent } from '../integrations/codeCard';
import { writeAudit } from './auditService';
import { requirePerson, resolveHolder, type CitizenSession } from './citizenService';
import { revokeTokens } from './codeService';

type D = Pick<Deps, 'db' | 'clock' | 'keyRing' | 'config'>;

interface CardRow {
  id: number;
  personId: number;
  codeNumber: string;
  keyId: string;
  issuedByUserId: number;
  issuedAt: Date | string;
  expiresAt: Date | string;
  revokedAt: Date | string | null;
  revokeReason: string | null;
}

const DAY_SECONDS = 86_400;

function statusOf(r: CardRow, now: Date): CardStatus {
  if (r.revokedAt) return 'revoked';
  return toDate(r.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}

function toView(r: CardRow, holder: string, name: string | null, now: Date): CardView {
  const status = statusOf(r, now);
  return {
    cardId: Number(r.id),
    holder,
    nameMasked: maskName(name ?? ''),
    issuedAt: toDate(r.issuedAt).toISOString(),
    expiresAt: toDate(r.expiresAt).toISOString(),
    validUntil: cardValidUntil(toDate(r.expiresAt)),
    status,
    statusText: CARD_STATUS_TEXT[status],
    revokedAt: r.revokedAt ? toDate(r.revokedAt).toISOString() : null,
    revokeReason: r.revokeReason ?? null,
  };
}

async function personName(deps: Pick<Deps, 'db'>, personId: number, transaction?: Transaction): Promise<Pick<PersonRow, 'name' | 'codeNumber'>> {
  const p = (await deps.db.models.Person.findByPk(personId, { attributes: ['name', 'codeNumber'], raw: true, transaction })) as unknown as Pick<
    PersonRow,
    'name' | 'codeNumber'
  > | null;
  if (!p) throw new ApiError('PERSON_NOT_FOUND');
  return p;
}

/**
 * The card and the caller's holder key for its person: 'self', or the family binding the caller applied for.
 * Anyone else's card is 404, as if it did not exist.
 */
async function reachableCard(deps: Pick<Deps, 'db'>, session: CitizenSession, cardId: number, transaction?: Transaction): Promise<{ row: CardRow; holder: string }> {
  const me = requirePerson(session);
  const row = (await deps.db.models.CodeCard.findByPk(cardId, { raw: true, transaction })) as unknown as CardRow | null;
  if (!row) throw new ApiError('CARD_NOT_FOUND');
  if (Number(row.personId) === me) return { row, holder: 'self' };
  const binding = (await deps.db.models.FamilyBinding.findOne({
    where: { applicantPersonId: me, memberPersonId: Number(row.personId) },
    attributes: ['id'],
    raw: true,
    transaction,
  })) as unknown as { id: number } | null;
  if (!binding) throw new ApiError('CARD_NOT_FOUND');
  return { row, holder: String(binding.id) };
}

/**
 * The issue second of a new card: now rounded up, but always after every earlier card of the person and at or
 * after any card revocation, so the new token never falls under a revocation that came before it.
 */
async function nextIssueSecond(deps: Pick<Deps, 'db' | 'clock'>, personId: number, codeNumber: string, transaction: Transaction): Promise<number> {
  let second = Math.ceil(deps.clock.now().getTime() / 1000);
  const latest = (await deps.db.models.CodeCard.max('issuedAt', { where: { personId }, transaction })) as Date | string | null;
  if (latest) second = Math.max(second, Math.floor(toDate(latest).getTime() / 1000) + 1);
  const revocation = (await deps.db.models.CodeRevocation.findOne({ where: { kind: 'card', subject: codeNumber }, raw: true, transaction })) as unknown as {
    revokedBefore: Date | string;
  } | null;
  if (revocation) second = Math.max(second, Math.ceil(toDate(revocation.revokedBefore).getTime() / 1000));
  return second;
}

async function createCard(deps: D, session: CitizenSession, personId: number, transaction: Transaction): Promise<CardRow> {
  // one issuer at a time per person (MySQL row lock; SQLite serialises writers anyway)
  await deps.db.models.Person.findByPk(personId, { attributes: ['id'], transaction, lock: transaction.LOCK.UPDATE });
  const { codeNumber } = await personName(deps, personId, transaction);
  if (!codeNumber) throw new ApiError('CODE_NOT_GENERATED');
  const now = deps.clock.now();
  const active = await deps.db.models.CodeCard.findOne({ where: { personId, revokedAt: null, expiresAt: { [Op.gt]: now } }, attributes: ['id'], transaction });
  if (active) throw new ApiError('CARD_ACTIVE');
  const second = await nextIssueSecond(deps, personId, codeNumber, transaction);
  try {
    const created = await deps.db.models.CodeCard.create(
      {
        personId,
        codeNumber,
        keyId: deps.keyRing.current.keyId,
        issuedByUserId: session.userId,
        issuedAt: new Date(second * 1000),
        expiresAt: new Date((second + deps.config.cardTtlDays * DAY_SECONDS) * 1000),
        revokedAt: null,
        revokeReason: null,
      },
      { transaction },
    );
    return created.get({ plain: true }) as CardRow;
  } catch (e) {
    // a racing issue for the same person in the same second
    if (e instanceof UniqueConstraintError) throw new ApiError('CARD_ACTIVE');
    throw e;
  }
}

async function markRevoked(deps: D, row: CardRow, reason: string, transaction: Transaction): Promise<void> {
  const [n] = await deps.db.models.CodeCard.update({ revokedAt: deps.clock.now(), revokeReason: reason }, { where: { id: row.id, revokedAt: null }, transaction });
  if (n !== 1) throw new ApiError('CARD_NOT_ACTIVE');
  // every card of the person issued up to this one's second is void; never move an existing line back
  const existing = (await deps.db.models.CodeRevocation.findOne({ where: { kind: 'card', subject: row.codeNumber }, raw: true, transaction })) as unknown as {
    revokedBefore: Date | string;
  } | null;
  const line = Math.floor(toDate(row.issuedAt).getTime() / 1000) * 1000 + 1000;
  const revokedBefore = new Date(Math.max(line, existing ? toDate(existing.revokedBefore).getTime() : 0));
  await revokeTokens(deps, 'card', row.codeNumber, reason, { revokedBefore, transaction });
}

function audit(deps: D, session: CitizenSession, action: 'card.issue' | 'card.revoke', personId: number, detail: Record<string, unknown>, requestId: string | undefined, transaction: Transaction) {
  return writeAudit(deps, { actorKind: 'person', actorId: String(session.userId), action, subjectKind: 'person', subjectId: personId, outcome: 'ok', requestId, detail }, transaction);
}

/** GET /cards?holder=: newest first. */
export async function listCards(deps: D, session: CitizenSession, holderKey: string): Promise<CardList> {
  const h = await resolveHolder(deps, session, holderKey);
  const rows = (await deps.db.models.CodeCard.findAll({
    where: { personId: h.personId },
    order: [
      ['issuedAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: 50,
    raw: true,
  })) as unknown as CardRow[];
  const { name } = await personName(deps, h.personId);
  const now = deps.clock.now();
  return { cards: rows.map((r) => toView(r, h.holder, name, now)) };
}

/** POST /cards: a new card when the holder has no active one. */
export async function issueCard(deps: D, session: CitizenSession, holderKey: string, requestId?: string): Promise<CardView> {
  const h = await resolveHolder(deps, session, holderKey);
  const row = await deps.db.sequelize.transaction(async (transaction) => {
    const created = await createCard(deps, session, h.personId, transaction);
    await audit(deps, session, 'card.issue', h.personId, { cardId: Number(created.id), relation: h.relation }, requestId, transaction);
    return created;
  });
  return toView(row, h.holder, (await personName(deps, h.personId)).name, deps.clock.now());
}

/** POST /cards/:id/revoke (作废). */
export async function revokeCard(deps: D, session: CitizenSession, cardId: number, reason: string | undefined, requestId?: string): Promise<CardView> {
  const { holder, row } = await deps.db.sequelize.transaction(async (transaction) => {
    const found = await reachableCard(deps, session, cardId, transaction);
    if (statusOf(found.row, deps.clock.now()) !== 'active') throw new ApiError('CARD_NOT_ACTIVE');
    await markRevoked(deps, found.row, reason?.trim() || CARD_DEFAULT_REVOKE_REASON, transaction);
    await audit(deps, session, 'card.revoke', Number(found.row.personId), { cardId: Number(found.row.id) }, requestId, transaction);
    const updated = (await deps.db.models.CodeCard.findByPk(cardId, { raw: true, transaction })) as unknown as CardRow;
    return { holder: found.holder, row: updated };
  });
  return toView(row, holder, (await personName(deps, Number(row.personId))).name, deps.clock.now());
}

/** POST /cards/:id/reissue (补办): the active card revoked and a new one issued, in one transaction. */
export async function reissueCard(deps: D, session: CitizenSession, cardId: number, requestId?: string): Promise<CardView> {
  const { holder, row } = await deps.db.sequelize.transaction(async (transaction) => {
    const found = await reachableCard(deps, session, cardId, transaction);
    if (statusOf(found.row, deps.clock.now()) !== 'active') throw new ApiError('CARD_NOT_ACTIVE');
    const personId = Number(found.row.personId);
    await markRevoked(deps, found.row, CARD_REISSUE_REASON, transaction);
    await audit(deps, session, 'card.revoke', personId, { cardId: Number(found.row.id), reissue: true }, requestId, transaction);
    const created = await createCard(deps, session, personId, transaction);
    await audit(deps, session, 'card.issue', personId, { cardId: Number(created.id), replaces: Number(found.row.id) }, requestId, transaction);
    return { holder: found.holder, row: created };
  });
  return toView(row, holder, (await personName(deps, Number(row.personId))).name, deps.clock.now());
}

/** What the PDF and PNG print: only for an active card, its token signed again from the row. */
export async function cardContent(deps: D, session: CitizenSession, cardId: number): Promise<CardContent> {
  const { row } = await reachableCard(deps, session, cardId);
  if (statusOf(row, deps.clock.now()) !== 'active') throw new ApiError('CARD_NOT_ACTIVE');
  const key = deps.keyRing.keys.find((k) => k.keyId === row.keyId);
  // a key dropped from the ring no longer verifies anywhere: the card is as good as void
  if (!key) throw new ApiError('CARD_NOT_ACTIVE');
  const issuedAt = toDate(row.issuedAt);
  const expiresAt = toDate(row.expiresAt);
  const token = signToken(
    { current: key, keys: deps.keyRing.keys },
    { kind: 'card', subject: row.codeNumber, colour: null, now: issuedAt, ttlSeconds: Math.round((expiresAt.getTime() - issuedAt.getTime()) / 1000) },
  );
  return { nameMasked: maskName((await personName(deps, Number(row.personId))).name ?? ''), qrText: token, issuedAt, expiresAt, cardId: Number(row.id) };
}
