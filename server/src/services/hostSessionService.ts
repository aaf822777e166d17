// Sign-in through a host super-app (H7; issue 10): the plugin trades the host's ticket for the same citizen
// session the SMS sign-in gives, already at L4 — the host asserted it, and the account records which host
// did (l4_provider host:<appId>). Rules:
// - the ticket passes every check of integrations/hostIdentity.ts, each refusal with its own code;
// - it is used once: its (host, jti) row is inserted in the same transaction that creates the session, so
//   a replay — or two racing uses — fails on the unique key, and a refused sign-in does not use it up;
// - the host's user is linked to one citizen account: found by the link, else by the phone the host
//   verified (the same person signing in by SMS in the H5 app is the same account), else created;
// - the ID number may belong to no other account (IDENTITY_TAKEN), and an account already verified as
//   someone else cannot be re-bound by a host (IDENTITY_TAKEN too).
import { randomBytes } from 'node:crypto';
import { tokenHash } from '../domain/tokenHash';
import { UniqueConstraintError } from 'sequelize';
import { checkResidentId, maskPhone, type HostSignInResult } from '@bamin/common';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import { verifyHostTicket } from '../integrations/hostIdentity';
import { writeAudit } from './auditService';
import { SESSION_TTL_MS } from './citizenService';
import { identityHash, resolvePeople } from './peopleService';

type D = Pick<Deps, 'db' | 'pii' | 'clock' | 'config' | 'hosts'>;

export async function signInWithHostTicket(deps: D, ticket: string, requestId?: string): Promise<HostSignInResult> {
  const now = deps.clock.now();
  const check = verifyHostTicket(ticket, deps.hosts, deps.config.hostTicketAudience, now);
  if (!check.ok) {
    await writeAudit(deps, { actorKind: 'person', actorId: null, action: 'citizen.host_sign_in', outcome: 'refused', requestId, detail: { error: check.error } });
    throw new ApiError(check.error, [{ field: 'ticket', problem: check.problem }]);
  }
  const { payload: p, host } = check;
  const idNumber = (checkResidentId(p.idNumber) as { ok: true; normalized: string; birthDate: string }).normalized;
  const birthDate = (checkResidentId(p.idNumber) as { ok: true; birthDate: string }).birthDate;
  const phoneHash = deps.pii.hash(p.phone);
  const idHash = identityHash(deps, { idType: 'resident_id', idNumber, country: null });
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const m = deps.db.models;
  const signInOnce = () => deps.db.sequelize
    .transaction(async (transaction) => {
      await m.HostTicketUse.create({ hostAppId: host.appId, jti: p.jti, usedAt: now, expiresAt: new Date(p.exp * 1000) }, { transaction });
      const link = (await m.CitizenUserHost.findOne({ where: { hostAppId: host.appId, hostUserId: p.sub }, raw: true, transaction })) as unknown as { id: number; citizenUserId: number } | null;
      let user = link
        ? await m.CitizenUser.findByPk(link.citizenUserId, { transaction })
        : await m.CitizenUser.findOne({ where: { phoneHash }, transaction });
      user ??= await m.CitizenUser.create({ phoneHash, phoneEnc: deps.pii.encrypt(p.phone), phoneMasked: maskPhone(p.phone) }, { transaction });
      const uid = Number(user.get('id'));
      // the person the host verified; nobody else's account may hold it
      const existing = await m.Person.findOne({ where: { idHash }, attributes: ['id'], raw: true, transaction });
      if (existing) {
        const owner = await m.CitizenUser.findOne({ where: { personId: (existing as unknown as { id: number }).id }, attributes: ['id'], raw: true, transaction });
        if (owner && Number((owner as unknown as { id: number }).id) !== uid) throw new ApiError('IDENTITY_TAKEN');
      }
      const ids = await resolvePeople(deps, [{ idType: 'resident_id', idNumber, country: null, name: p.name.trim(), birthDate }], transaction);
      const personId = ids.get(idHash)!;
      const boundTo = user.get('personId');
      if (boundTo != null && Number(boundTo) !== personId) throw new ApiError('IDENTITY_TAKEN', [{ field: 'ticket', problem: '该账号已实名为他人，宿主应用声明的身份与之不符' }]);
      await m.Person.update({ name: p.name.trim(), birthDate }, { where: { id: personId }, transaction });
      try {
        await user.update({ personId, l4VerifiedAt: now, l4Provider: `host:${host.appId}` }, { transaction });
      } catch (e) {
        if (e instanceof UniqueConstraintError) throw new ApiError('IDENTITY_TAKEN');
        throw e;
      }
      if (link) await m.CitizenUserHost.update({ lastSignInAt: now }, { where: { id: link.id }, transaction });
      else await m.CitizenUserHost.create({ citizenUserId: uid, hostAppId: host.appId, hostUserId: p.sub, lastSignInAt: now }, { transaction });
      await m.AppSession.create({ tokenHash: tokenHash(token), citizenUserId: uid, expiresAt }, { transaction });
      await writeAudit(deps, { actorKind: 'person', actorId: String(uid), action: 'citizen.host_sign_in', subjectKind: 'person', subjectId: personId, outcome: 'ok', requestId, detail: { host: host.appId } }, transaction);
      return uid;
    })
    .catch(async (e) => {
      if (e instanceof UniqueConstraintError && (e.errors ?? []).some((x) => x.path === 'jti' || x.path === 'host_app_id') ) throw new ApiError('HOST_TICKET_REPLAYED', [{ field: 'ticket', problem: '该票据已使用过' }]);
      if (e instanceof UniqueConstraintError) {
        // on SQLite the error may not name the column: decide by looking
        const used = await m.HostTicketUse.count({ where: { hostAppId: host.appId, jti: p.jti } });
        if (used) throw new ApiError('HOST_TICKET_REPLAYED', [{ field: 'ticket', problem: '该票据已使用过' }]);
      }
      throw e;
    });
  // Another ticket of the same first-time host user signing in at the same moment (the host opening the page
  // twice) makes the account, the person or the host link first: this transaction met its unique key and was
  // rolled back whole, its ticket unused. Once more, it finds them and signs in to the same account.
  for (let attempt = 1; ; attempt++) {
    try {
      await signInOnce();
      break;
    } catch (e) {
      if (attempt >= 2 || !(e instanceof UniqueConstraintError)) throw e;
    }
  }
  return { token, expiresAt: expiresAt.toISOString(), host: { appId: host.appId, name: host.name } };
}
