import { creditCodeCheckChar } from '@bamin/common/creditCode';
import { residentIdCheckDigit } from '@bamin/common/ids';

export const creditCode = (first17 = '91350100MA2XYW123') => first17 + creditCodeCheckChar(first17);
export const residentId = (first17 = '35010219800101501') => first17 + residentIdCheckDigit(first17);
