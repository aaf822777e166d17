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
  REQUEST_ABORTED: { status: 400, message: '请求体未完整接收（连接中断），请重新提交' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求体超过 20 MiB 上限；更大的文件请使用命令行导入工具 npm run import' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的内容类型' },
  IMPORT_INVALID: { status: 422, message: '导入文件有误，未导入任何数据' },
  TOKEN_MALFORMED: { status: 400, message: '二维码内容无法识别' },
  TOKEN_BAD_SIGNATURE: { status: 400, message: '二维码签名无效，可能是伪造或被篡改的健康码' },
  TOKEN_EXPIRED: { status: 400, message: '二维码已过期，请刷新健康码后重新出示' },
  TOKEN_REVOKED: { status: 400, message: '二维码已作废' },
  CARD_REVOKED: { status: 410, message: '该健康码卡片已作废，请勿放行；请出示新补办的卡片或本人健康码' },
  CARD_EXPIRED: { status: 410, message: '该健康码卡片已过期，请出示新补办的卡片或本人健康码' },
  CARD_NOT_FOUND: { status: 404, message: '未找到该健康码卡片' },
  CARD_ACTIVE: { status: 409, message: '已有有效的健康码卡片；如需重新打印，请使用补办（补办后旧卡片立即作废）' },
  CARD_NOT_ACTIVE: { status: 409, message: '该健康码卡片已作废或已过期' },
  SMS_CODE_WRONG: { status: 400, message: '验证码错误' },
  SMS_CODE_EXPIRED: { status: 400, message: '验证码已过期或已使用，请重新获取' },
  SMS_TOO_FREQUENT: { status: 429, message: '验证码发送过于频繁，请 60 秒后再试' },
  L4_REQUIRED: { status: 403, message: '请先完成 L4 级实名认证' },
  L4_CHECK_NOT_FOUND: { status: 404, message: '认证请求不存在或已过期，请重新开始实名认证' },
  L4_FAILED: { status: 400, message: '人脸识别认证未通过，未生成健康码' },
  IDENTITY_TAKEN: { status: 409, message: '该证件已被其他账号实名认证' },
  PROFILE_REQUIRED: { status: 409, message: '请先填写居住地区和详细地址' },
  AREA_UNKNOWN: { status: 400, message: '请选择有效的区县' },
  CODE_NOT_GENERATED: { status: 409, message: '尚未生成健康码' },
  FAMILY_NOT_FOUND: { status: 404, message: '未找到该家人' },
  FAMILY_SELF: { status: 400, message: '不能为本人申领家人健康码' },
  FAMILY_ALREADY_CLAIMED: { status: 409, message: '该证件号码已被申领，不同用户不能重复为同一证件申领' },
  BIRTH_DATE_REQUIRED: { status: 400, message: '非居民身份证请填写出生日期' },
  FAMILY_LIMIT_TOTAL: { status: 409, message: '最多可为 8 名家人申领健康码' },
  FAMILY_LIMIT_PARENTS: { status: 409, message: '最多可为 4 名父母（含配偶父母）申领健康码' },
  FAMILY_LIMIT_CHILDREN: { status: 409, message: '最多可为 3 名子女申领健康码' },
  FAMILY_LIMIT_SPOUSE: { status: 409, message: '最多可为 1 名配偶申领健康码' },
  FAMILY_PARENT_TOO_YOUNG: { status: 400, message: '仅可为 55 周岁以上（含 55 周岁）的父母申领' },
  FAMILY_CHILD_TOO_OLD: { status: 400, message: '仅可为 16 周岁以下（含 16 周岁）的子女申领' },
  STAFF_BAD_CREDENTIALS: { status: 401, message: '账号或密码错误' },
  ACCOUNT_LOCKED: { status: 423, message: '密码连续输错 5 次，账号已锁定 15 分钟，请稍后再试' },
  ACCOUNT_DISABLED: { status: 403, message: '该账号已停用，请联系单位管理员' },
  STAFF_NOT_AUTHORISED: { status: 403, message: '本账号尚未获单位授权扫码，请联系单位管理员授权' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: '首次登录请先修改初始密码' },
  PASSWORD_WRONG: { status: 400, message: '原密码错误' },
  PASSWORD_WEAK: { status: 400, message: '新密码不符合要求' },
  SCAN_POINT_REQUIRED: { status: 409, message: '请先填写扫码点信息' },
  SERVICE_POINT_NOT_FOUND: { status: 404, message: '未找到本单位的该服务点' },
  TOKEN_WRONG_KIND: { status: 400, message: '这是场所码，不是个人健康码，请扫描通行人员的八闽健康码' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
  SCAN_NOT_FOUND: { status: 404, message: '未找到该扫码记录' },
  SCAN_NOT_OWN: { status: 403, message: '只能反馈本人扫码的记录' },
  OCR_IMAGE_UNREADABLE: { status: 422, message: '无法读取该图片，请重新拍摄身份证正面（JPEG 或 PNG）' },
  OCR_NO_ID_NUMBER: { status: 422, message: '未能识别出有效的身份证号码，请对准身份证正面重新拍摄，或改用输入 12 位数字' },
  OCR_UNDER_60: { status: 422, message: '身份证识别仅适用于 60 周岁以上（含 60 周岁）的老年人，请扫描其健康码' },
  CONSOLE_BAD_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  ENTERPRISE_NOT_ASSOCIATED: { status: 403, message: '个人实名账号尚未关联企业，请先在首页进行企业信息关联' },
  ENTERPRISE_ASSOCIATION_REFUSED: { status: 403, message: '无法关联：您的实名身份不是该企业登记的法定代表人或经办人' },
  CA_SESSION_REQUIRED: { status: 403, message: '子账号管理的所有操作都必须插入 CA 数字证书，请使用 CA 证书登录后再操作' },
  CA_CERT_MALFORMED: { status: 400, message: '证书文件无法识别，请选择 CA 机构颁发的企业证书文件（PEM）' },
  CA_CERT_EXPIRED: { status: 401, message: '证书不在有效期内（已过期或尚未生效），请更新企业证书' },
  CA_CERT_UNTRUSTED: { status: 401, message: '证书不是由受信任的 CA 机构颁发（自签名或来源不明），不能登录' },
  CA_CERT_NO_CREDIT_CODE: { status: 401, message: '证书中没有有效的统一社会信用代码' },
  CA_CERT_WRONG_ENTERPRISE: { status: 401, message: '证书中的统一社会信用代码与已注册的企业不符，请先完成法人注册或使用本企业的证书' },
  CA_SIGNATURE_INVALID: { status: 401, message: '证书私钥签名校验失败：所选文件中的私钥与证书不匹配' },
  CA_CHALLENGE_EXPIRED: { status: 400, message: '登录请求已过期，请重新选择证书登录' },
  CA_NOT_CONFIGURED: { status: 503, message: 'CA 证书登录尚未配置（CA_ROOT_CERT_FILE），请使用其他方式登录' },
  ACTIVATION_CODE_INVALID: { status: 400, message: '激活码无效、已使用、已过期，或与单位名称、统一社会信用代码不符' },
  CREDIT_CODE_TAKEN: { status: 409, message: '该统一社会信用代码已注册' },
  SUB_ACCOUNT_PHONE_TAKEN: { status: 409, message: '该手机号已是子账号' },
  SUB_ACCOUNT_NOT_FOUND: { status: 404, message: '未找到本单位的该子账号' },
  EMPLOYEE_NOT_FOUND: { status: 404, message: '未找到本单位的该职工' },
  EMPLOYEE_EXISTS: { status: 409, message: '本单位已有该证件号码的职工' },
  IMPORT_JOB_NOT_FOUND: { status: 404, message: '未找到该导入任务' },
  ALREADY_REPORTED: { status: 409, message: '所选职工中有人今日已上报，未发送任何提醒' },
  CANNOT_REMIND: { status: 409, message: '所选职工中有人无法接收站内提醒，未发送任何提醒' },
  CODE_REQUIRED_FIRST: { status: 403, message: '请先生成本人的八闽健康码，再进行扫码登记' },
  MESSAGE_NOT_FOUND: { status: 404, message: '未找到该消息' },
  REPORT_RECEIVER_NOT_ALLOWED: { status: 403, message: '只能上报给本单位的上级部门（不能是同级或下级单位）' },
  DATA_REPORT_NOT_FOUND: { status: 404, message: '未找到该上报记录' },
  DATA_REPORT_BUSY: { status: 409, message: '本单位已有 3 份上报正在生成，请等待生成完成后再发起' },
  HOST_TICKET_MALFORMED: { status: 400, message: '宿主应用的登录票据格式不正确' },
  HOST_UNKNOWN: { status: 401, message: '该宿主应用未在本服务登记' },
  HOST_TICKET_FORGED: { status: 401, message: '登录票据的签名校验失败' },
  HOST_TICKET_EXPIRED: { status: 401, message: '登录票据已过期，请从宿主应用重新进入' },
  HOST_TICKET_WRONG_AUDIENCE: { status: 401, message: '登录票据不是签发给八闽健康码的' },
  HOST_TICKET_REPLAYED: { status: 409, message: '登录票据已使用过，请从宿主应用重新进入' },
  CORRECTION_OPEN: { status: 409, message: '该健康码已有一条正在处理的申诉，请等待处理结果' },
  CORRECTION_NOT_FOUND: { status: 404, message: '未找到该申诉' },
  CORRECTION_NOT_PENDING: { status: 409, message: '该申诉不是待处理的本省健康码申诉，不能再作决定' },
  NATIONAL_CODE_INVALID: { status: 422, message: '防疫健康信息码无效（已过期、已撤销或签名不符），请对方刷新后重新出示' },
  NATIONAL_UNAVAILABLE: { status: 503, message: '暂时无法连接国家政务服务平台核验防疫健康信息码，请稍后重试或请对方出示八闽健康码' },
  REPORT_SCHEDULE_NOT_FOUND: { status: 404, message: '未找到本单位的该定时上报' },
  REPORT_SCHEDULE_LIMIT: { status: 409, message: '本单位的定时上报已达 20 个，请先删除不需要的定时上报' },
  REPORT_SCHEDULE_DUPLICATE: { status: 409, message: '已有相同接收部门、频率和筛选条件的定时上报' },
  REPORT_FILE_CORRUPT: { status: 409, message: '上报文件已损坏（校验值不符），请联系上报单位重新上报' },
  DATABASE_UNAVAILABLE: { status: 503, message: '数据库暂不可用，请稍后再试' },
  INTERNAL: { status: 500, message: '服务器内部错误' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** UNAUTHENTICATED's words on the staff (扫码员) routes: a missing, ended or withdrawn staff session. */
export const STAFF_SIGN_IN_FIRST = '请先以法人用户（扫码员）账号登录';

export class ApiError extends Error {
  readonly status: number;
  /** 429s: seconds until the caller may try again (sent as Retry-After). */
  retryAfterSeconds?: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: ErrorDetail[],
    message?: string,
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }

  withRetryAfter(seconds: number): this {
    this.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
    return this;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
