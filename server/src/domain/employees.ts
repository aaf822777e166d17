// One employee of a unit, as the console adds, edits or imports it (D6 employee management, E5 batch
// import). Pure: the same rules for the single add/edit API and for every row of an imported file, so
// a person the form refuses is refused by the import too, with the same words.
//
// Rules (each a named check below):
// - name: required, trimmed, 1–50 characters (code points, as the database counts them), one line;
// - idType: one of ID_TYPES;
// - idNumber: checked by common's checkIdDocument (GB 11643 check digit and birth date for resident
//   IDs, the number pattern of each other document), normalised (trimmed, upper-case);
// - country: only for passports, required there (ISO 3166-1 alpha-3); every other document is issued by
//   the mainland and has none;
// - phone: optional; when given, a mainland mobile number (common's checkMobile), stored normalised;
// - department: optional, trimmed, at most 100 characters, one line.
// Every field is checked, so a caller gets all problems at once, not the first.
import {
  type Day,
  type EmployeeRequest,
  type IdType,
  ID_TYPES,
  checkIdDocument,
  checkMobile,
  identityKey,
  isIdType,
} from '@bamin/common';

export const EMPLOYEE_TEXT_LIMITS = { name: 50, department: 100 } as const;

export type EmployeeField = keyof EmployeeRequest;

export interface EmployeeProblem {
  field: EmployeeField;
  problem: string;
}

/** What a caller hands in: the request body, or the cells of one imported row as text. */
export interface EmployeeInput {
  name: string;
  idType: string;
  idNumber: string;
  country?: string | null;
  phone?: string | null;
  department?: string | null;
}

export interface CheckedEmployee {
  name: string;
  idType: IdType;
  /** Normalised by checkIdDocument (trimmed, upper-cased). */
  idNumber: string;
  /** ISO 3166-1 alpha-3, passports only. */
  country: string | null;
  /** 11 digits, without +86 or separators. */
  phone: string | null;
  department: string | null;
  /** From a resident ID number; null for other documents. */
  birthDate: Day | null;
}

export type EmployeeCheck = { ok: true; value: CheckedEmployee } | { ok: false; problems: EmployeeProblem[] };

// A name or a department is one line; a pasted cell with Alt+Enter line breaks is a slip.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

// Any passport number of the right shape: used only to learn what checkIdDocument says about the
// country when the number itself is also wrong (it stops at the first problem).
const SHAPE_VALID_PASSPORT = 'E12345678';

const ID_FIELD: Record<'id_type' | 'id_number' | 'country', EmployeeField> = {
  id_type: 'idType',
  id_number: 'idNumber',
  country: 'country',
};

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

function lengthOf(s: string): number {
  return [...s].length;
}

function checkName(raw: unknown): { value: string } | { problem: string } {
  const name = text(raw);
  if (name === '') return { problem: '姓名不能为空' };
  const length = lengthOf(name);
  if (length > EMPLOYEE_TEXT_LIMITS.name) {
    return { problem: `姓名过长：最多 ${EMPLOYEE_TEXT_LIMITS.name} 个字符，现有 ${length} 个` };
  }
  if (CONTROL_CHARS.test(name)) return { problem: '姓名含有换行符或其他控制字符' };
  return { value: name };
}

function checkDepartment(raw: unknown): { value: string | null } | { problem: string } {
  const department = text(raw);
  if (department === '') return { value: null };
  const length = lengthOf(department);
  if (length > EMPLOYEE_TEXT_LIMITS.department) {
    return { problem: `部门名称过长：最多 ${EMPLOYEE_TEXT_LIMITS.department} 个字符，现有 ${length} 个` };
  }
  if (CONTROL_CHARS.test(department)) return { problem: '部门名称含有换行符或其他控制字符' };
  return { value: department };
}

function checkPhone(raw: unknown): { value: string | null } | { problem: string } {
  const phone = text(raw);
  if (phone === '') return { value: null };
  const check = checkMobile(phone);
  return check.ok ? { value: check.normalized } : { problem: check.problem };
}

type DocumentCheck =
  | { ok: true; idType: IdType; idNumber: string; country: string | null; birthDate: Day | null }
  | { ok: false; problems: EmployeeProblem[] };

/**
 * checkIdDocument reports one problem; an employee list wants every one. When it stops at the country
 * of a mainland document, the number is checked again without it; when it stops at a passport's
 * number, the country is checked again with a number of the right shape. The rules stay common's.
 */
function checkDocument(idTypeRaw: unknown, idNumberRaw: unknown, countryRaw: unknown): DocumentCheck {
  const idType = text(idTypeRaw);
  const idNumber = text(idNumberRaw);
  const country = text(countryRaw) || null;
  if (!isIdType(idType)) {
    const problems: EmployeeProblem[] = [
      {
        field: 'idType',
        problem: idType === '' ? '证件类型不能为空' : `证件类型无效：${idType}；应为 ${ID_TYPES.join('、')} 之一`,
      },
    ];
    // The number's pattern depends on the type; only its absence can be told without one.
    if (idNumber === '') problems.push({ field: 'idNumber', problem: '证件号码不能为空' });
    return { ok: false, problems };
  }

  const check = checkIdDocument(idType, idNumber, country);
  if (check.ok) {
    return { ok: true, idType, idNumber: check.number, country: check.country, birthDate: check.birthDate };
  }
  const problems: EmployeeProblem[] = [{ field: ID_FIELD[check.field], problem: idNumberProblem(check) }];
  if (check.field === 'country' && idType !== 'passport') {
    const numberOnly = checkIdDocument(idType, idNumber, null);
    if (!numberOnly.ok) problems.unshift({ field: ID_FIELD[numberOnly.field], problem: idNumberProblem(numberOnly) });
  } else if (check.field === 'id_number' && idType === 'passport') {
    const countryOnly = checkIdDocument(idType, SHAPE_VALID_PASSPORT, country);
    if (!countryOnly.ok) problems.push({ field: ID_FIELD[countryOnly.field], problem: countryOnly.problem });
  }
  return { ok: false, problems };
}

/** common says just '不能为空' for an empty number; a list of problems needs the field's name in it. */
function idNumberProblem(check: { field: string; problem: string }): string {
  return check.field === 'id_number' && check.problem === '不能为空' ? '证件号码不能为空' : check.problem;
}

export function checkEmployee(input: EmployeeInput): EmployeeCheck {
  const problems: EmployeeProblem[] = [];
  const name = checkName(input.name);
  if ('problem' in name) problems.push({ field: 'name', problem: name.problem });
  const document = checkDocument(input.idType, input.idNumber, input.country);
  if (!document.ok) problems.push(...document.problems);
  const phone = checkPhone(input.phone);
  if ('problem' in phone) problems.push({ field: 'phone', problem: phone.problem });
  const department = checkDepartment(input.department);
  if ('problem' in department) problems.push({ field: 'department', problem: department.problem });

  if (problems.length > 0 || !('value' in name) || !document.ok || !('value' in phone) || !('value' in department)) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: {
      name: name.value,
      idType: document.idType,
      idNumber: document.idNumber,
      country: document.country,
      phone: phone.value,
      department: department.value,
      birthDate: document.birthDate,
    },
  };
}

/** What makes two employees the same person (common's identityKey); the server stores its HMAC. */
export function employeeIdentityKey(value: Pick<CheckedEmployee, 'idType' | 'idNumber' | 'country'>): string {
  return identityKey(value.idType, value.idNumber, value.country);
}
