import { describe, expect, it } from 'vitest';
import { checkMobile } from '../src/phone';

describe('checkMobile', () => {
  it.each([
    ['15012341234', '15012341234'],
    ['13012341234', '13012341234'],
    ['19912341234', '19912341234'],
    ['150 1234 1234', '15012341234'],
    ['150-1234-1234', '15012341234'],
    ['+8615012341234', '15012341234'],
    ['+86 150 1234 1234', '15012341234'],
    ['8615012341234', '15012341234'],
    [' 15012341234 ', '15012341234'],
  ])('accepts %j as %s', (raw, normalized) => {
    expect(checkMobile(raw)).toEqual({ ok: true, normalized });
  });

  it.each([
    ['12012341234', 'second digit 2'],
    ['11012341234', 'second digit 1'],
    ['1501234123', '10 digits'],
    ['150123412345', '12 digits'],
    ['05912341234', 'a landline'],
    ['+85261234567', 'a Hong Kong number'],
    ['1501234123a', 'a letter'],
  ])('rejects %j (%s)', (raw) => {
    const result = checkMobile(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain('格式');
  });

  it('rejects an empty number as empty', () => {
    expect(checkMobile('  ')).toEqual({ ok: false, problem: '手机号码不能为空' });
  });
});
