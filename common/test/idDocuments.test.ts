import { describe, expect, it } from 'vitest';
import { ISO3166_ALPHA3 } from '../src/countries';
import { ID_TYPES, ID_TYPE_TEXT, checkIdDocument, identityKey, isIdType } from '../src/idDocuments';
import { residentIdCheckDigit } from '../src/ids';

const residentId = '35010219900101103' + residentIdCheckDigit('35010219900101103');

describe('ISO3166_ALPHA3', () => {
  it('holds the 249 officially assigned codes', () => {
    expect(ISO3166_ALPHA3.size).toBe(249);
  });

  it.each(['CHN', 'HKG', 'MAC', 'TWN', 'USA', 'GBR', 'DEU', 'JPN', 'SSD', 'BES', 'ALA'])('contains %s', (code) => {
    expect(ISO3166_ALPHA3.has(code)).toBe(true);
  });

  it.each(['chn', 'UK', 'XKX', 'ANT', 'YUG', 'EUE', 'ZZZ'])('does not contain %s', (code) => {
    expect(ISO3166_ALPHA3.has(code)).toBe(false);
  });
});

describe('ID types', () => {
  it('are the four documents, with their Chinese names', () => {
    expect(ID_TYPES).toEqual(['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit']);
    expect(ID_TYPE_TEXT).toEqual({
      resident_id: '居民身份证',
      passport: '护照',
      hk_macao_permit: '港澳居民来往内地通行证',
      taiwan_permit: '台湾居民来往大陆通行证',
    });
  });

  it.each([
    ['passport', true],
    ['resident_id', true],
    ['PASSPORT', false],
    ['driver_licence', false],
    [null, false],
    [1, false],
  ])('isIdType(%j) → %s', (value, expected) => {
    expect(isIdType(value)).toBe(expected);
  });
});

describe('checkIdDocument accepts', () => {
  it.each([
    ['a resident ID with birth date', 'resident_id', residentId, null, residentId, null, '1990-01-01'],
    ['a resident ID with lower-case x', 'resident_id', '11010519491231002x', undefined, '11010519491231002X', null, '1949-12-31'],
    ['a resident ID with an empty country', 'resident_id', residentId, '  ', residentId, null, '1990-01-01'],
    ['a passport, upper-cased', 'passport', ' e12345678 ', 'chn', 'E12345678', 'CHN', null],
    ['a 5-character passport', 'passport', 'AB123', 'USA', 'AB123', 'USA', null],
    ['a 17-character passport', 'passport', 'A1234567890123456', 'GBR', 'A1234567890123456', 'GBR', null],
    ['a Hong Kong permit of 8 digits', 'hk_macao_permit', 'h12345678', null, 'H12345678', null, null],
    ['a Macao permit of 10 digits', 'hk_macao_permit', 'M1234567890', '', 'M1234567890', null, null],
    ['a Taiwan permit of 8 digits', 'taiwan_permit', '12345678', null, '12345678', null, null],
    ['a Taiwan permit of 10 digits', 'taiwan_permit', '1234567890', null, '1234567890', null, null],
    ['a Taiwan permit of 10 digits and a letter', 'taiwan_permit', '1234567890b', null, '1234567890B', null, null],
  ])('%s', (_name, idType, number, country, normalized, normalizedCountry, birthDate) => {
    expect(checkIdDocument(idType, number, country)).toEqual({
      ok: true,
      idType,
      number: normalized,
      country: normalizedCountry,
      birthDate,
    });
  });
});

describe('checkIdDocument rejects', () => {
  it.each([
    ['an unknown type', 'driver_licence', '123456', null, 'id_type'],
    ['an empty resident ID', 'resident_id', '', null, 'id_number'],
    ['a blank passport number', 'passport', '   ', 'CHN', 'id_number'],
    ['a resident ID with a bad check digit', 'resident_id', residentId.slice(0, 17) + (residentId[17] === '0' ? '1' : '0'), null, 'id_number'],
    ['a resident ID with a country', 'resident_id', residentId, 'CHN', 'country'],
    ['a passport without a country', 'passport', 'E12345678', null, 'country'],
    ['a passport with an alpha-2 country', 'passport', 'E12345678', 'CN', 'country'],
    ['a passport with an unassigned country', 'passport', 'E12345678', 'XKX', 'country'],
    ['a 4-character passport', 'passport', 'E123', 'CHN', 'id_number'],
    ['an 18-character passport', 'passport', 'E12345678901234567', 'CHN', 'id_number'],
    ['a passport with a dash', 'passport', 'E1234-5678', 'CHN', 'id_number'],
    ['a Hong Kong permit with a country', 'hk_macao_permit', 'H12345678', 'HKG', 'country'],
    ['a Hong Kong permit starting with K', 'hk_macao_permit', 'K12345678', null, 'id_number'],
    ['a Hong Kong permit of 9 digits', 'hk_macao_permit', 'H123456789', null, 'id_number'],
    ['a Taiwan permit with a country', 'taiwan_permit', '12345678', 'TWN', 'country'],
    ['a Taiwan permit of 9 digits', 'taiwan_permit', '123456789', null, 'id_number'],
    ['a Taiwan permit of 8 digits and a letter', 'taiwan_permit', '12345678A', null, 'id_number'],
  ])('%s → field %s', (_name, idType, number, country, field) => {
    const result = checkIdDocument(idType, number, country);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.field).toBe(field);
      expect(result.problem).not.toBe('');
    }
  });

  it('says an empty number must not be empty', () => {
    expect(checkIdDocument('passport', '', 'CHN')).toEqual({ ok: false, field: 'id_number', problem: '不能为空' });
  });
});

describe('identityKey', () => {
  it.each([
    ['resident_id', residentId, null, `resident_id::${residentId}`],
    ['passport', 'E12345678', 'CHN', 'passport:CHN:E12345678'],
    ['hk_macao_permit', 'H12345678', null, 'hk_macao_permit::H12345678'],
  ] as const)('%s %s %s → %s', (idType, number, country, key) => {
    expect(identityKey(idType, number, country)).toBe(key);
  });

  it('tells the same passport number from two countries apart', () => {
    expect(identityKey('passport', 'E12345678', 'CHN')).not.toBe(identityKey('passport', 'E12345678', 'USA'));
  });
});
