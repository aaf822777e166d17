import type { CodeSummary, CodeView } from '@bamin/common/appApi';

export function greenSelf(overrides: Partial<CodeView> = {}): CodeView {
  return {
    holder: 'self',
    relation: 'self',
    nameMasked: '*斌',
    colour: 'green',
    codeNumber: '350100123456',
    token: 'AQEAAAABAAAAAAEBZ2ZmZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dn',
    issuedAt: '2026-12-01T10:00:00Z',
    expiresAt: '2026-12-01T10:05:00Z',
    colourText: '绿码',
    reasons: [],
    greenFrom: null,
    nucleicAcidTests: [],
    ...overrides,
  };
}

export function orangeSelf(overrides: Partial<CodeView> = {}): CodeView {
  return greenSelf({
    colour: 'orange',
    colourText: '橙码',
    reasons: [
      { code: 'FEVER_CLINIC', text: '14天内在我省有发热门诊就诊记录' },
      { code: 'FEVER_DRUG', text: '14天内在我省有购买退烧药品记录' },
    ],
    greenFrom: '2026-12-10',
    ...overrides,
  });
}

export const CODES: CodeSummary[] = [
  { holder: 'self', relation: 'self', nameMasked: '*斌', colour: 'green' },
  { holder: '17', relation: 'parent', nameMasked: '**华', colour: 'orange' },
];
