// The identity documents a person may register with. A person is found by the HMAC of identityKey, so
// every number is normalised (trimmed, upper-cased) before it is checked or keyed.
import { ISO3166_ALPHA3 } from './countries';
import type { Day } from './dates';
import { checkResidentId } from './ids';

export const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_TEXT: Record<IdType, string> = {
  resident_id: '居民身份证',
  passport: '护照',
  hk_macao_permit: '港澳居民来往内地通行证',
  taiwan_permit: '台湾居民来往大陆通行证',
};

export function isIdType(s: unknown): s is IdType {
  return typeof s === 'string' && (ID_TYPES as readonly string[]).includes(s);
}

export type IdDocumentCheck =
  | { ok: true; idType: IdType; number: string; country: string | null; birthDate: Day | null }
  | { ok: false; field: 'id_type' | 'id_number' | 'country'; problem: string };

const PASSPORT_NUMBER = /^[A-Z0-9]{5,17}$/;
// 'H' for Hong Kong, 'M' for Macao residents; both 8- and 10-digit series are still in circulation.
const HK_MACAO_PERMIT_NUMBER = /^[HM]\d{8}(\d{2})?$/;
// 8 digits on the card-style permits since 2015; older permits, still seen, had 10 digits and a letter.
const TAIWAN_PERMIT_NUMBER = /^(\d{8}|\d{10}[A-Z]?)$/;

export function checkIdDocument(idType: string, number: string, country?: string | null): IdDocumentCheck {
  if (!isIdType(idType)) return { ok: false, field: 'id_type', problem: '证件类型无效' };
  const normalized = String(number ?? '').trim().toUpperCase();
  if (normalized === '') return { ok: false, field: 'id_number', problem: '不能为空' };
  const countryCode = String(country ?? '').trim().toUpperCase() || null;

  // Only a passport names its issuing country; every other document is issued by the mainland.
  if (idType !== 'passport' && countryCode !== null) {
    return { ok: false, field: 'country', problem: `${ID_TYPE_TEXT[idType]}不填写国家或地区` };
  }

  switch (idType) {
    case 'resident_id': {
      const check = checkResidentId(normalized);
      if (!check.ok) return { ok: false, field: 'id_number', problem: check.problem };
      return { ok: true, idType, number: check.normalized, country: null, birthDate: check.birthDate };
    }
    case 'passport':
      if (!PASSPORT_NUMBER.test(normalized)) {
        return { ok: false, field: 'id_number', problem: '护照号码应为5至17位字母或数字' };
      }
      if (countryCode === null) {
        return { ok: false, field: 'country', problem: '护照须填写签发国家或地区（ISO 3166-1三位字母代码）' };
      }
      if (!ISO3166_ALPHA3.has(countryCode)) {
        return { ok: false, field: 'country', problem: '国家或地区代码无效，应为ISO 3166-1三位字母代码' };
      }
      return { ok: true, idType, number: normalized, country: countryCode, birthDate: null };
    case 'hk_macao_permit':
      if (!HK_MACAO_PERMIT_NUMBER.test(normalized)) {
        return { ok: false, field: 'id_number', problem: '港澳居民来往内地通行证号码应为H或M加8位或10位数字' };
      }
      return { ok: true, idType, number: normalized, country: null, birthDate: null };
    case 'taiwan_permit':
      if (!TAIWAN_PERMIT_NUMBER.test(normalized)) {
        return { ok: false, field: 'id_number', problem: '台湾居民来往大陆通行证号码应为8位数字，或10位数字加1位字母' };
      }
      return { ok: true, idType, number: normalized, country: null, birthDate: null };
  }
}

/** The canonical string HMAC-hashed to find a person; changing it orphans every stored person. */
export function identityKey(idType: IdType, normalizedNumber: string, country: string | null): string {
  return `${idType}:${country ?? ''}:${normalizedNumber}`;
}
