import { assembleToken, encodeTokenPayload } from '@bamin/common/codeToken';
import type { PointPage, RegistrationResult } from '@bamin/common/pointApi';

/** A well-formed token of `kind` (the signature is zeros: only the server verifies it). */
export function tokenOf(kind: 'point' | 'code', subject = kind === 'point' ? '7' : '350100123456'): string {
  const payload = encodeTokenPayload({ version: 1, kind, keyId: '0a0b0c0d', subject, colour: kind === 'code' ? 'green' : null, issuedAt: 1_780_000_000, expiresAt: 1_790_000_000 });
  return assembleToken(payload, new Uint8Array(64));
}

export const POINT_TOKEN = tokenOf('point');

export function pointPage(overrides: Partial<PointPage> = {}): PointPage {
  return {
    servicePoint: { id: 7, name: '软件园9号食堂', address: '福州市鼓楼区软件大道89号', areaName: '福建省福州市鼓楼区', unitName: '福州软件园餐饮有限公司', typeText: '食堂' },
    staff: [
      { nameMasked: '***工', colour: 'green', colourText: '绿码', latestTemperatureCelsius: 36.4, latestReportAt: '2026-12-01T01:30:00Z' },
      { nameMasked: '*丽', colour: 'orange', colourText: '橙码', latestTemperatureCelsius: null, latestReportAt: null },
    ],
    members: [
      { holder: 'self', relationText: '本人', nameMasked: '**斌', gender: '男', idType: 'resident_id', idMasked: '35************0011', phoneMasked: '137****1111' },
      { holder: '17', relationText: '父母', nameMasked: '**华', gender: '女', idType: 'passport', idMasked: 'E*****78', phoneMasked: null },
    ],
    ...overrides,
  };
}

export function registration(overrides: Partial<RegistrationResult> = {}): RegistrationResult {
  return { scanId: 41, counted: true, servicePointName: '软件园9号食堂', registeredAt: '2026-12-01T02:05:09Z', colour: 'green', colourText: '绿码', ...overrides };
}
