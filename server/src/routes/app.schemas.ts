import { COLOURS, FAMILY_RELATIONS, ID_TYPES, SMS_PURPOSES, SYMPTOMS } from '@bamin/common';
import { z } from 'zod';

const phone = z.string().min(1, '请输入手机号码').max(20);
const smsCode = z.string().regex(/^\d{6}$/, '验证码为 6 位数字');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const county = z.string().regex(/^\d{6}$/, '请选择区县');

export const SmsCodeBody = z.object({ phone, purpose: z.enum(SMS_PURPOSES) }).strict();
export const SignInBody = z.object({ phone, smsCode }).strict();
export const L4StartBody = z
  .object({
    name: z.string().trim().min(1, '请输入真实姓名').max(50),
    idType: z.enum(ID_TYPES),
    idNumber: z.string().min(1, '请输入证件号码').max(40),
    country: z.string().max(3).nullable().optional(),
    birthDate: day.nullable().optional(),
  })
  .strict();
export const L4ConfirmBody = z.object({ checkId: z.string().regex(/^[0-9a-f]{32}$/), confirmed: z.boolean() }).strict();
export const ProfileBody = z.object({ residenceArea: county, residenceAddress: z.string().trim().min(1, '请输入详细地址').max(200) }).strict();
export const GenerateCodeBody = z.object({ currentArea: county }).strict();
export const HealthAnswersBody = z
  .object({
    inFujian: z.boolean(),
    leftFujianIn14Days: z.boolean(),
    isolatedOrContactOrRecentlyDischarged: z.boolean(),
    feverOrRespiratorySymptoms: z.boolean(),
    otherAbnormalHealth: z.boolean(),
  })
  .strict();
export const FamilyBody = z
  .object({
    relation: z.enum(FAMILY_RELATIONS),
    name: z.string().trim().min(1, '请输入真实的姓名').max(50),
    idType: z.enum(ID_TYPES),
    idNumber: z.string().min(1, '请输入真实的证件号码').max(40),
    country: z.string().max(3).nullable().optional(),
    birthDate: day.nullable().optional(),
    phone,
    smsCode,
    answers: HealthAnswersBody,
    commitmentAccepted: z.literal(true, '请阅读并同意本人郑重承诺'),
  })
  .strict();

const PersonView = z
  .object({ nameMasked: z.string(), idMasked: z.string(), residenceArea: z.string().nullable(), residenceAddress: z.string().nullable(), codeNumber: z.string().nullable() })
  .nullable();
export const MeResult = z.object({ phoneMasked: z.string(), l4Verified: z.boolean(), person: PersonView });
export const SessionResult = z.object({ token: z.string(), expiresAt: z.string(), me: MeResult });
const relation = z.union([z.enum(FAMILY_RELATIONS), z.literal('self')]);
export const CodeSummaryResult = z.object({ holder: z.string(), relation, nameMasked: z.string(), colour: z.enum(COLOURS) });
export const CodeViewResult = CodeSummaryResult.extend({
  codeNumber: z.string(),
  token: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  colourText: z.string(),
  reasons: z.array(z.object({ code: z.string(), text: z.string() })),
  greenFrom: z.string().nullable(),
  nucleicAcidTests: z.array(z.object({ sampledAt: z.string(), result: z.enum(['negative', 'positive']), institution: z.string() })),
});
export const AreasResult = z.object({ areas: z.array(z.object({ code: z.string(), name: z.string(), level: z.enum(['province', 'city', 'county']) })) });

export const HealthReportBody = z
  .object({
    holder: z.string().regex(/^(self|\d{1,15})$/, '请选择为谁上报'),
    temperatureCelsius: z
      .number('请填写体温')
      .refine((v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-9, '体温最多保留 1 位小数'),
    symptoms: z.array(z.enum(SYMPTOMS, '未知的症状')).max(5),
    otherSymptom: z.string().trim().max(100, '其他症状不能超过 100 个字').nullable().optional(),
    areaCode: county,
    location: z.string().trim().min(1, '请填写具体位置').max(200, '具体位置不能超过 200 个字'),
  })
  .strict();

export const RegistrationBody = z
  .object({
    token: z.string().min(1, '请扫描服务点健康码').max(500, '二维码内容过长'),
    holder: z.string().regex(/^(self|\d{1,15})$/, '请选择登记成员'),
    symptoms: z.array(z.enum(SYMPTOMS, '未知的症状')).max(5),
    otherSymptom: z.string().trim().max(100, '其他症状不能超过 100 个字').nullable().optional(),
  })
  .strict();
