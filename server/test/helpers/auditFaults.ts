// A fault of the audit log for the all-or-none tests (house rule; H3): the real audit_log model refuses the
// entries whose action matches while `fn` runs (a Sequelize beforeCreate hook throwing, so the INSERT is never
// sent and the use case's transaction rolls back), as a full disk or a lost table would.
import type { TestContext } from './context';

/** Runs `fn` while audit_log refuses entries whose action is `action` (or starts with it, ending in `_`); says how many it refused. */
export async function auditRefusing(ctx: TestContext, action: string, fn: () => Promise<void>): Promise<number> {
  const { AuditLog } = ctx.deps.db.models;
  const matches = (a: string) => (action.endsWith('_') ? a.startsWith(action) : a === action);
  let refused = 0;
  AuditLog.addHook('beforeCreate', 'auditRefusing', ((entry: { action: string }) => {
    if (!matches(entry.action)) return;
    refused++;
    throw new Error('audit_log refused the entry');
  }) as never);
  try {
    await fn();
  } finally {
    AuditLog.removeHook('beforeCreate', 'auditRefusing');
  }
  return refused;
}
