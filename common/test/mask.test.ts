import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from '../src/mask';

describe('maskIdNumber keeps the first 2 and last 3', () => {
  it.each([
    ['350102199001011034', '35*****034'],
    ['11010519491231002X', '11*****02X'],
    ['H12345678', 'H1*****678'],
    ['123456', '12*****456'],
    ['12345', '*****'],
    ['', ''],
  ])('%j → %j', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });
});

describe('maskPhone keeps the first 3 and last 4', () => {
  it.each([
    ['15012341234', '150****1234'],
    ['12345678', '123****5678'],
    ['1234567', '*******'],
    ['', ''],
  ])('%j → %j', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('maskName keeps the last character', () => {
  it.each([
    ['王斌', '*斌'],
    ['欧阳南', '**南'],
    ['斌', '斌'],
    ['𠮷野家', '**家'],
    ['王𠮷', '*𠮷'],
    ['John Smith', '*********h'],
    ['', ''],
  ])('%j → %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
