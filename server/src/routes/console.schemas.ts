import { CONSOLE_ROLES_ALL, ID_TYPES, LEGAL_PERSON_TYPES } from './console.roles';
import { z } from 'zod';

export { CONSOLE_ROLES_ALL };

const text = (what: string, max: number) => z.string().trim().min(1, `请输入${what}`).max(max, `${what}不能超过 ${max} 个字`);
const password = z.string().min(1, '请输入密码').max(64, '密码过长');

export const ConsoleSignInBody = z.object({ loginName: text('用户名', 64), password }).strict();
export const ConsolePasswordBody = z.object({ currentPassword: password, newPassword: z.string().min(1, '请输入新密码').max(64, '新密码过长') }).strict();
export const CaSignInBody = z
  .object({
    challengeId: z.string().regex(/^[0-9a-f]{32}$/, '登录请求编号无效'),
    certificatePem: z.string().min(1, '请选择证书文件').max(20_000, '证书文件过大'),
    signature: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, '签名格式无效'),
  })
  .strict();
export const PersonalSignInBody = z.object({ phone: z.string().min(1, '请输入手机号码').max(20), smsCode: z.string().regex(/^\d{6}$/, '验证码为 6 位数字') }).strict();
export const AssociationBody = z.object({ creditCode: text('统一社会信用代码', 18) }).strict();

export const EnterpriseRegistrationBody = z
  .object({
    legalPersonType: z.enum(LEGAL_PERSON_TYPES, '请选择法人类型'),
    name: text('企业名称', 200),
    creditCode: z.string().trim().min(1, '请输入统一社会信用代码').max(18, '统一社会信用代码为 18 位'),
    hasLicence: z.boolean('请选择有无许可证'),
    licenceNumber: z.string().trim().max(64, '许可证编号过长').nullable().optional(),
    legalRepName: text('法人姓名', 50),
    legalRepIdType: z.enum(ID_TYPES, '请选择法人证件类型'),
    legalRepCountry: z.string().trim().regex(/^[A-Z]{3}$/, '请选择国家/地区'),
    legalRepIdNumber: z.string().trim().min(1, '请输入法人证件号码').max(40),
    agentPhone: z.string().min(1, '请输入经办人手机号').max(20),
    smsCode: z.string().regex(/^\d{6}$/, '验证码为 6 位数字'),
    agentName: text('经办人姓名', 50),
    agentIdNumber: z.string().trim().min(1, '请输入经办人身份证').max(40),
    password: z.string().min(1, '请输入登录密码').max(64),
    passwordConfirmation: z.string().min(1, '请确认登录密码').max(64),
    agreed: z.boolean(),
  })
  .strict();

export const GovernmentAccountBody = z.object({ name: text('单位名称', 200), creditCode: z.string().trim().min(1, '请输入统一社会信用代码').max(18), activationCode: text('激活码', 32) }).strict();
export const ActivationCodeBody = z
  .object({ unitName: text('单位名称', 200), creditCode: z.string().trim().min(1, '请输入统一社会信用代码').max(18), areaCode: z.string().regex(/^\d{6}$/, '请选择市或区县') })
  .strict();

export const SubAccountBody = z.object({ phone: z.string().min(1, '请输入手机号码').max(20), name: text('姓名', 50) }).strict();
export const OrganisationBody = z.object({ name: text('企业名称', 200), legalRepName: text('法人姓名', 50), legalRepPhone: z.string().min(1, '请输入法人电话').max(20) }).strict();
export const EmployeeBody = z
  .object({
    name: z.string().max(100),
    idType: z.string().max(20),
    idNumber: z.string().max(40),
    country: z.string().max(3).nullable().optional(),
    phone: z.string().max(20).nullable().optional(),
    department: z.string().max(200).nullable().optional(),
  })
  .strict();
export const BatchDeleteBody = z.object({ ids: z.array(z.number().int().positive()).min(1, '请选择要删除的职工').max(1000, '一次最多删除 1000 名职工') }).strict();

export const EmployeeQuery = z.object({
  name: z.string().max(50).optional(),
  idNumber: z.string().max(40).optional(),
  page: z.coerce.number().int('页码须为整数').min(1, '页码从 1 开始').max(100000).default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(10),
});
