import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceType } from '../../src/domain/sources';
import {
  formatFromContentType,
  formatFromFileName,
  parseSourceBuffer,
  parseSourceFile,
} from '../../src/services/import/parse';

const ID_A = '350102199003071234';
const ID_B = '350203198511114568';
const ID_C = '350104197001010028';
const BAD_CHECK = '350102199003071235';
const ENCODING_PROBLEM = '文件编码无法识别：既不是 UTF-8 也不是 GB18030/GBK';

const csv = (text: string) => Buffer.from(text, 'utf8');
const parseCsv = (type: SourceType, text: string) => parseSourceBuffer(type, 'csv', csv(text));
const records = async (type: SourceType, text: string) => {
  const result = await parseCsv(type, text);
  expect(result.errors).toEqual([]);
  return result.rows.map((r) => ({ line: r.line, ...r.record }));
};
const shanghai = (s: string) => new Date(`${s}+08:00`);

describe('formats', () => {
  it('from content type, ignoring parameters', () => {
    expect(formatFromContentType('text/csv; charset=utf-8')).toBe('csv');
    expect(formatFromContentType('Application/JSON')).toBe('json');
    expect(formatFromContentType('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('xlsx');
    expect(formatFromContentType('text/plain')).toBeNull();
    expect(formatFromContentType(undefined)).toBeNull();
  });

  it('from file name', () => {
    expect(formatFromFileName('/data/病例.CSV')).toBe('csv');
    expect(formatFromFileName('a.json')).toBe('json');
    expect(formatFromFileName('x.tar.xlsx')).toBe('xlsx');
    expect(formatFromFileName('x.xls')).toBeNull();
    expect(formatFromFileName('csv')).toBeNull();
  });
});

describe('CSV happy paths, one per type', () => {
  it('cases', async () => {
    expect(
      await records(
        'cases',
        `id_type,id_number,name,status,reported_at\n` +
          `resident_id,${ID_A},张三,confirmed,2022-05-01T08:30:00+08:00\n` +
          `hk_macao_permit,h12345678,陈大文,suspected,2022-05-01 09:00\n`,
      ),
    ).toEqual([
      {
        line: 2,
        type: 'cases',
        person: { idType: 'resident_id', idNumber: ID_A, country: null, name: '张三' },
        status: 'confirmed',
        reportedAt: shanghai('2022-05-01T08:30:00'),
      },
      {
        line: 3,
        type: 'cases',
        person: { idType: 'hk_macao_permit', idNumber: 'H12345678', country: null, name: '陈大文' },
        status: 'suspected',
        reportedAt: shanghai('2022-05-01T09:00:00'),
      },
    ]);
  });

  it('a passport in a file without a country column is refused on its line', async () => {
    const result = await parseCsv('cases', `id_type,id_number,name,status,reported_at\npassport,E12345678,John Smith,confirmed,2022-05-01\n`);
    expect(result.errors).toEqual([{ line: 2, field: 'country', problem: expect.stringContaining('文件中没有 country 列') }]);
  });

  it('cases with a country column for passports', async () => {
    expect(
      await records(
        'cases',
        `id_type,id_number,country,name,status,reported_at\n` +
          `passport,E12345678,USA,John Smith,suspected,2022-05-01 09:00\n` +
          `resident_id,${ID_A},,张三,excluded,2022-05-02\n`,
      ),
    ).toEqual([
      {
        line: 2,
        type: 'cases',
        person: { idType: 'passport', idNumber: 'E12345678', country: 'USA', name: 'John Smith' },
        status: 'suspected',
        reportedAt: shanghai('2022-05-01T09:00:00'),
      },
      {
        line: 3,
        type: 'cases',
        person: { idType: 'resident_id', idNumber: ID_A, country: null, name: '张三' },
        status: 'excluded',
        reportedAt: shanghai('2022-05-02T00:00:00'),
      },
    ]);
  });

  it('close-contacts', async () => {
    expect(
      await records(
        'close-contacts',
        `id_type,id_number,name,identified_at,released_at\nresident_id,${ID_A},,2022-05-01T10:00,2022-05-15T10:00\nhk_macao_permit,H12345678,陈大文,2022-05-02,\n`,
      ),
    ).toEqual([
      {
        line: 2,
        type: 'close-contacts',
        person: { idType: 'resident_id', idNumber: ID_A, country: null, name: null },
        identifiedAt: shanghai('2022-05-01T10:00:00'),
        releasedAt: shanghai('2022-05-15T10:00:00'),
      },
      {
        line: 3,
        type: 'close-contacts',
        person: { idType: 'hk_macao_permit', idNumber: 'H12345678', country: null, name: '陈大文' },
        identifiedAt: shanghai('2022-05-02T00:00:00'),
        releasedAt: null,
      },
    ]);
  });

  it('arrivals', async () => {
    expect(
      await records('arrivals', `id_type,id_number,name,from_area,arrived_at\ntaiwan_permit,01234567,林小美,上海市浦东新区,2022-05-01T06:00:00Z\n`),
    ).toEqual([
      {
        line: 2,
        type: 'arrivals',
        person: { idType: 'taiwan_permit', idNumber: '01234567', country: null, name: '林小美' },
        fromArea: '上海市浦东新区',
        arrivedAt: new Date('2022-05-01T06:00:00Z'),
      },
    ]);
  });

  it('closed-communities', async () => {
    expect(
      await records(
        'closed-communities',
        `community_code,community_name,area_code,closed_from,closed_until\n350102001001,东街社区,350102,2022-05-01,2022-05-15\n350102001002,,350102,2022-05-01,\n`,
      ),
    ).toEqual([
      {
        line: 2,
        type: 'closed-communities',
        communityCode: '350102001001',
        communityName: '东街社区',
        areaCode: '350102',
        closedFrom: shanghai('2022-05-01T00:00:00'),
        closedUntil: shanghai('2022-05-15T00:00:00'),
      },
      {
        line: 3,
        type: 'closed-communities',
        communityCode: '350102001002',
        communityName: null,
        areaCode: '350102',
        closedFrom: shanghai('2022-05-01T00:00:00'),
        closedUntil: null,
      },
    ]);
  });

  it('community-residents', async () => {
    expect(
      await records('community-residents', `id_type,id_number,name,community_code\nresident_id,${ID_B},李四,350203001001\n`),
    ).toEqual([
      {
        line: 2,
        type: 'community-residents',
        person: { idType: 'resident_id', idNumber: ID_B, country: null, name: '李四' },
        communityCode: '350203001001',
      },
    ]);
  });

  it('fever-clinic-visits', async () => {
    expect(
      await records('fever-clinic-visits', `id_type,id_number,name,hospital,visited_at\nresident_id,${ID_A},张三,福建省立医院,2022-05-01 21:45\n`),
    ).toEqual([
      {
        line: 2,
        type: 'fever-clinic-visits',
        person: { idType: 'resident_id', idNumber: ID_A, country: null, name: '张三' },
        hospital: '福建省立医院',
        visitedAt: shanghai('2022-05-01T21:45:00'),
      },
    ]);
  });

  it('fever-drug-purchases', async () => {
    expect(
      await records(
        'fever-drug-purchases',
        `id_type,id_number,name,pharmacy,drug,purchased_at\nresident_id,${ID_A},张三,鼓楼大药房,"布洛芬缓释胶囊, 0.3g",2022-05-01T12:00\n`,
      ),
    ).toEqual([
      {
        line: 2,
        type: 'fever-drug-purchases',
        person: { idType: 'resident_id', idNumber: ID_A, country: null, name: '张三' },
        pharmacy: '鼓楼大药房',
        drug: '布洛芬缓释胶囊, 0.3g',
        purchasedAt: shanghai('2022-05-01T12:00:00'),
      },
    ]);
  });

  it('nucleic-acid-tests', async () => {
    expect(
      await records(
        'nucleic-acid-tests',
        `id_type,id_number,name,sampled_at,result,institution\nresident_id,${ID_C},王五,2022-05-01T07:30,negative,福州金域医学检验所\n`,
      ),
    ).toEqual([
      {
        line: 2,
        type: 'nucleic-acid-tests',
        person: { idType: 'resident_id', idNumber: ID_C, country: null, name: '王五' },
        sampledAt: shanghai('2022-05-01T07:30:00'),
        result: 'negative',
        institution: '福州金域医学检验所',
      },
    ]);
  });

  it('area-levels', async () => {
    expect(
      await records(
        'area-levels',
        `area_code,level,policy,effective_from\n350102,community,"居家隔离，""非必要不外出""",2022-05-01\n350000,none,,2022-05-02T23:30:00\n`,
      ),
    ).toEqual([
      {
        line: 2,
        type: 'area-levels',
        areaCode: '350102',
        level: 'community',
        policy: '居家隔离，"非必要不外出"',
        effectiveFrom: '2022-05-01',
      },
      { line: 3, type: 'area-levels', areaCode: '350000', level: 'none', policy: null, effectiveFrom: '2022-05-02' },
    ]);
  });
});

describe('CSV problems', () => {
  const header = 'id_type,id_number,name,status,reported_at';

  it('an empty file, a blank file and a header-only file', async () => {
    expect(await parseCsv('cases', '')).toEqual({ rows: [], errors: [{ problem: '文件为空' }] });
    expect(await parseCsv('cases', '\r\n\r\n,,,\n')).toEqual({ rows: [], errors: [{ problem: '文件为空' }] });
    expect(await parseCsv('cases', `${header}\r\n`)).toEqual({ rows: [], errors: [{ problem: '没有数据行' }] });
    expect(await parseCsv('cases', `${header}\n,,,,\n\n`)).toEqual({ rows: [], errors: [{ problem: '没有数据行' }] });
  });

  it('a header for another type stops before the rows', async () => {
    const result = await parseCsv('cases', `community_code,community_name,area_code,closed_from,closed_until\nnot,checked,at,all,x\n`);
    expect(result.rows).toEqual([]);
    expect(result.errors.every((e) => e.line === 1)).toBe(true);
    expect(result.errors.map((e) => e.field)).toEqual([
      'community_code',
      'community_name',
      'area_code',
      'closed_from',
      'closed_until',
      'id_type',
      'id_number',
      'name',
      'status',
      'reported_at',
    ]);
  });

  it('an unknown column', async () => {
    expect((await parseCsv('cases', `${header},phone\nresident_id,${ID_A},张三,confirmed,2022-05-01,123\n`)).errors).toEqual([
      { line: 1, field: 'phone', problem: expect.stringContaining('未知的列：phone') },
    ]);
  });

  it('a missing column', async () => {
    expect((await parseCsv('cases', `id_type,id_number,name,status\nresident_id,${ID_A},张三,confirmed\n`)).errors).toEqual([
      { line: 1, field: 'reported_at', problem: '缺少必需的列：reported_at' },
    ]);
  });

  it('a duplicate column', async () => {
    expect((await parseCsv('cases', `${header},status\n`)).errors).toEqual([
      { line: 1, field: 'status', problem: '列名重复：status' },
    ]);
  });

  it('ignores empty trailing header columns (spreadsheet leftovers) but not content under them', async () => {
    const result = await parseCsv('cases', `${header},,\nresident_id,${ID_A},张三,confirmed,2022-05-01,,\nresident_id,${ID_B},李四,confirmed,2022-05-01,,x\n`);
    expect(result.rows.map((r) => r.line)).toEqual([2]);
    expect(result.errors).toEqual([{ line: 3, problem: '第 7 列没有列名，却有内容' }]);
  });

  it('reports every bad line, sorted, with its field', async () => {
    const result = await parseCsv(
      'cases',
      `${header}\n` +
        `resident_id,${ID_A},张三,confirmed,2022-05-01\n` +
        `resident_id,${BAD_CHECK},李四,confirmed,2022-05-01\n` +
        `resident_id,${ID_B},王五,confirmed,2023-02-29\n` +
        `resident_id,${ID_C},赵六,maybe,\n`,
    );
    expect(result.errors).toEqual([
      { line: 3, field: 'id_number', problem: '身份证号码校验位不正确' },
      { line: 4, field: 'reported_at', problem: '日期不存在：2023-02-29' },
      { line: 5, field: 'status', problem: expect.stringContaining('取值无效') },
      { line: 5, field: 'reported_at', problem: '不能为空' },
    ]);
    expect(result.rows.map((r) => r.line)).toEqual([2]);
  });

  it('two rows with one key: both lines, even when the rows differ elsewhere', async () => {
    const result = await parseCsv(
      'cases',
      `${header}\n` +
        `resident_id,${ID_A},张三,confirmed,2022-05-01T08:00\n` +
        `resident_id,${ID_B},李四,confirmed,2022-05-01T08:00\n` +
        `resident_id,${ID_A.toLowerCase()},张叁,suspected,2022-05-01T00:00:00Z\n`,
    );
    expect(result.errors).toEqual([
      { line: 2, problem: '记录重复：与第 4 行的证件、reported_at都相同' },
      { line: 4, problem: '记录重复：与第 2 行的证件、reported_at都相同' },
    ]);
  });

  it('identical rows are duplicates too', async () => {
    const row = `resident_id,${ID_A},张三,confirmed,2022-05-01\n`;
    expect((await parseCsv('cases', `${header}\n${row}${row}`)).errors.map((e) => e.line)).toEqual([2, 3]);
  });

  it('keeps physical line numbers after quoted newlines', async () => {
    const result = await parseCsv(
      'fever-clinic-visits',
      `id_type,id_number,name,hospital,visited_at\r\n` +
        `resident_id,${ID_A},张三,"福建省立医院,\r\n发热门诊",2022-05-01\r\n` +
        `resident_id,${BAD_CHECK},"李四",医院,2022-05-01\r\n`,
    );
    expect(result.errors).toEqual([
      { line: 2, field: 'hospital', problem: '含有换行符或其他控制字符' },
      { line: 4, field: 'id_number', problem: '身份证号码校验位不正确' },
    ]);
  });

  it('reports a malformed CSV record on its line', async () => {
    const result = await parseCsv('cases', `${header}\nresident_id,${ID_A},"张"三,confirmed,2022-05-01\n`);
    expect(result.errors).toEqual([{ line: 2, problem: expect.stringContaining('结束引号后还有其他字符') }]);
  });

  it('refuses an Excel file sent as CSV with a useful message', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]);
    expect((await parseSourceBuffer('cases', 'csv', zip)).errors[0].problem).toContain('xlsx');
  });
});

describe('CSV encodings', () => {
  it('a GBK CSV with Chinese names', async () => {
    const body = Buffer.concat([
      Buffer.from(`id_type,id_number,name,hospital,visited_at\r\nresident_id,${ID_A},`),
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), // 张三
      Buffer.from(','),
      Buffer.from([0xd2, 0xbd, 0xd4, 0xba]), // 医院
      Buffer.from(',2022-05-01 08:00\r\n'),
    ]);
    const result = await parseSourceBuffer('fever-clinic-visits', 'csv', body);
    expect(result.errors).toEqual([]);
    expect(result.rows[0].record).toMatchObject({ person: { name: '张三' }, hospital: '医院' });
  });

  it('a UTF-8 CSV with BOM', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(`id_type,id_number,name,community_code\nresident_id,${ID_A},张三,350102001001\n`)]);
    const result = await parseSourceBuffer('community-residents', 'csv', body);
    expect(result.errors).toEqual([]);
    expect(result.rows[0].record).toMatchObject({ person: { name: '张三' } });
  });

  it('a file containing 0xFF is refused', async () => {
    const body = Buffer.concat([csv(`id_type,id_number,name,community_code\nresident_id,${ID_A},`), Buffer.from([0xff]), csv(',350102001001\n')]);
    expect(await parseSourceBuffer('community-residents', 'csv', body)).toEqual({
      rows: [],
      errors: [{ line: 2, problem: ENCODING_PROBLEM }],
    });
  });
});

describe('JSON', () => {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('an array of records', async () => {
    const result = await parseSourceBuffer(
      'nucleic-acid-tests',
      'json',
      json([
        { id_type: 'resident_id', id_number: ID_A, name: '张三', sampled_at: '2022-05-01T07:30:00+08:00', result: 'positive', institution: '省疾控' },
        // Keys whose value may be empty may be left out.
        { id_type: 'passport', id_number: 'E12345678', country: 'GBR', sampled_at: '2022-05-01', result: 'negative', institution: '省疾控' },
      ]),
    );
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => ({ line: r.line, ...r.record }))).toEqual([
      {
        line: 1,
        type: 'nucleic-acid-tests',
        person: { idType: 'resident_id', idNumber: ID_A, country: null, name: '张三' },
        sampledAt: shanghai('2022-05-01T07:30:00'),
        result: 'positive',
        institution: '省疾控',
      },
      {
        line: 2,
        type: 'nucleic-acid-tests',
        person: { idType: 'passport', idNumber: 'E12345678', country: 'GBR', name: null },
        sampledAt: shanghai('2022-05-01T00:00:00'),
        result: 'negative',
        institution: '省疾控',
      },
    ]);
  });

  it('a record with bad fields is reported by position', async () => {
    const good = { area_code: '350102', level: 'none', policy: null, effective_from: '2022-05-01' };
    const result = await parseSourceBuffer(
      'area-levels',
      'json',
      json([good, { ...good, area_code: '350102', effective_from: '2022-05-02', level: 'high' }, 'oops', { ...good, effective_from: '2022-05-03', extra: 1 }]),
    );
    expect(result.errors).toEqual([
      { line: 2, field: 'level', problem: expect.stringContaining('取值无效') },
      { line: 3, problem: '记录必须是 JSON 对象' },
      { line: 4, field: 'extra', problem: expect.stringContaining('未知的字段：extra') },
    ]);
    expect(result.rows.map((r) => r.line)).toEqual([1]);
  });

  it('a number for an ID number is refused', async () => {
    const result = await parseSourceBuffer('community-residents', 'json', Buffer.from(`[{"id_type":"resident_id","id_number":350102199003071234,"community_code":"350102001001"}]`));
    expect(result.errors).toEqual([{ line: 1, field: 'id_number', problem: expect.stringContaining('不能是数字') }]);
  });

  it('duplicates by position', async () => {
    const r = { community_code: '350102001001', area_code: '350102', closed_from: '2022-05-01' };
    expect((await parseSourceBuffer('closed-communities', 'json', json([r, { ...r, community_name: '另一个名字' }]))).errors).toEqual([
      { line: 1, problem: '记录重复：与第 2 行的community_code相同' },
      { line: 2, problem: '记录重复：与第 1 行的community_code相同' },
    ]);
  });

  it('not an array, invalid JSON, empty', async () => {
    expect((await parseSourceBuffer('cases', 'json', json({ id_type: 'x' }))).errors[0].problem).toContain('JSON 数组');
    const invalid = await parseSourceBuffer('cases', 'json', Buffer.from('[\n  {"a": 1},\n  {"b": }\n]'));
    expect(invalid.errors).toEqual([{ problem: expect.stringMatching(/^不是有效的 JSON/) }]);
    expect(invalid.errors[0].line).toBeUndefined();
    expect((await parseSourceBuffer('cases', 'json', Buffer.from('  '))).errors).toEqual([{ problem: '文件为空' }]);
    expect((await parseSourceBuffer('cases', 'json', json([])))).toEqual({ rows: [], errors: [{ problem: '没有数据行' }] });
  });
});

describe('parseSourceFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bamin-import-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const header = 'id_type,id_number,name,hospital,visited_at\r\n';

  it('streams a large CSV, reporting progress up to the total', async () => {
    const lines = [header];
    // Distinct visit times make distinct keys; ~3 MB spans several 1 MiB chunks.
    const start = Date.UTC(2022, 0, 1);
    for (let i = 0; i < 40_000; i++) {
      const t = new Date(start + i * 60_000).toISOString();
      lines.push(`resident_id,${ID_A},"张三",福建医科大学附属协和医院发热门诊（鼓楼院区）,${t}\r\n`);
    }
    const path = join(dir, 'visits.csv');
    await writeFile(path, lines.join(''));
    const progress: [number, number][] = [];
    const result = await parseSourceFile('fever-clinic-visits', path, (read, total) => progress.push([read, total]));
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(40_000);
    expect(result.rows[39_999].line).toBe(40_001);
    expect(progress.length).toBeGreaterThan(1);
    const total = progress[0][1];
    expect(progress.every(([, t]) => t === total)).toBe(true);
    expect(progress[progress.length - 1][0]).toBe(total);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThan(progress[i - 1][0]);
  });

  it('restarts as GB18030 when UTF-8 fails part-way', async () => {
    const body: Buffer[] = [Buffer.from(header)];
    const start = Date.UTC(2022, 0, 1);
    for (let i = 0; i < 50_000; i++) body.push(Buffer.from(`resident_id,${ID_A},,clinic,${new Date(start + i * 60_000).toISOString()}\r\n`));
    // Past the first chunk: the UTF-8 pass has already parsed a megabyte when it fails.
    body.push(Buffer.concat([Buffer.from(`resident_id,${ID_B},`), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(',')]));
    body.push(Buffer.concat([Buffer.from([0xd2, 0xbd, 0xd4, 0xba]), Buffer.from(',2022-05-01\r\n')]));
    const path = join(dir, 'gbk.csv');
    await writeFile(path, Buffer.concat(body));
    const result = await parseSourceFile('fever-clinic-visits', path);
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(50_001);
    expect(result.rows[50_000]).toMatchObject({ line: 50_002, record: { person: { name: '张三' }, hospital: '医院' } });
  });

  it('refuses bytes that are neither encoding, with the line', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, Buffer.concat([Buffer.from(`${header}resident_id,${ID_A},a,b,2022-05-01\r\nresident_id,${ID_A},`), Buffer.from([0xff, 0xfe]), Buffer.from(',b,2022-05-01\r\n')]));
    expect(await parseSourceFile('fever-clinic-visits', path)).toEqual({ rows: [], errors: [{ line: 3, problem: ENCODING_PROBLEM }] });
  });

  it('reads JSON files whole and reports progress once', async () => {
    const path = join(dir, 'levels.json');
    await writeFile(path, JSON.stringify([{ area_code: '350100', level: 'sporadic', policy: '', effective_from: '2022-05-01' }]));
    const progress: number[] = [];
    const result = await parseSourceFile('area-levels', path, (read) => progress.push(read));
    expect(result.errors).toEqual([]);
    expect(result.rows[0].record).toEqual({ type: 'area-levels', areaCode: '350100', level: 'sporadic', policy: null, effectiveFrom: '2022-05-01' });
    expect(progress).toHaveLength(1);
  });

  it('needs a known extension', async () => {
    const path = join(dir, 'data.txt');
    await writeFile(path, 'x');
    expect((await parseSourceFile('cases', path)).errors[0].problem).toContain('.csv');
  });

  it('an empty CSV file', async () => {
    const path = join(dir, 'empty.csv');
    await writeFile(path, '');
    expect(await parseSourceFile('cases', path)).toEqual({ rows: [], errors: [{ problem: '文件为空' }] });
  });
});
