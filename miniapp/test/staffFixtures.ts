import type { ScanPoint, ScanRecordView, ScanResult, StaffMe } from '@bamin/common/staffApi';

export const POINT: ScanPoint = {
  communityName: '温泉社区',
  pointName: '东门',
  areaCode: '350102',
  areaName: '福建省福州市鼓楼区',
  location: '五四路 1 号',
  latitude: null,
  longitude: null,
  servicePoint: null,
  updatedAt: '2026-12-01T01:00:00Z',
};

export function staffMe(overrides: Partial<StaffMe> = {}): StaffMe {
  return {
    accountId: 7,
    name: '李扫',
    phoneMasked: '139****0001',
    mustChangePassword: false,
    organisation: { id: 3, name: '鼓楼区温泉街道办事处', kind: 'government' },
    scanPoint: POINT,
    servicePoints: [],
    ...overrides,
  };
}

export function record(overrides: Partial<ScanRecordView> = {}): ScanRecordView {
  return {
    id: 101,
    address: '鼓楼区温泉社区东门',
    scannedAt: '2026-12-01T01:02:00Z',
    method: 'typed',
    methodText: '人工输入',
    colour: 'green',
    temperatureResult: null,
    temperatureText: '未反馈',
    temperatureCelsius: null,
    passReason: null,
    passReasonText: null,
    ...overrides,
  };
}

export function scanResult(overrides: Partial<ScanResult> = {}): ScanResult {
  return {
    scanId: 101,
    method: 'typed',
    methodText: '人工输入',
    scannedAt: '2026-12-01T01:02:00Z',
    person: { nameMasked: '*斌', idMasked: '35*****034', residence: '福建省福州市鼓楼区' },
    colour: 'green',
    colourText: '绿码',
    areaWarning: null,
    recentScans: [record()],
    hasMoreScans: false,
    tokenIssuedAt: null,
    tokenExpiresAt: null,
    ...overrides,
  };
}

export const SPORADIC_WARNING = {
  areaCode: '350203',
  areaName: '厦门市思明区',
  level: 'sporadic' as const,
  levelText: '零星散发疫情区',
  policy: '从该区无确诊病例的乡镇（街道）“点对点”前往其他区域务工的人员，实行监督性医学观察',
  text: '14天内去过的最严重地区是在 厦门市思明区，目前该地区为零星散发疫情区。',
};
