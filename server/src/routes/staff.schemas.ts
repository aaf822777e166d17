import { AREA_LEVELS, COLOURS, ORGANISATION_KINDS, PASS_REASONS, SCAN_METHODS, TEMPERATURE_MAX_CELSIUS, TEMPERATURE_MIN_CELSIUS, TEMPERATURE_RESULTS } from '@bamin/common';
import { z } from 'zod';
import { ApiError } from '../errors';
import { zodDetails } from '../http/middleware';

export const StaffSignInBody = z
  .object({ phone: z.string().min(1, '请输入手机号码').max(20), password: z.string().min(1, '请输入密码').max(64, '密码过长') })
  .strict();
export const StaffPasswordBody = z
  .object({ currentPassword: z.string().min(1, '请输入原密码').max(64), newPassword: z.string().min(1, '请输入新密码').max(64, '新密码过长') })
  .strict();

const text = (what: string, max: number) => z.string().trim().min(1, `请输入${what}`).max(max, `${what}不能超过 ${max} 个字`);
export const ScanPointBody = z
  .object({
    communityName: text('社区名称', 100),
    pointName: text('监测点名称', 100),
    areaCode: z.string().regex(/^\d{6}$/, '请选择区县'),
    location: text('具体位置', 200),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    servicePointId: z.number().int().positive().nullable().optional(),
  })
  .strict();

export const ScanBody = z.union([
  z.object({ token: z.string().min(1, '不能为空').max(1000, '过长') }).strict(),
  z.object({ codeNumber: z.string().regex(/^\d{12}$/, '请输入健康码上方的 12 位数字') }).strict(),
]);

/** 6 MiB of image as base64 (4 characters per 3 bytes). */
export const OCR_MAX_IMAGE_BYTES = 6 * 1024 * 1024;
export const OcrScanBody = z
  .object({
    imageBase64: z
      .string()
      .min(1, '请拍摄身份证正面')
      .max(Math.ceil(OCR_MAX_IMAGE_BYTES / 3) * 4, '图片不能超过 6 MB')
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, '不是 base64 编码的图片'),
  })
  .strict();

export const FeedbackBody = z
  .object({
    passReason: z.enum(PASS_REASONS, '请选择通行原因'),
    temperatureResult: z.enum(TEMPERATURE_RESULTS, '请选择体温结果'),
    temperatureCelsius: z
      .number()
      .min(TEMPERATURE_MIN_CELSIUS, `体温须在 ${TEMPERATURE_MIN_CELSIUS.toFixed(1)}–${TEMPERATURE_MAX_CELSIUS.toFixed(1)} ℃ 之间`)
      .max(TEMPERATURE_MAX_CELSIUS, `体温须在 ${TEMPERATURE_MIN_CELSIUS.toFixed(1)}–${TEMPERATURE_MAX_CELSIUS.toFixed(1)} ℃ 之间`)
      .refine((v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-9, '体温最多保留 1 位小数')
      .nullable()
      .optional(),
  })
  .strict();

export const PageQuery = z.object({
  page: z.coerce.number().int('页码须为整数').min(1, '页码从 1 开始').max(10000).default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少 1 条').max(50, '每页最多 50 条').default(10),
});

/** Query string → checked value, or 400 naming the parameter. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new ApiError('VALIDATION_FAILED', zodDetails(parsed.error));
  return parsed.data;
}

/** A numeric path parameter, or 400 naming it. */
export function idParam(raw: unknown, field = 'id'): number {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw new ApiError('VALIDATION_FAILED', [{ field, problem: '编号须为数字' }]);
  return Number(raw);
}

export const scanIdParam = (raw: string): number => idParam(raw, 'scanId');

const ScanPointResult = z.object({
  communityName: z.string(),
  pointName: z.string(),
  areaCode: z.string(),
  areaName: z.string(),
  location: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  servicePoint: z.object({ id: z.number(), name: z.string() }).nullable(),
  updatedAt: z.string(),
});
export { ScanPointResult };

export const StaffMeResult = z.object({
  accountId: z.number(),
  name: z.string().nullable(),
  phoneMasked: z.string(),
  mustChangePassword: z.boolean(),
  organisation: z.object({ id: z.number(), name: z.string(), kind: z.enum(ORGANISATION_KINDS) }),
  scanPoint: ScanPointResult.nullable(),
  servicePoints: z.array(z.object({ id: z.number(), name: z.string(), areaCode: z.string(), address: z.string().nullable() })),
});
export const StaffSessionResult = z.object({ token: z.string(), expiresAt: z.string(), me: StaffMeResult });

export const ScanRecordResult = z.object({
  id: z.number(),
  address: z.string(),
  scannedAt: z.string(),
  method: z.enum(SCAN_METHODS),
  methodText: z.string(),
  colour: z.enum(COLOURS),
  temperatureResult: z.enum(TEMPERATURE_RESULTS).nullable(),
  temperatureText: z.string(),
  temperatureCelsius: z.number().nullable(),
  passReason: z.enum(PASS_REASONS).nullable(),
  passReasonText: z.string().nullable(),
});

export const ScanResultSchema = z.object({
  scanId: z.number(),
  method: z.enum(SCAN_METHODS),
  methodText: z.string(),
  scannedAt: z.string(),
  person: z.object({ nameMasked: z.string(), idMasked: z.string(), residence: z.string().nullable() }),
  colour: z.enum(COLOURS),
  colourText: z.string(),
  areaWarning: z
    .object({
      areaCode: z.string(),
      areaName: z.string(),
      level: z.enum(AREA_LEVELS),
      levelText: z.string(),
      policy: z.string().nullable(),
      text: z.string(),
    })
    .nullable(),
  recentScans: z.array(ScanRecordResult),
  hasMoreScans: z.boolean(),
  tokenIssuedAt: z.string().nullable(),
  tokenExpiresAt: z.string().nullable(),
});

export const ScanHistoryResult = z.object({ items: z.array(ScanRecordResult), page: z.number(), pageSize: z.number(), total: z.number() });
export const MyScansResult = z.object({
  items: z.array(ScanRecordResult.extend({ personNameMasked: z.string() })),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});
