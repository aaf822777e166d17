// Demo data for a first start: a believable slice of Fujian — a few thousand people across its
// counties, some orange for each of the six reasons, units, enterprises, service points. Repeatable:
// the same seed on the same day gives the same data. Source records go through the real import path.
import {
  addDays,
  creditCodeCheckChar,
  maskIdNumber,
  maskPhone,
  residentIdCheckDigit,
  shanghaiDay,
  shanghaiWallClock,
  identityKey,
  type Day,
} from '@bamin/common';
import type { Deps } from '../deps';
import { hashPassword } from './passwords';
import { createSubAccount } from './staffService';
import { countiesOf, findArea } from '../domain/areas';
import type { ParsedRow, PersonRef, SourceRecord, SourceType } from '../domain/sources';
import { sourceKey } from '../domain/sources';
import { importRecords } from './importService';
import { chunks } from './peopleService';

export const DEMO_SEED = 20200220;
export const DEMO_PEOPLE = 3000;

/** mulberry32: small, fast, and the same sequence everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  return { next, int, pick };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程苏魏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严洪赖覃武莫孔汤向常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强文斌海燕红梅玉兰晓明丽华俊杰子涵雨萱浩然欣怡宇轩思远佳琪梓豪诗涵一鸣晨曦'.split('');
const HOSPITALS = ['福建医科大学附属第一医院', '福建省立医院', '福州市第一医院', '厦门大学附属中山医院', '泉州市第一医院', '漳州市医院', '莆田学院附属医院', '三明市第一医院', '南平市第一医院', '龙岩市第一医院', '宁德市医院'];
const PHARMACIES = ['惠好大药房（五四路店）', '鹭燕大药房（中山路店）', '同春药店（东街口店）', '国大药房（万达店）', '大参林药店（湖东路店）'];
const DRUGS = ['布洛芬缓释胶囊', '对乙酰氨基酚片', '复方氨酚烷胺片', '阿司匹林泡腾片'];
const LABS = ['福建省疾病预防控制中心', '福州市疾病预防控制中心', '厦门市疾病预防控制中心', '金域医学检验所（福州）', '迪安诊断（厦门）'];
const ORIGINS = ['湖北省武汉市', '黑龙江省哈尔滨市', '吉林省舒兰市', '北京市丰台区', '新疆维吾尔自治区乌鲁木齐市'];
const CITY_NAMES: Record<string, string> = {
  '3501': '福州', '3502': '厦门', '3503': '莆田', '3504': '三明', '3505': '泉州', '3506': '漳州', '3507': '南平', '3508': '龙岩', '3509': '宁德',
};

interface DemoPerson extends PersonRef {
  name: string;
  phone: string;
  birthDate: Day;
  residenceArea: string;
  codeNumber: string | null;
}

export interface SeedSummary {
  people: number;
  orange: number;
  organisations: number;
  servicePoints: number;
  employees: number;
  staffAccounts: number;
  sourceRows: Record<string, number>;
}

/**
 * Demo scanning sub-accounts (F1), one per state the sign-in must handle. Demo passwords only: a real
 * deployment runs with SEED_DEMO=0 and the units create their accounts in the console.
 */
export const DEMO_STAFF = [
  { phone: '13800000001', password: 'Bamin2026scan', unit: 'government', authorised: true, mustChangePassword: false, name: '陈扫码', note: '政府单位，已授权' },
  { phone: '13800000002', password: 'Bamin2026init', unit: 'government', authorised: true, mustChangePassword: true, name: '林初始', note: '政府单位，首次登录须改密码' },
  { phone: '13800000003', password: 'Bamin2026scan', unit: 'enterprise', authorised: true, mustChangePassword: false, name: '黄企业', note: '企业，已授权' },
  { phone: '13800000004', password: 'Bamin2026scan', unit: 'enterprise', authorised: false, mustChangePassword: false, name: '吴未授', note: '企业，尚未授权（登录被拒）' },
] as const;

/**
 * Demo console accounts (D2): the health department, the demo government unit and the first demo
 * enterprise (user name = its credit code; CA login: npm run issue-cert -- <credit code>).
 */
export const DEMO_CONSOLE = [
  { unit: 'health_department', name: '福建省卫生健康委员会', loginName: 'wjw', password: 'Bamin2026wjw', note: '卫健委（签发激活码）' },
  { unit: 'government', name: '福建省经济信息中心', loginName: null, password: 'Bamin2026gov', note: '政府单位' },
  { unit: 'enterprise', name: '长威信息科技发展股份有限公司', loginName: null, password: 'Bamin2026ent', note: '企业（CA 登录：npm run issue-cert -- <用户名>）' },
] as const;

/** The demo console accounts with their user names as stored (null when the demo data is not there). */
export async function demoConsoleAccounts(deps: Pick<Deps, 'db'>) {
  const out: { loginName: string; password: string; note: string }[] = [];
  for (const a of DEMO_CONSOLE) {
    const org = (await deps.db.models.Organisation.findOne({ where: { name: a.name, kind: a.unit }, attributes: ['id'], raw: true })) as unknown as { id: number } | null;
    const account = org ? ((await deps.db.models.Account.findOne({ where: { organisationId: org.id, kind: 'main' }, attributes: ['loginName'], raw: true })) as unknown as { loginName: string } | null) : null;
    if (account?.loginName) out.push({ loginName: account.loginName, password: a.password, note: a.note });
  }
  return out;
}

/** Seeds when the database holds no people yet; returns null when it did nothing. */
export async function seedDemo(deps: Pick<Deps, 'db' | 'pii' | 'clock' | 'logger'>, opts: { seed?: number; people?: number } = {}): Promise<SeedSummary | null> {
  if ((await deps.db.models.Person.count()) > 0) return null;
  const r = prng(opts.seed ?? DEMO_SEED);
  const today = shanghaiDay(deps.clock.now());
  const counties = countiesOf('350000').filter((a) => a.level === 'county');
  const at = (daysAgo: number, hour = r.int(8, 20)) => {
    const [y, m, d] = addDays(today, -daysAgo).split('-').map(Number);
    return shanghaiWallClock(y, m, d, hour, r.int(0, 59), 0)!;
  };

  // People with valid resident ID numbers from Fujian counties.
  const people: DemoPerson[] = [];
  const seen = new Set<string>();
  const codes = new Set<string>();
  const n = opts.people ?? DEMO_PEOPLE;
  while (people.length < n) {
    const county = r.pick(counties);
    const birth = addDays('1940-01-01', r.int(0, 365 * 80));
    const body = `${county.code}${birth.replace(/-/g, '')}${String(r.int(1, 999)).padStart(3, '0')}`;
    const idNumber = body + residentIdCheckDigit(body);
    if (seen.has(idNumber)) continue;
    seen.add(idNumber);
    const name = r.pick(SURNAMES) + r.pick(GIVEN) + (r.next() < 0.6 ? r.pick(GIVEN) : '');
    let codeNumber: string | null = null;
    if (r.next() < 0.85) {
      do codeNumber = String(r.int(1, 999_999)).padStart(6, '0') + String(r.int(0, 999_999)).padStart(6, '0');
      while (codes.has(codeNumber));
      codes.add(codeNumber);
    }
    people.push({
      idType: 'resident_id',
      idNumber,
      country: null,
      name,
      phone: `1${r.pick(['35', '37', '38', '39', '50', '58', '59', '88', '89'])}${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
      birthDate: birth,
      residenceArea: county.code,
      codeNumber,
    });
  }

  const now = deps.clock.now();
  await deps.db.sequelize.transaction(async (transaction) => {
    for (const part of chunks(people, 500)) {
      await deps.db.models.Person.bulkCreate(
        part.map((p) => ({
          idType: p.idType,
          idHash: deps.pii.hash(identityKey(p.idType, p.idNumber, null)),
          idNumberEnc: deps.pii.encrypt(p.idNumber),
          idMasked: maskIdNumber(p.idNumber),
          country: null,
          name: p.name,
          birthDate: p.birthDate,
          phoneHash: deps.pii.hash(p.phone),
          phoneEnc: deps.pii.encrypt(p.phone),
          residenceArea: p.residenceArea,
          residenceAddress: `${findArea(p.residenceArea)?.name ?? ''}${r.pick(['五一路', '八一七路', '湖东路', '中山路', '温陵路', '胜利路'])}${r.int(1, 300)}号`,
          codeNumber: p.codeNumber,
          codeArea: p.codeNumber ? p.residenceArea : null,
          codeGeneratedAt: p.codeNumber ? at(r.int(30, 300)) : null,
        })),
        { transaction },
      );
    }
  });

  // Source data: each of the six reasons, some still holding and some already over.
  const ref = (p: DemoPerson): PersonRef => ({ idType: p.idType, idNumber: p.idNumber, country: null, name: p.name });
  let cursor = 0;
  const take = (k: number) => people.slice(cursor, (cursor += k));
  const src: Partial<Record<SourceType, SourceRecord[]>> = {};
  const add = (rec: SourceRecord) => (src[rec.type] ??= []).push(rec);

  take(5).forEach((p) => add({ type: 'cases', person: ref(p), status: 'confirmed', reportedAt: at(r.int(1, 6)) }));
  take(3).forEach((p) => add({ type: 'cases', person: ref(p), status: 'suspected', reportedAt: at(r.int(0, 3)) }));
  take(4).forEach((p) => add({ type: 'cases', person: ref(p), status: 'discharged', reportedAt: at(r.int(2, 10)) }));
  take(3).forEach((p) => {
    add({ type: 'cases', person: ref(p), status: 'suspected', reportedAt: at(9) });
    add({ type: 'cases', person: ref(p), status: 'excluded', reportedAt: at(7) });
  });
  take(20).forEach((p, i) =>
    add({ type: 'close-contacts', person: ref(p), identifiedAt: at(r.int(2, 10)), releasedAt: i < 10 ? null : i < 15 ? at(-r.int(1, 7)) : at(1) }),
  );
  take(35).forEach((p, i) => add({ type: 'arrivals', person: ref(p), fromArea: r.pick(ORIGINS), arrivedAt: at(i < 25 ? r.int(0, 13) : r.int(15, 40)) }));
  const communities = [
    { code: '350102001001', name: '鼓楼区东街街道达明社区', area: '350102', from: at(6), until: null },
    { code: '350203003002', name: '思明区中华街道新华社区', area: '350203', from: at(4), until: at(-5) },
    { code: '350503002003', name: '丰泽区东海街道东滨社区', area: '350503', from: at(30), until: at(10) },
  ];
  for (const c of communities) {
    add({ type: 'closed-communities', communityCode: c.code, communityName: c.name, areaCode: c.area, closedFrom: c.from, closedUntil: c.until });
    take(20).forEach((p) => add({ type: 'community-residents', person: ref(p), communityCode: c.code }));
  }
  take(30).forEach((p, i) => add({ type: 'fever-clinic-visits', person: ref(p), hospital: r.pick(HOSPITALS), visitedAt: at(i < 20 ? r.int(0, 13) : r.int(14, 30)) }));
  take(30).forEach((p, i) =>
    add({ type: 'fever-drug-purchases', person: ref(p), pharmacy: r.pick(PHARMACIES), drug: r.pick(DRUGS), purchasedAt: at(i < 20 ? r.int(0, 13) : r.int(14, 30)) }),
  );
  for (let i = 0; i < 800; i++) {
    const p = people[r.int(0, people.length - 1)];
    add({ type: 'nucleic-acid-tests', person: ref(p), sampledAt: at(r.int(0, 10)), result: 'negative', institution: r.pick(LABS) });
  }
  const levelStart = addDays(today, -60);
  for (const c of counties) add({ type: 'area-levels', areaCode: c.code, level: 'none', policy: null, effectiveFrom: levelStart });
  const hot: [string, 'sporadic' | 'community'][] = [['350102', 'sporadic'], ['350203', 'community'], ['350503', 'sporadic']];
  for (const [code, level] of hot) {
    add({
      type: 'area-levels',
      areaCode: code,
      level,
      effectiveFrom: addDays(today, -7),
      policy:
        level === 'sporadic'
          ? '零星散发疫情区-从该区无确诊病例的乡镇（街道）“点对点”前往其他区域务工的人员，实行监督性医学观察，无发热、乏力、咳嗽、腹泻、结膜充血等不适症状的可上岗。'
          : '社区传播疫情区-严格限制人员外出，确需外出的须持 7 日内核酸检测阴性证明。',
    });
  }

  const sourceRows: Record<string, number> = {};
  for (const [type, records] of Object.entries(src) as [SourceType, SourceRecord[]][]) {
    const rows: ParsedRow[] = records.map((record, i) => ({ line: i + 2, record, key: sourceKey(record) }));
    // the same person may be drawn twice for a test on one day at one lab: keep the first
    const unique = [...new Map(rows.map((row) => [row.key, row])).values()];
    const res = await importRecords(deps, type, unique);
    sourceRows[type] = res.inserted;
  }
  // People without any source row still get a (green) status row, so every read is a key look-up.
  const { recomputeAll } = await import('./statusService');
  await recomputeAll(deps);

  // Units: the provincial health department, city and county government units, enterprises.
  const { Organisation, ServicePoint, CrowdFlowSetting, Employee } = deps.db.models;
  let orgCount = 0;
  let pointCount = 0;
  let employeeCount = 0;
  await deps.db.sequelize.transaction(async (transaction) => {
    const healthDept = await Organisation.create({ kind: 'health_department', name: '福建省卫生健康委员会', areaCode: '350000', creditCode: makeCreditCode('11', '350000', r) }, { transaction });
    orgCount++;
    const cityUnits: { id: number; city: string }[] = [];
    for (const [city, cityName] of Object.entries(CITY_NAMES)) {
      const unit = await Organisation.create(
        { kind: 'government', name: `${cityName}市新冠肺炎疫情防控指挥部`, areaCode: `${city}00`, parentId: healthDept.get('id'), creditCode: makeCreditCode('11', `${city}00`, r) },
        { transaction },
      );
      cityUnits.push({ id: Number(unit.get('id')), city });
      orgCount++;
    }
    const gov = await Organisation.create(
      { kind: 'government', name: '福建省经济信息中心', areaCode: '350102', parentId: cityUnits[0].id, creditCode: makeCreditCode('12', '350102', r) },
      { transaction },
    );
    orgCount++;
    const enterprises = [
      { name: '长威信息科技发展股份有限公司', area: '350102', rep: '杨凡' },
      { name: '福州软件园产业发展有限公司', area: '350102', rep: '陈志' },
      { name: '厦门鹭岛食品有限公司', area: '350203', rep: '林海' },
      { name: '泉州海丝纺织有限公司', area: '350503', rep: '黄强' },
      { name: '漳州九龙江物流有限公司', area: '350602', rep: '郑文' },
      { name: '莆田木兰溪制鞋有限公司', area: '350302', rep: '吴斌' },
    ];
    const units = [{ id: Number(gov.get('id')), area: '350102', name: '福建省经济信息中心' }];
    for (const e of enterprises) {
      const phone = `138${String(r.int(0, 99_999_999)).padStart(8, '0')}`;
      const org = await Organisation.create(
        {
          kind: 'enterprise',
          name: e.name,
          areaCode: e.area,
          parentId: cityUnits.find((c) => e.area.startsWith(c.city))?.id ?? null,
          creditCode: makeCreditCode('91', e.area, r),
          legalRepName: e.rep,
          legalRepPhoneEnc: deps.pii.encrypt(phone),
        },
        { transaction },
      );
      units.push({ id: Number(org.get('id')), area: e.area, name: e.name });
      orgCount++;
    }
    let employeeCursor = 1000;
    for (const u of units) {
      const pointNames = ['正门出入口', '员工食堂', '后勤通道'].slice(0, r.int(2, 3));
      for (const pn of pointNames) {
        const point = await ServicePoint.create({ organisationId: u.id, name: `${u.name.slice(0, 8)}${pn}`, areaCode: u.area, address: `${findArea(u.area)?.name ?? ''}${pn}` }, { transaction });
        pointCount++;
        if (pn === '员工食堂') {
          await CrowdFlowSetting.create({ servicePointId: point.get('id'), capacity: 100, warningLine: 90, windowMinutes: 30 }, { transaction });
        }
      }
      const staff = people.slice(employeeCursor, (employeeCursor += r.int(20, 60)));
      await Employee.bulkCreate(
        staff.map((p) => ({
          organisationId: u.id,
          name: p.name,
          idType: p.idType,
          idHash: deps.pii.hash(identityKey(p.idType, p.idNumber, null)),
          idNumberEnc: deps.pii.encrypt(p.idNumber),
          idMasked: maskIdNumber(p.idNumber),
          phoneHash: deps.pii.hash(p.phone),
          phoneEnc: deps.pii.encrypt(p.phone),
          phoneMasked: maskPhone(p.phone),
          department: r.pick(['综合部', '技术部', '财务部', '后勤部', '市场部']),
        })),
        { transaction },
      );
      employeeCount += staff.length;
    }
    // console main accounts of the health department, the government unit and the first enterprise
    const consoleOrgs = [Number(healthDept.get('id')), units[0].id, units[1].id];
    for (const [i, a] of DEMO_CONSOLE.entries()) {
      const org = (await Organisation.findByPk(consoleOrgs[i], { attributes: ['creditCode'], raw: true, transaction })) as unknown as { creditCode: string };
      await deps.db.models.Account.create(
        { organisationId: consoleOrgs[i], kind: 'main', loginName: a.loginName ?? org.creditCode, passwordHash: await hashPassword(a.password), mustChangePassword: false, authorised: true },
        { transaction },
      );
    }
    // units[0] is the government unit, units[1] the first enterprise
    for (const a of DEMO_STAFF) {
      await createSubAccount(
        deps,
        { organisationId: units[a.unit === 'government' ? 0 : 1].id, phone: a.phone, password: a.password, displayName: a.name, authorised: a.authorised, mustChangePassword: a.mustChangePassword },
        transaction,
      );
    }
  });

  const orange = await deps.db.models.HealthStatus.count({ where: { colour: 'orange' } });
  deps.logger.debug({ at: now.toISOString() }, 'seed complete');
  return { people: people.length, orange, organisations: orgCount, servicePoints: pointCount, employees: employeeCount, staffAccounts: DEMO_STAFF.length, sourceRows };
}

/** A valid GB 32100 code: registration department + type, area, a random body, the check character. */
function makeCreditCode(prefix: string, area: string, r: ReturnType<typeof prng>): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = '';
  for (let i = 0; i < 9; i++) body += chars[r.int(0, chars.length - 1)];
  const first17 = `${prefix}${area}${body}`;
  return first17 + creditCodeCheckChar(first17);
}
