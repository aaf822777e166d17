// Client-side checks of the scan point form (扫码点信息); the server has the final say.
import type { ScanPointRequest } from '@bamin/common/staffApi';

export interface PointForm {
  communityName: string;
  pointName: string;
  areaCode: string;
  location: string;
  latitude: number | null;
  longitude: number | null;
  servicePointId: number | null;
}

export type PointErrors = Partial<Record<'communityName' | 'pointName' | 'areaCode' | 'location', string>>;

export const POINT_NAME_MAX = 50;
export const LOCATION_MAX = 100;

export function validatePointForm(f: PointForm): PointErrors {
  const errs: PointErrors = {};
  const community = f.communityName.trim();
  const point = f.pointName.trim();
  const location = f.location.trim();
  if (!community) errs.communityName = '请输入社区名称';
  else if (community.length > POINT_NAME_MAX) errs.communityName = `社区名称不能超过${POINT_NAME_MAX}个字`;
  if (!point) errs.pointName = '请输入监测点名称';
  else if (point.length > POINT_NAME_MAX) errs.pointName = `监测点名称不能超过${POINT_NAME_MAX}个字`;
  // GB/T 2260: a county's last two digits are never 00 (those are provinces and cities).
  if (!/^\d{4}(0[1-9]|[1-9]\d)$/.test(f.areaCode)) errs.areaCode = '请选择所在区县（省、市、区县）';
  if (!location) errs.location = '请输入具体位置，或点击“定位当前位置”';
  else if (location.length > LOCATION_MAX) errs.location = `具体位置不能超过${LOCATION_MAX}个字`;
  return errs;
}

export function pointRequest(f: PointForm): ScanPointRequest {
  return {
    communityName: f.communityName.trim(),
    pointName: f.pointName.trim(),
    areaCode: f.areaCode,
    location: f.location.trim(),
    latitude: f.latitude,
    longitude: f.longitude,
    servicePointId: f.servicePointId,
  };
}
