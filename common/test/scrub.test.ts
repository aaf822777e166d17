import { describe, expect, it } from 'vitest';
import { scrubSensitive } from '../src/scrub';

describe('scrubSensitive', () => {
  it.each([
    ['masks an ID number and a phone in a sentence',
      '王斌 350102199001011034 手机15012341234已登记',
      '王斌 35*****034 手机150****1234已登记'],
    ['masks an ID number ending in lower-case x',
      'id=11010519491231002x;', 'id=11*****02x;'],
    ['masks inside JSON',
      '{"idNumber":"350102199001011034","phone":"15012341234"}',
      '{"idNumber":"35*****034","phone":"150****1234"}'],
    ['masks a phone with a +86 prefix', 'tel +8615012341234', 'tel +86150****1234'],
    ['masks a phone next to letters', 'phone15012341234end', 'phone150****1234end'],
    ['masks several values', '15012341234,13912345678', '150****1234,139****5678'],
    ['leaves a longer digit run alone', 'trace 1350102199001011034', 'trace 1350102199001011034'],
    ['leaves an ID-shaped run inside a token alone', 'A350102199001011034', 'A350102199001011034'],
    ['leaves a 12-digit number alone', 'order 150123412345', 'order 150123412345'],
    ['leaves a number not starting 13–19 alone', 'n=12012341234', 'n=12012341234'],
    ['leaves a timestamp alone', 'at 1709280000000', 'at 1709280000000'],
    ['leaves text without numbers alone', '健康码已生成', '健康码已生成'],
  ])('%s', (_name, text, expected) => {
    expect(scrubSensitive(text)).toBe(expected);
  });
});
