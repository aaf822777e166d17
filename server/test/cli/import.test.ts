import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { bigVisitsCsv } from '../helpers/bigFile';
import { csv, residentId } from '../helpers/people';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
});
afterAll(() => ctx.close());

function cli(script: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/cli', script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...ctx.env, LOG_LEVEL: 'warn', INIT_CWD: ctx.dir, CLOCK_FIXED_AT: ctx.clock.now().toISOString() },
    encoding: 'utf8',
    timeout: 240_000,
  });
}

describe('npm run import -- <type> <file>', () => {
  it('loads a 25 MB file that the HTTP route refuses, showing progress', async () => {
    const { text, rows } = bigVisitsCsv(25 * 1024 * 1024);
    writeFileSync(path.join(ctx.dir, 'big.csv'), text);
    const res = await ctx.http.post('/api/v1/sources/fever-clinic-visits').set(auth(ctx)).set('Content-Type', 'text/csv').send(text);
    expect(res.status).toBe(413);

    const run = cli('import.ts', 'fever-clinic-visits', 'big.csv');
    expect(run.stderr).toContain('读取并校验');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ type: 'fever-clinic-visits', rows, inserted: rows, updated: 0, unchanged: 0, recomputed: 500 });
    expect(await ctx.deps.db.models.FeverClinicVisit.count()).toBe(rows);
    const look = await ctx.http.post('/api/v1/people/lookup').set(auth(ctx)).send({ idType: 'resident_id', idNumber: residentId('350102', '19800101', 1) });
    expect(look.body).toMatchObject({ colour: 'orange', reasons: ['FEVER_CLINIC'], greenFrom: '2026-03-28' });
  });

  it('refuses a bad file whole, listing every bad line by number, and writes nothing', async () => {
    const A = residentId('350104', '19900101', 7);
    const file = path.join(ctx.dir, 'bad.csv');
    writeFileSync(
      file,
      csv('id_type,id_number,name,hospital,visited_at', `resident_id,${A},甲,医院,2026-03-10T08:00:00`, `resident_id,${A.slice(0, 17)}${A[17] === '0' ? '1' : '0'},乙,医院,2026-03-10`, `resident_id,${A},丙,医院,2026-13-10`),
    );
    const before = await ctx.deps.db.models.FeverClinicVisit.count();
    const run = cli('import.ts', 'fever-clinic-visits', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/第 3 行 \[id_number\]/);
    expect(run.stderr).toMatch(/第 4 行 \[visited_at\]/);
    expect(await ctx.deps.db.models.FeverClinicVisit.count()).toBe(before);
  });

  it('prints usage for an unknown type', () => {
    const run = cli('import.ts', 'nope', 'x.csv');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('用法');
  });
});

describe('npm run recompute', () => {
  it('recomputes everyone with progress output', () => {
    const run = cli('recompute.ts');
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('重新计算健康码');
    expect(JSON.parse(run.stdout)).toEqual({ recomputed: 500, orange: 500 });
  });
});
