// Password checks shared by every legal-person account and sub-account sign-in (D2, F1): the same work
// whether or not the account exists, 5 wrong passwords in a row lock it for 15 minutes.
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { ApiError, type ErrorCode } from '../errors';
import { decoyHash, verifyPassword } from './passwords';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60_000;

export interface LockableAccount {
  id: number;
  passwordHash: string;
  failedLogins: number;
  lockedUntil: Date | string | null;
}

/**
 * Checks the password of `account` (null: no such account — a decoy hash is checked so the timing does
 * not tell), counting failures. Throws `badCredentials` or ACCOUNT_LOCKED; returns the account when it matches.
 */
export async function checkAccountPassword<T extends LockableAccount>(
  deps: Pick<Deps, 'db' | 'clock'>,
  found: T | null,
  password: string,
  badCredentials: ErrorCode,
): Promise<T> {
  const account = found;
  const now = deps.clock.now();
  if (!account) {
    await verifyPassword(password, await decoyHash());
    throw new ApiError(badCredentials);
  }
  if (account.lockedUntil && toDate(account.lockedUntil) > now) {
    const until = toDate(account.lockedUntil);
    throw new ApiError('ACCOUNT_LOCKED', undefined, lockedMessage(until, now)).withRetryAfter((until.getTime() - now.getTime()) / 1000);
  }
  if (!(await verifyPassword(password, account.passwordHash))) {
    await recordFailedLogin(deps, Number(account.id), now);
    throw new ApiError(badCredentials);
  }
  await deps.db.models.Account.update({ failedLogins: 0, lockedUntil: null }, { where: { id: account.id } });
  return account;
}

function lockedMessage(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return `密码连续输错 ${MAX_FAILED_LOGINS} 次，账号已锁定，请 ${minutes} 分钟后再试`;
}

/** Counts a wrong password atomically; the fifth in a row locks the account for 15 minutes. */
async function recordFailedLogin(deps: Pick<Deps, 'db'>, accountId: number, now: Date): Promise<void> {
  const { Account } = deps.db.models;
  await Account.increment('failedLogins', { by: 1, where: { id: accountId } });
  const row = (await Account.findByPk(accountId, { attributes: ['failedLogins'], raw: true })) as unknown as { failedLogins: number };
  if (Number(row.failedLogins) >= MAX_FAILED_LOGINS) {
    await Account.update({ failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCK_MS) }, { where: { id: accountId } });
  }
}
