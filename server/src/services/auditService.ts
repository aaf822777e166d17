// Audit trail (H3): every read of a person's record and every change by a privileged caller.
// `detail` never holds personal data: ids and counts only.
import type { Transaction } from 'sequelize';
import type { Deps } from '../deps';

export interface AuditEntry {
  actorKind: 'source' | 'account' | 'person' | 'system';
  actorId?: string | null;
  action: string;
  subjectKind?: string | null;
  subjectId?: string | number | null;
  outcome: 'ok' | 'not_found' | 'refused';
  requestId?: string | null;
  detail?: Record<string, unknown>;
}

export async function writeAudit(deps: Pick<Deps, 'db' | 'clock'>, e: AuditEntry, transaction?: Transaction): Promise<void> {
  await deps.db.models.AuditLog.create(
    {
      at: deps.clock.now(),
      actorKind: e.actorKind,
      actorId: e.actorId ?? null,
      action: e.action,
      subjectKind: e.subjectKind ?? null,
      subjectId: e.subjectId == null ? null : String(e.subjectId),
      outcome: e.outcome,
      requestId: e.requestId ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
    },
    { transaction },
  );
}
