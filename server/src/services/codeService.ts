// Code tokens for people (A2, H1): issuing the short-lived `code` token a holder shows, and verifying
// what a scanner reads — a token (signature, expiry, revocation) or a typed 12-digit number.
import { COLOUR_TEXT, decodeToken, shanghaiDay, type Colour, type Day, type ReasonCode, type TokenKind, type TokenPayload } from '@bamin/common';
import type { Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { signToken, verifyToken } from '../domain/codeTokens';
import { ApiError, type ErrorCode } from '../errors';
import { writeAudit, type AuditEntry } from './auditService';
import { currentStatus, statusFromRow, type CurrentStatus } from './statusService';
import type { KeyRing } from '../integrations/signingKeys';
import { AREA_LEVELS_VERSION_SQL } from './areaLevelCache';
import { CACHE_STAFF_SESSIONS, cacheVersionSql } from '../db/models';

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

interface SignedCode {
  token: string;
  colour: Colour;
  keyId: string;
  issuedAt: number;
}

/** Signed `code` tokens by code number, per key ring (a test process holds several rings). */
const signedCodes = new WeakMap<KeyRing, Map<string, SignedCode>>();
/** Tokens kept per process; the oldest goes first when full (about 200 bytes each). */
export const SIGNED_CODE_CACHE_SIZE = 200_000;

/**
 * The `code` token for a code number and its current colour. A token signed earlier by this process is
 * handed out again while it has more than half its lifetime left and says the same colour with the current
 * key (issue 12: an Ed25519 signature per display was the code page's largest CPU cost after the queries).
 * A changed colour, a rotated key or a revocation of the code's tokens (`revokedBefore`, read by the caller
 * with the rest, so every instance sees it) is a cache miss.
 */
export function codeTokenFor(
  deps: Pick<Deps, 'clock' | 'keyRing' | 'config'>,
  codeNumber: string,
  colour: Colour,
  revokedBefore: Date | null,
): { token: string; issuedAt: number; expiresAt: number } {
  const ttl = deps.config.codeTokenTtlSeconds;
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  let cache = signedCodes.get(deps.keyRing);
  if (!cache) signedCodes.set(deps.keyRing, (cache = new Map()));
  const hit = cache.get(codeNumber);
  const revoked = hit && revokedBefore && hit.issuedAt * 1000 < revokedBefore.getTime();
  if (hit && !revoked && hit.colour === colour && hit.keyId === deps.keyRing.current.keyId && hit.issuedAt <= nowSeconds && nowSeconds - hit.issuedAt < ttl / 2) {
    return { token: hit.token, issuedAt: hit.issuedAt, expiresAt: hit.issuedAt + ttl };
  }
  const token = signToken(deps.keyRing, { kind: 'code', subject: codeNumber, colour, now: new Date(nowSeconds * 1000), ttlSeconds: ttl });
  cache.delete(codeNumber); // re-inserted last: Map order is the eviction order
  if (cache.size >= SIGNED_CODE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(codeNumber, { token, colour, keyId: deps.keyRing.current.keyId, issuedAt: nowSeconds });
  return { token, issuedAt: nowSeconds, expiresAt: nowSeconds + ttl };
}

/** The code a holder shows for a known colour (the code page's fast path reads the colour with the session). */
export function issuedCode(deps: Pick<Deps, 'clock' | 'keyRing' | 'config'>, codeNumber: string, status: CurrentStatus, revokedBefore: Date | null): IssuedCode {
  const t = codeTokenFor(deps, codeNumber, status.colour, revokedBefore);
  return {
    token: t.token,
    codeNumber,
    colour: status.colour,
    reasons: status.reasons,
    greenFrom: status.greenFrom,
    issuedAt: new Date(t.issuedAt * 1000).toISOString(),
    expiresAt: new Date(t.expiresAt * 1000).toISOString(),
  };
}

/** The holder's current `code` token, carrying the colour as of now. */
export async function issueCodeToken(deps: Pick<Deps, 'db' | 'clock' | 'keyRing' | 'config'>, personId: number): Promise<IssuedCode> {
  const person = await deps.db.models.Person.findByPk(personId, { attributes: ['id', 'codeNumber'], raw: true });
  const codeNumber = (person as { codeNumber?: string | null } | null)?.codeNumber;
  if (!codeNumber) throw new ApiError('CODE_NOT_FOUND');
  const revocation = (await deps.db.models.CodeRevocation.findOne({ where: { kind: 'code', subject: codeNumber }, attributes: ['revokedBefore'], raw: true })) as unknown as {
    revokedBefore: unknown;
  } | null;
  return issuedCode(deps, codeNumber, await currentStatus(deps, personId), revocation ? toDate(revocation.revokedBefore) : null);
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
  // one INSERT … ON DUPLICATE KEY UPDATE (SQLite: ON CONFLICT) on uk_code_revocations_kind_subject: a look-up
  // then an INSERT let two revocations of one subject at once both insert, and the second failed on the key
  await deps.db.models.CodeRevocation.upsert({ kind, subject, revokedBefore, reason }, { transaction: options.transaction });
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

/** The holder of a code as a scan needs them, read in one statement with the code's revocation. */
export interface HolderAtScan {
  personId: number;
  name: string | null;
  idMasked: string;
  residenceArea: string | null;
  codeArea: string | null;
  /** people.id_hash: the audit entry's subject_hash */
  idHash: string;
  /** cache_versions of the area levels, read in the same statement (areaLevelCache.ts) */
  areaLevelsVersion: number | null;
  /** cache_versions of the staff sessions, read in the same statement (staffService.confirmStaffSession) */
  staffSessionsVersion: number | null;
}

const HOLDER_COLUMNS = `p.id AS personId, p.name AS name, p.id_masked AS idMasked, p.residence_area AS residenceArea,
  p.code_area AS codeArea, p.id_hash AS idHash, h.colour AS colour, h.reasons AS reasons, h.green_from AS greenFrom,
  h.review_on AS reviewOn, r.revoked_before AS revokedBefore, ${AREA_LEVELS_VERSION_SQL} AS areaLevelsVersion,
  ${cacheVersionSql(CACHE_STAFF_SESSIONS)} AS staffSessionsVersion`;
const HOLDER_FROM = `FROM people p
LEFT JOIN health_statuses h ON h.person_id = p.id
LEFT JOIN code_revocations r ON r.kind = ? AND r.subject = p.code_number`;
const HOLDER_SQL = `SELECT ${HOLDER_COLUMNS} ${HOLDER_FROM} WHERE p.code_number = ?`;

/**
 * The holder's latest scan records read in the holder's own statement (a scan, issue 12: one round trip
 * less): `columns` are scan_records columns aliased uniquely, among them `rId`, `rPersonId` and `rScannedAt`;
 * `latestRows` come newest first, one per record.
 */
export interface LatestRecords {
  columns: string;
  limit: number;
}

/**
 * The holder statement of many scans at once (a scan, coalesced: db/coalescedReads.ts), keyed by code number:
 * each holder's latest records ranked per person by ROW_NUMBER() (portable to MySQL 8, MariaDB, TiDB and
 * SQLite), the code numbers' IN list twice. Its rows are in no order: `latestOf` orders them.
 */
function coalescedHolderSql(latest: LatestRecords): (inList: string) => string {
  return (inList) => `SELECT p.code_number AS holderCodeNumber, ${HOLDER_COLUMNS}, j.* ${HOLDER_FROM}
LEFT JOIN (SELECT ${latest.columns}, ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY scanned_at DESC, id DESC) AS rRank
  FROM scan_records WHERE person_id IN (SELECT id FROM people WHERE code_number IN (${inList}))) j
  ON j.rPersonId = p.id AND j.rRank <= ${Math.trunc(latest.limit)}
WHERE p.code_number IN (${inList})`;
}

/** The holder's latest record rows, newest first (scanned_at, then id, as the single statement orders them). */
function latestOf(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows
    .filter((r) => r.rId != null)
    .sort((a, b) => toDate(b.rScannedAt).getTime() - toDate(a.rScannedAt).getTime() || Number(b.rId) - Number(a.rId));
}

/** An audit entry of a code read, without its actor (the caller's). */
type CodeAudit = Omit<AuditEntry, 'actorKind' | 'actorId' | 'requestId'>;

export type CodeRead =
  | { ok: true; found: IdentifiedCode; holder: HolderAtScan | null; audit: CodeAudit; latestRows?: Record<string, unknown>[] }
  | { ok: false; error: ErrorCode; audit: CodeAudit };

/**
 * What a scanned token or a typed number stands for, with the current colour: signature, expiry and
 * revocation checked for tokens. Writes nothing: the caller writes `audit` (identifyCode at once, a scan
 * in its own transaction with the record), refused or not.
 */
export async function readCode(deps: Pick<Deps, 'db' | 'clock' | 'keyRing'>, input: { token: string } | { codeNumber: string }, latest?: LatestRecords): Promise<CodeRead> {
  const typed = !('token' in input);
  const action = typed ? 'code.lookup_typed' : 'code.verify';
  const refused = (error: ErrorCode, subjectId: string | null, detail: Record<string, unknown>): CodeRead => ({
    ok: false,
    error,
    audit: { action, subjectKind: 'code', subjectId, outcome: 'refused', detail },
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
      return refused(error, card ? card.subject : null, { error });
    }
    payload = checked.payload;
    if (payload.kind === 'point') {
      if (await isRevoked(deps, payload)) return refused('TOKEN_REVOKED', payload.subject, { error: 'TOKEN_REVOKED', kind: payload.kind });
      const point = (await deps.db.models.ServicePoint.findByPk(Number(payload.subject), {
        attributes: ['id', 'name', 'areaCode'],
        raw: true,
      })) as unknown as { id: number; name: string; areaCode: string } | null;
      if (!point) return { ...refused('CODE_NOT_FOUND', payload.subject, {}), audit: { action, subjectKind: 'code', subjectId: payload.subject, outcome: 'not_found', detail: { typed } } };
      return {
        ok: true,
        holder: null,
        audit: { action, subjectKind: 'code', subjectId: payload.subject, outcome: 'ok', detail: { kind: 'point' } },
        found: {
          kind: 'point',
          servicePoint: { id: Number(point.id), name: point.name, areaCode: point.areaCode },
          tokenIssuedAt: new Date(payload.issuedAt * 1000).toISOString(),
          tokenExpiresAt: new Date(payload.expiresAt * 1000).toISOString(),
        },
      };
    }
    codeNumber = payload.subject;
  } else {
    codeNumber = input.codeNumber;
  }
  type Row = HolderAtScan & { colour: string | null; reasons: string | null; greenFrom: string | null; reviewOn: string | null; revokedBefore: unknown };
  const kind = payload?.kind ?? 'code';
  // a scan's holder statement is shared by the scans asked for at once (coalesced); the verify route's is its own
  const rows = latest
    ? await deps.db
        .coalesced<Row & { holderCodeNumber: string }>(`holder with ${latest.limit} latest records`, { sql: coalescedHolderSql(latest), keyOf: (r) => r.holderCodeNumber, inLists: 2 })
        .load(codeNumber, [kind])
    : await deps.db.hot.select<Row>(HOLDER_SQL, [kind, codeNumber]);
  const row = rows[0];
  if (payload && (row ? row.revokedBefore != null && payload.issuedAt * 1000 < toDate(row.revokedBefore).getTime() : await isRevoked(deps, payload))) {
    const error = payload.kind === 'card' ? 'CARD_REVOKED' : 'TOKEN_REVOKED';
    return refused(error, payload.subject, { error, kind: payload.kind });
  }
  if (!row) return { ok: false, error: 'CODE_NOT_FOUND', audit: { action, subjectKind: 'code', subjectId: codeNumber, outcome: 'not_found', detail: { typed } } };
  const personId = Number(row.personId);
  const today = shanghaiDay(deps.clock.now());
  // a stored decision due for review (or none yet) is recomputed first, as everywhere (statusService)
  const status = row.colour != null && (row.reviewOn == null || row.reviewOn > today) ? statusFromRow({ colour: row.colour, reasons: row.reasons ?? '', greenFrom: row.greenFrom }) : await currentStatus(deps, personId);
  return {
    ok: true,
    holder: {
      personId,
      name: row.name,
      idMasked: row.idMasked,
      residenceArea: row.residenceArea,
      codeArea: row.codeArea,
      idHash: row.idHash,
      areaLevelsVersion: row.areaLevelsVersion == null ? null : Number(row.areaLevelsVersion),
      staffSessionsVersion: Number(row.staffSessionsVersion ?? 0),
    },
    audit: { action, subjectKind: 'person', subjectId: personId, outcome: 'ok', detail: { typed, kind: payload?.kind ?? 'code' } },
    ...(latest ? { latestRows: latestOf(rows as unknown as Record<string, unknown>[]) } : {}),
    found: {
      kind: payload?.kind === 'card' ? 'card' : 'code',
      method: payload ? 'token' : 'typed',
      codeNumber,
      personId,
      colour: status.colour,
      tokenIssuedAt: payload ? new Date(payload.issuedAt * 1000).toISOString() : null,
      tokenExpiresAt: payload ? new Date(payload.expiresAt * 1000).toISOString() : null,
    },
  };
}

/** readCode with its audit entry written at once (POST /api/v1/codes/verify, the scanner's look-ups). */
export async function identifyCode(deps: Pick<Deps, 'db' | 'clock' | 'keyRing'>, input: { token: string } | { codeNumber: string }, actor: Actor): Promise<IdentifiedCode> {
  const r = await readCode(deps, input);
  await writeAudit(deps, { actorKind: actor.kind, actorId: actor.id, requestId: actor.requestId, ...r.audit });
  if (!r.ok) throw new ApiError(r.error);
  return r.found;
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
