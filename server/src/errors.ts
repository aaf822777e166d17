// The one error catalogue. Routes and services throw `new ApiError('CODE')`; the outermost middleware
// turns it into `{ error: { code, message, details? } }` with the catalogue's status.
import type { ErrorDetail } from '@bamin/common';

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: '请求参数有误' },
  BAD_JSON: { status: 400, message: '请求体不是合法的 JSON' },
  UNAUTHENTICATED: { status: 401, message: '缺少凭证或凭证错误' },
  FORBIDDEN: { status: 403, message: '无权访问该资源' },
  ROUTE_NOT_FOUND: { status: 404, message: '接口不存在' },
  SOURCE_TYPE_UNKNOWN: { status: 404, message: '未知的数据源类型' },
  PERSON_NOT_FOUND: { status: 404, message: '未找到该人员' },
  CODE_NOT_FOUND: { status: 404, message: '未找到该健康码' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该请求方法' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求体超过 20 MiB 上限；更大的文件请使用命令行导入工具 npm run import' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的内容类型' },
  IMPORT_INVALID: { status: 422, message: '导入文件有误，未导入任何数据' },
  TOKEN_MALFORMED: { status: 400, message: '二维码内容无法识别' },
  TOKEN_BAD_SIGNATURE: { status: 400, message: '二维码签名无效，可能是伪造或被篡改的健康码' },
  TOKEN_EXPIRED: { status: 400, message: '二维码已过期，请刷新健康码后重新出示' },
  TOKEN_REVOKED: { status: 400, message: '二维码已作废' },
  DATABASE_UNAVAILABLE: { status: 503, message: '数据库暂不可用，请稍后再试' },
  INTERNAL: { status: 500, message: '服务器内部错误' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: ErrorDetail[],
    message?: string,
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
