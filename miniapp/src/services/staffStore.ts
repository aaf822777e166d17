// The outcome of the last identification, passed from the home page to the result and feedback pages in
// memory (never in a URL: it carries personal data, however masked).
import { useEffect, useState } from 'react';
import { RECENT_SCANS_SHOWN, type ScanRecordView, type ScanResult } from '@bamin/common/staffApi';
import type { OfflineCheck } from './offlineCheck';

/** The result page shows as many records as the server puts in ScanResult.recentScans. */
export const RECENT_PAGE_SIZE = RECENT_SCANS_SHOWN;

export type ScanOutcome =
  /** The server identified the person and wrote a scan record. */
  | { kind: 'result'; result: ScanResult }
  /** The server refused (expired, forged, revoked, wrong kind, unknown number…): never shown as a result. */
  | { kind: 'refused'; code: string; message: string }
  /**
   * No network (or, for a national 防疫健康信息码, the server could not reach the national platform):
   * the token was checked on the device. `cause` is absent for 'network' (older outcomes).
   */
  | { kind: 'offline'; check: OfflineCheck; checkedAt: string; cause?: 'network' | 'national_unavailable' };

let current: ScanOutcome | null = null;
const listeners = new Set<() => void>();

export function getOutcome(): ScanOutcome | null {
  return current;
}

export function setOutcome(o: ScanOutcome | null): void {
  current = o;
  for (const l of [...listeners]) l();
}

/** After feedback: put the fresh recent records into the shown result. */
export function updateRecentScans(scanId: number, recentScans: ScanRecordView[], hasMoreScans: boolean): void {
  if (current?.kind !== 'result' || current.result.scanId !== scanId) return;
  setOutcome({ kind: 'result', result: { ...current.result, recentScans, hasMoreScans } });
}

/** After feedback when the list could not be refetched: patch the one record the server returned. */
export function patchRecentScan(scanId: number, record: ScanRecordView): void {
  if (current?.kind !== 'result' || current.result.scanId !== scanId) return;
  const recent = current.result.recentScans;
  const has = recent.some((r) => r.id === record.id);
  setOutcome({
    kind: 'result',
    result: { ...current.result, recentScans: has ? recent.map((r) => (r.id === record.id ? record : r)) : [record, ...recent] },
  });
}

export function useOutcome(): ScanOutcome | null {
  const [o, setO] = useState<ScanOutcome | null>(current);
  useEffect(() => {
    const l = () => setO(current);
    listeners.add(l);
    l();
    return () => {
      listeners.delete(l);
    };
  }, []);
  return o;
}
