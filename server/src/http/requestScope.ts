// What the audit trail needs to know about the request it is written in (H3): why (the route) and for
// which unit. Set by the route registry around every handler, read by auditService.writeAudit, so no
// service has to pass them and none can forget.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  /** e.g. POST /api/v1/staff/scans (the route's template, never its parameters) */
  route: string;
  requestId?: string;
  /** the unit a console or scanner-staff caller acts for */
  organisationId?: number | null;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInScope<T>(scope: RequestScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}

export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}
