import { identityKey } from '@bamin/common';
import { describe, expect, it } from 'vitest';
import { type EmployeeInput, checkEmployee, employeeIdentityKey } from '../../src/domain/employees';
import { residentId } from '../helpers/people';

const ID = residentId('350102', '19900307', 123);
const base: EmployeeInput = { name: '张三', idType: 'resident_id', idNumber: ID };

function problems(input: Partial<EmployeeInput>) {
  const result = checkEmployee({ ...base, ...input });
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.value)}`);
  return result.problems;
}

function value(input: Partial<EmployeeInput>) {
  const result = checkEmployee({ ...base, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

describe('checkEmployee', () => {
  it('accepts a resident ID holder with only the required fields and normalises the rest to null', () => {
    expect(value({})).toEqual({
      name: '张三',
      idType: 'resident_id',
      idNumber: ID,
      country: null,
      phone: null,
      department: null,
      birthDate: '1990-03-07',
    });
  });

  it('trims and normalises: name, ID number upper-cased, phone without +86 and spaces, department', () => {
    // A sequence whose check character is X, to see it upper-cased.
    let withX = '';
    for (let seq = 1; seq < 999 && !withX; seq++) {
      const id = residentId('350102', '19900307', seq);
      if (id.endsWith('X')) withX = id;
    }
    expect(value({ name: '  张三 ', idNumber: ` ${withX.toLowerCase()} `, phone: '+86 138-0013-8000', department: ' 行政部 ' })).toMatchObject({
      name: '张三',
      idNumber: withX,
      phone: '13800138000',
      department: '行政部',
    });
  });

  it.each([
    ['passport', 'e1234567', 'usa', { idNumber: 'E1234567', country: 'USA', birthDate: null }],
    ['hk_macao_permit', 'H12345678', null, { idNumber: 'H12345678', country: null, birthDate: null }],
    ['taiwan_permit', '12345678', '', { idNumber: '12345678', country: null, birthDate: null }],
  ])('accepts a %s (%s, country %s)', (idType, idNumber, country, expected) => {
    expect(value({ idType, idNumber, country })).toMatchObject({ idType, ...expected });
  });

  it.each([
    ['name empty', { name: '   ' }, [{ field: 'name', problem: '姓名不能为空' }]],
    ['name of 51 characters', { name: '张'.repeat(51) }, [{ field: 'name', problem: '姓名过长：最多 50 个字符，现有 51 个' }]],
    ['name with a line break', { name: '张\n三' }, [{ field: 'name', problem: '姓名含有换行符或其他控制字符' }]],
    ['idType empty', { idType: '' }, [{ field: 'idType', problem: '证件类型不能为空' }]],
    ['idType unknown', { idType: 'driver_licence' }, [{ field: 'idType', problem: expect.stringContaining('证件类型无效：driver_licence') }]],
    ['idType unknown and number empty', { idType: 'x', idNumber: '' }, [
      { field: 'idType', problem: expect.stringContaining('证件类型无效') },
      { field: 'idNumber', problem: '证件号码不能为空' },
    ]],
    ['idNumber empty', { idNumber: ' ' }, [{ field: 'idNumber', problem: '证件号码不能为空' }]],
    ['resident ID with a wrong check digit', { idNumber: ID.slice(0, 17) + ((Number(ID[17]) + 1) % 10) }, [
      { field: 'idNumber', problem: '身份证号码校验位不正确' },
    ]],
    ['resident ID of 17 characters', { idNumber: ID.slice(0, 17) }, [{ field: 'idNumber', problem: '身份证号码长度应为18位' }]],
    ['resident ID with a country', { country: 'CHN' }, [{ field: 'country', problem: '居民身份证不填写国家或地区' }]],
    ['resident ID wrong and a country: both reported', { idNumber: '123', country: 'CHN' }, [
      { field: 'idNumber', problem: '身份证号码长度应为18位' },
      { field: 'country', problem: '居民身份证不填写国家或地区' },
    ]],
    ['passport without a country', { idType: 'passport', idNumber: 'E1234567' }, [
      { field: 'country', problem: expect.stringContaining('护照须填写签发国家或地区') },
    ]],
    ['passport with an unknown country code', { idType: 'passport', idNumber: 'E1234567', country: 'XYZ' }, [
      { field: 'country', problem: expect.stringContaining('国家或地区代码无效') },
    ]],
    ['passport number and country both wrong: both reported', { idType: 'passport', idNumber: 'E1', country: '' }, [
      { field: 'idNumber', problem: '护照号码应为5至17位字母或数字' },
      { field: 'country', problem: expect.stringContaining('护照须填写签发国家或地区') },
    ]],
    ['HK/Macao permit of the wrong shape', { idType: 'hk_macao_permit', idNumber: 'X12345678' }, [
      { field: 'idNumber', problem: expect.stringContaining('港澳居民来往内地通行证号码') },
    ]],
    ['phone of 10 digits', { phone: '1380013800' }, [{ field: 'phone', problem: expect.stringContaining('手机号码格式不正确') }]],
    ['phone starting 12', { phone: '12800138000' }, [{ field: 'phone', problem: expect.stringContaining('手机号码格式不正确') }]],
    ['department of 101 characters', { department: '部'.repeat(101) }, [
      { field: 'department', problem: '部门名称过长：最多 100 个字符，现有 101 个' },
    ]],
  ])('refuses %s', (_, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });

  it('reports every field at once, in the order of the form', () => {
    expect(problems({ name: '', idNumber: '1', phone: '1', department: '部'.repeat(101) }).map((p) => p.field)).toEqual([
      'name',
      'idNumber',
      'phone',
      'department',
    ]);
  });

  it.each([
    ['name of exactly 50 characters', { name: '张'.repeat(50) }],
    ['name of 50 characters outside the BMP (counted as code points)', { name: '𠀀'.repeat(50) }],
    ['department of exactly 100 characters', { department: '部'.repeat(100) }],
    ['phone with 86 prefix', { phone: '8613800138000' }],
    ['empty phone and department', { phone: '', department: '  ' }],
    ['null phone, country and department', { phone: null, country: null, department: null }],
  ])('accepts %s', (_, input) => {
    expect(checkEmployee({ ...base, ...input }).ok).toBe(true);
  });
});

describe('employeeIdentityKey', () => {
  it("is common's identityKey, so the same person has the same key as anywhere else", () => {
    expect(employeeIdentityKey(value({}))).toBe(identityKey('resident_id', ID, null));
    const passport = value({ idType: 'passport', idNumber: 'e1234567', country: 'usa' });
    expect(employeeIdentityKey(passport)).toBe(identityKey('passport', 'E1234567', 'USA'));
  });

  it('differs by country for the same passport number', () => {
    const a = value({ idType: 'passport', idNumber: 'E1234567', country: 'USA' });
    const b = value({ idType: 'passport', idNumber: 'E1234567', country: 'GBR' });
    expect(employeeIdentityKey(a)).not.toBe(employeeIdentityKey(b));
  });
});
