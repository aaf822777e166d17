// CA-certificate sign-in of an enterprise (manual 五(二)1 (1), E1): a challenge, then the certificate and
// the challenge signed with its key. The certificate must chain to the configured CA, be valid now, carry
// the credit code of a registered enterprise; the signature proves the key is held (the UKey's role).
import { randomBytes } from 'node:crypto';
import type { CaChallenge, CaSignInRequest } from '@bamin/common';
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { ApiError, type ErrorCode } from '../errors';
import { verifyChallengeSignature, verifyEnterpriseCertificate } from '../integrations/ca';
import { writeAudit } from './auditService';
import { randomId } from './consoleAccountService';
import { consoleCaSession } from './consoleSessionService';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export async function newChallenge(deps: Pick<Deps, 'db' | 'clock'>): Promise<CaChallenge> {
  const challengeId = randomId();
  const challenge = randomBytes(32).toString('base64url');
  const expiresAt = new Date(deps.clock.now().getTime() + CHALLENGE_TTL_MS);
  await deps.db.models.CaChallenge.create({ challengeId, challenge, expiresAt });
  return { challengeId, challenge, expiresAt: expiresAt.toISOString() };
}

export async function caSignIn(deps: Pick<Deps, 'db' | 'clock' | 'pii' | 'ca'>, body: CaSignInRequest, requestId?: string) {
  const now = deps.clock.now();
  const refuse = async (code: ErrorCode, detail: Record<string, unknown> = {}) => {
    await writeAudit(deps, { actorKind: 'system', action: 'console.sign_in', outcome: 'refused', requestId, detail: { method: 'ca', error: code, ...detail } });
    return new ApiError(code);
  };
  // One attempt per challenge: it is used up before anything else is looked at.
  const row = (await deps.db.models.CaChallenge.findOne({ where: { challengeId: body.challengeId }, raw: true })) as unknown as {
    id: number;
    challenge: string;
    expiresAt: Date | string;
    usedAt: Date | string | null;
  } | null;
  const [claimed] = row ? await deps.db.models.CaChallenge.update({ usedAt: now }, { where: { id: row.id, usedAt: null } }) : [0];
  if (!row || claimed !== 1 || toDate(row.expiresAt) <= now) throw await refuse('CA_CHALLENGE_EXPIRED');
  if (!deps.ca) throw await refuse('CA_NOT_CONFIGURED');
  const cert = verifyEnterpriseCertificate(deps.ca, body.certificatePem, now);
  if (!cert.ok) throw await refuse(cert.code);
  if (!verifyChallengeSignature(body.certificatePem, Buffer.from(row.challenge, 'base64url'), body.signature)) {
    throw await refuse('CA_SIGNATURE_INVALID', { serial: cert.serialNumber });
  }
  const org = (await deps.db.models.Organisation.findOne({ where: { creditCode: cert.creditCode, kind: 'enterprise' }, attributes: ['id'], raw: true })) as unknown as {
    id: number;
  } | null;
  if (!org) throw await refuse('CA_CERT_WRONG_ENTERPRISE', { serial: cert.serialNumber });
  return consoleCaSession(deps, Number(org.id), cert.serialNumber, requestId);
}
