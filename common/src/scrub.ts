// Defence in depth: code should never log an ID number or phone, but if one slips into a log line
// (an echoed request, a driver error quoting a row) it is masked before it is written.
import { maskIdNumber, maskPhone } from './mask';

const RESIDENT_ID_RUN = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
// A '+86'/'86' country prefix is let through as a neighbour so '+8615012341234' is masked too.
const MOBILE_RUN = /(?<!\d)(\+?86[\s-]?)?(1[3-9]\d{9})(?!\d)/g;

export function scrubSensitive(text: string): string {
  return text
    .replace(RESIDENT_ID_RUN, (id) => maskIdNumber(id))
    .replace(MOBILE_RUN, (_match, prefix: string | undefined, phone: string) => (prefix ?? '') + maskPhone(phone));
}
