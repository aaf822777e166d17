// Code tokens for people (A2, H1): issuing the short-lived `code` token a holder shows, and verifying
// what a scanner reads — a token (signature, expiry, revocation) or a typed 12-digit number.
import { COLOUR_TEXT, decodeToken, type Colour, type Day, type ReasonCode, type TokenKind, type TokenPayload } from '@bamin/common';
import type { Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { signToken, verifyToken } from '../domain/codeTokens';
import { ApiError } from '../errors';
import { writeAudit } from './auditService';
import { currentStatus } from './statusService';

export interface Actor {
  kind: 'source' | 'account' | 'person';
  id: string | null;
  requestId?: string;
}

export interface IssuedCode {
  token: string;
  codeNumber: string;
  colour: Colour;
  reasons: ReasonCode[];
  greenFrom: Day | null;
  issuedAt: string;
  expiresAt: string;
}

/** The holder's current `code` token, carrying the colour as of now. */
export async function issueCodeToken(deps: Pick<Deps, 'db' | 'clock' | 'keyRing' | 'config'>, personId: number): Promise<IssuedCode> {
  const person = await deps.db.models.Person.findByPk(personId, { attributes: ['id', 'codeNumber'], raw: true });
  const codeNumber = (person as { codeNumber?: string | null } | null)?.codeNumber;
  if (!codeNumber) throw new ApiError('CODE_NOT_FOUND');
  const status = await currentStatus(deps, personId);
  const now = deps.clock.now();
  const token = signToken(deps.keyRing, { kind: 'code', subject: codeNumber, colour: status.colour, now, ttlSeconds: deps.config.codeTokenTtlSeconds });
  const issuedAt = Math.floor(now.getTime() / 1000);
  return {
    token,
    codeNumber,
    colour: status.colour,
    reasons: status.reasons,
    greenFrom: status.greenFrom,
    issuedAt: new Date(issuedAt * 1000).toISOString(),
    expiresAt: new Date((issuedAt + deps.config.codeTokenTtlSeconds) * 1000).toISOString(),
  };
}

/**
 * Voids every token of the subject issued before `revokedBefore` (default now: a re-printed poster). A card
 * passes the instant just after its own issue second (cardService), so a card issued later in the same second
 * stays valid.
 */
export async function revokeTokens(
  deps: Pick<Deps, 'db' | 'clock'>,
  kind: TokenKind,
  subject: string,
  reason: string,
  options: { revokedBefore?: Date; transaction?: Transaction } = {},
): Promise<void> {
  const revokedBefore = options.revokedBefore ?? deps.clock.now();
  const { transaction } = options;
  const existing = await deps.db.models.CodeRevocation.findOne({ where: { kind, subject }, transaction });
  if (existing) await existing.update({ revokedBefore, reason }, { transaction });
  else await deps.db.models.CodeRevocation.create({ kind, subject, revokedBefore, reason }, { transaction });
}

async function isRevoked(deps: Pick<Deps, 'db'>, p: TokenPayload): Promise<boolean> {
  const r = (await deps.db.models.CodeRevocation.findOne({ where: { kind: p.kind, subject: p.subject }, raw: true })) as unknown as {
    revokedBefore: Date | string;
  } | null;
  return !!r && p.issuedAt * 1000 < toDate(r.revokedBefore).getTime();
}

export type IdentifiedCode =
  | {
      kind: 'point';
      servicePoint: { id: number; name: string; areaCode: string };
      tokenIssuedAt: string;
      tokenExpiresAt: string;
    }
  | {
      kind: 'code' | 'card';
      method: 'token' | 'typed';
      codeNumber: string;
      personId: number;
      colour: Colour;
      tokenIssuedAt: string | null;
      tokenExpiresAt: string | null;
    };

/**
 * What a scanned token or a typed number stands for, with the current colour: signature, expiry and
 * revocation checked for tokens; every call audited (typed numbers as code.lookup_typed).
 */
export async function identifyCode(
  deps: Pick<Deps, 'db' | 'clock' | 'keyRing'>,
  input: { token: string } | { codeNumber: string },
  actor: Actor,
): Promise<IdentifiedCode> {
  const typed = !('token' in input);
  // a look-up that found a person names the person (audit_log.subject_hash); one that did not, the code
  const audit = (outcome: 'ok' | 'not_found' | 'refused', subjectId: string | number | null, detail: Record<string, unknown>, subjectKind: 'code' | 'person' = 'code') =>
    writeAudit(deps, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: typed ? 'code.lookup_typed' : 'code.verify',
      subjectKind,
      subjectId,
      outcome,
      requestId: actor.requestId,
      detail,
    });

  let payload: TokenPayload | null = null;
  let codeNumber: string;
  if ('token' in input) {
    const checked = verifyToken(deps.keyRing, input.token, deps.clock.now());
    if (!checked.ok) {
      // a printed card past its validity has its own message (H4): the holder needs a new card, not a refresh
      const decoded = checked.code === 'TOKEN_EXPIRED' ? decodeToken(input.token) : null;
      const card = decoded?.ok && decoded.payload.kind === 'card' ? decoded.payload : null;
      const error = card ? 'CARD_EXPIRED' : checked.code;
      await audit('refused', card ? card.subject : null, { error });
      throw new ApiError(error);
    }
    payload = checked.payload;
    if (await isRevoked(deps, payload)) {
      const error = payload.kind === 'card' ? 'CARD_REVOKED' : 'TOKEN_REVOKED';
      await audit('refused', payload.subject, { error, kind: payload.kind });
      throw new ApiError(error);
    }
    if (payload.kind === 'point') {
      const point = (await deps.db.models.ServicePoint.findByPk(Number(payload.subject), {
        attributes: ['id', 'name', 'areaCode'],
        raw: true,
      })) as unknown as { id: number; name: string; areaCode: string } | null;
      if (!point) throw new ApiError('CODE_NOT_FOUND');
      await audit('ok', payload.subject, { kind: 'point' });
      return {
        kind: 'point',
        servicePoint: { id: Number(point.id), name: point.name, areaCode: point.areaCode },
        tokenIssuedAt: new Date(payload.issuedAt * 1000).toISOString(),
        tokenExpiresAt: new Date(payload.expiresAt * 1000).toISOString(),
      };
    }
    codeNumber = payload.subject;
  } else {
    codeNumber = input.codeNumber;
  }
  const person = (await deps.db.models.Person.findOne({ where: { codeNumber }, attributes: ['id'], raw: true })) as unknown as {
    id: number;
  } | null;
  if (!person) {
    await audit('not_found', codeNumber, { typed });
    throw new ApiError('CODE_NOT_FOUND');
  }
  const status = await currentStatus(deps, Number(person.id));
  await audit('ok', Number(person.id), { typed, kind: payload?.kind ?? 'code' }, 'person');
  return {
    kind: payload?.kind === 'card' ? 'card' : 'code',
    method: payload ? 'token' : 'typed',
    codeNumber,
    personId: Number(person.id),
    colour: status.colour,
    tokenIssuedAt: payload ? new Date(payload.issuedAt * 1000).toISOString() : null,
    tokenExpiresAt: payload ? new Date(payload.expiresAt * 1000).toISOString() : null,
  };
}

/** The answer of POST /api/v1/codes/verify: the current state, without writing a scan record. */
export async function verifyCode(
  deps: Pick<Deps, 'db' | 'clock' | 'keyRing'>,
  input: { token: string } | { codeNumber: string },
  actor: Actor,
) {
  const found = await identifyCode(deps, input, actor);
  if (found.kind === 'point') {
    return {
      kind: found.kind,
      method: 'token' as const,
      codeNumber: null,
      colour: null,
      colourText: null,
      servicePoint: found.servicePoint,
      tokenIssuedAt: found.tokenIssuedAt,
      tokenExpiresAt: found.tokenExpiresAt,
    };
  }
  return {
    kind: found.kind,
    method: found.method,
    codeNumber: found.codeNumber,
    colour: found.colour,
    colourText: COLOUR_TEXT[found.colour],
    servicePoint: null,
    tokenIssuedAt: found.tokenIssuedAt,
    tokenExpiresAt: found.tokenExpiresAt,
  };
}
