// Valid, distinct resident ID numbers for tests (GB 11643 check digit computed, never hard-coded).
import { residentIdCheckDigit } from '@bamin/common';

export function residentId(county = '350102', birth = '19900101', seq = 1): string {
  const body = `${county}${birth}${String(seq).padStart(3, '0')}`;
  return body + residentIdCheckDigit(body);
}

export function csv(header: string, ...rows: string[]): string {
  return [header, ...rows].join('\n') + '\n';
}
