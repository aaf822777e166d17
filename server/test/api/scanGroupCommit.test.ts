// Concurrent scans share a transaction (group commit, issue 12; server/src/db/groupCommit.ts): each scan
// still gets its own record and id, its own audit entry with its own request id, and the point's crowd
// count counts every person once — and fewer transactions are written than scans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';
import { assumeInsertReturning } from '../../src/services/scanService';
import type { HotSql } from '../../src/db/hotSql';
import { bearer, codeTokenFor, personWithCode, staffAtPoint } from '../helpers/staff';
import { withFirstStatementHeld } from '../helpers/coalesced';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
}, 60_000);
afterAll(() => ctx?.close());

describe('POST /api/v1/staff/scans, many at once', () => {
  it('writes every scan whole, with its own id, audit entry and request id, and counts each point once per batch, in fewer transactions than scans', async () => {
    const { ServicePoint, CrowdFlowSetting, ScanPoint, CrowdFlowState, ScanRecord, AuditLog } = ctx.deps.db.models;
    const staff = [await staffAtPoint(ctx)];
    for (let i = 0; i < 3; i++) staff.push(await staffAtPoint(ctx, '350102', { organisationId: staff[0].organisationId }));
    // two points: staff 0 and 1 scan at 五号门店 (room for 100), staff 2 and 3 at 六号门店 (room for 6)
    const pointIds: number[] = [];
    for (const [name, capacity, warningLine] of [['五号门店', 100, 80], ['六号门店', 6, 3]] as const) {
      const point = await ServicePoint.create({ organisationId: staff[0].organisationId, name, areaCode: '350102', address: '东街 5 号' });
      pointIds.push(Number(point.get('id')));
      await CrowdFlowSetting.create({ servicePointId: pointIds.at(-1), capacity, warningLine, windowMinutes: 60 });
    }
    await ScanPoint.update({ servicePointId: pointIds[0] }, { where: { accountId: [staff[0].accountId, staff[1].accountId] } });
    await ScanPoint.update({ servicePointId: pointIds[1] }, { where: { accountId: [staff[2].accountId, staff[3].accountId] } });
    const people: Awaited<ReturnType<typeof personWithCode>>[] = [];
    for (let i = 0; i < 12; i++) people.push(await personWithCode(ctx, { idNumber: residentId('350102', '19820202', 300 + i), name: `顾客${i}` }));
    const tokens = await Promise.all(people.map((p) => codeTokenFor(ctx, p.personId)));

    const watch = watchBatches(ctx.deps.db.hot);
    let responses;
    try {
      // 24 scans at once: each person twice, by the same staff (so at one point)
      responses = await Promise.all(
        [...tokens, ...tokens].map((token, i) =>
          ctx.http.post('/api/v1/staff/scans').set(bearer(staff[i % staff.length].token)).set('X-Request-Id', `gc-scan-${i}`).send({ token }),
        ),
      );
    } finally {
      watch.restore();
    }
    for (const r of responses) expect(r.status, JSON.stringify(r.body)).toBe(201);
    const ids = responses.map((r) => r.body.scanId as number);
    expect(new Set(ids).size).toBe(24);
    // MariaDB: batches in two round trips (hotSql.ts ScriptTx), the records of each one INSERT … RETURNING; a batch in
    // which 六号门店's state changes (to 预警, to 已超标) is rolled back and written the models' way, which announces it (evaluatePoint).
    // SQLite: the models' way, one INSERT per record.
    expect(watch.batches).toBeGreaterThan(0);
    expect(watch.batches).toBeLessThan(24);
    if (ctx.deps.db.dialect === 'mysql') {
      expect(watch.scripted).toBeGreaterThan(0);
      expect(watch.modelBatches).toBeGreaterThanOrEqual(1);
      expect(watch.recordInserts).toBeLessThan(24);
    } else {
      expect(watch.scripted).toBe(0);
      expect(watch.recordInserts).toBe(24);
    }
    // each scan written once, whichever way its batch went
    expect(await ScanRecord.count({ where: { personId: people.map((p) => p.personId) } })).toBe(24);
    // each answer's id is its own record: the person it names was scanned by the staff who asked
    const rows = (await ScanRecord.findAll({ where: { id: ids }, raw: true })) as unknown as { id: number; personId: number; scannerAccountId: number }[];
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    responses.forEach((r, i) => {
      const rec = byId.get(r.body.scanId)!;
      expect(Number(rec.personId)).toBe(people[i % 12].personId);
      expect(Number(rec.scannerAccountId)).toBe(staff[i % staff.length].accountId);
      expect(r.body.recentScans[0].id).toBe(r.body.scanId);
    });
    // one audit entry per scan, carrying that scan's own request id
    const audits = (await AuditLog.findAll({ where: { requestId: responses.map((_, i) => `gc-scan-${i}`) }, raw: true })) as unknown as { requestId: string; subjectId: string }[];
    expect(audits).toHaveLength(24);
    for (const a of audits) expect(Number(a.subjectId)).toBe(people[Number(a.requestId.slice('gc-scan-'.length)) % 12].personId);
    // the counts: 6 people at each point, each once; the small point's state moved to 已超标 in the same batches
    const states = (await CrowdFlowState.findAll({ where: { servicePointId: pointIds }, order: [['servicePointId', 'ASC']], raw: true })) as unknown as { currentCount: number; state: string }[];
    expect(states.map((x) => [Number(x.currentCount), x.state])).toEqual([
      [6, 'normal'],
      [6, 'exceeded'],
    ]);
  });

  it.skipIf(!process.env.DATABASE_URL?.startsWith('mysql'))('a database without INSERT … RETURNING (MySQL 8, TiDB): one INSERT per record in the same round trip, each scan its own id', async () => {
    const { ScanRecord } = ctx.deps.db.models;
    const staff = await staffAtPoint(ctx);
    const people: Awaited<ReturnType<typeof personWithCode>>[] = [];
    for (let i = 0; i < 16; i++) people.push(await personWithCode(ctx, { idNumber: residentId('350102', '19830303', 400 + i), name: `访客${i}` }));
    const tokens = await Promise.all(people.map((p) => codeTokenFor(ctx, p.personId)));
    assumeInsertReturning(ctx.deps.db, false);
    const watch = watchBatches(ctx.deps.db.hot);
    let responses;
    try {
      responses = await Promise.all(tokens.map((token) => ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token })));
    } finally {
      watch.restore();
      assumeInsertReturning(ctx.deps.db, null);
    }
    for (const r of responses) expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(watch.recordInserts).toBe(16);
    expect(watch.scripted).toBeLessThan(16);
    expect(watch.returning).toBe(0);
    const rows = (await ScanRecord.findAll({ where: { id: responses.map((r) => r.body.scanId) }, raw: true })) as unknown as { id: number; personId: number }[];
    const byId = new Map(rows.map((r) => [Number(r.id), Number(r.personId)]));
    responses.forEach((r, i) => expect(byId.get(r.body.scanId)).toBe(people[i].personId));
  });

  it("reads the holders of concurrent scans in fewer statements, each scan with its own holder's latest records, newest first", async () => {
    const staff = [await staffAtPoint(ctx)];
    for (let i = 0; i < 2; i++) staff.push(await staffAtPoint(ctx, '350102', { organisationId: staff[0].organisationId }));
    const people: Awaited<ReturnType<typeof personWithCode>>[] = [];
    for (let i = 0; i < 3; i++) people.push(await personWithCode(ctx, { idNumber: residentId('350102', '19840404', 500 + i), name: `来客${i}` }));
    const tokens = await Promise.all(people.map((p) => codeTokenFor(ctx, p.personId)));
    // earlier records, one at a time: at t0, then two at t1 (the same instant: the later id is the newer)
    const earlier: number[][] = people.map(() => []);
    for (const advance of [0, 60_000, 0]) {
      ctx.clock.advance(advance);
      for (const [i, token] of tokens.entries()) {
        const r = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff[0].token)).send({ token });
        expect(r.status).toBe(201);
        earlier[i].push(r.body.scanId);
      }
    }
    ctx.clock.advance(120_000);
    const holders = () => ctx.deps.db.coalescedStats()['holder with 100 latest records'];
    const before = { ...holders() };
    // the first holder statement stays open until the other five scans wait for it (so they share the next); two scans of
    // each person at once, by different staff
    const responses = await withFirstStatementHeld(ctx, 'holder with 100 latest records', 'ROW_NUMBER()', 6, () =>
      Promise.all([...tokens, ...tokens].map((token, i) => ctx.http.post('/api/v1/staff/scans').set(bearer(staff[i % 3].token)).send({ token }))),
    );
    const after = holders();
    for (const r of responses) expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(after.reads - before.reads).toBe(6);
    expect(after.statements - before.statements).toBe(2);
    responses.forEach((r, i) => {
      const own = earlier[i % 3];
      // the same person's other scan of this burst (by other staff), when its batch committed before this scan's holder
      // statement read — a batch is two round trips, so it may, and then it is the newest record before this one
      const twin = responses[(i + 3) % 6].body.scanId as number;
      const shown = r.body.recentScans.map((x: { id: number }) => x.id);
      // its own record, then the person's two newest earlier ones: the second t1 record before the first
      if (shown[1] === twin) expect(twin).toBeLessThan(r.body.scanId);
      expect(shown).toEqual(shown[1] === twin ? [r.body.scanId, twin, own[2]] : [r.body.scanId, own[2], own[1]]);
      expect(r.body.hasMoreScans).toBe(true);
    });
  });
});


/**
 * Counts the scan batches of `hot` while it runs: scripted transactions (MySQL), transactions of the models' way,
 * and the statements that insert scan records (`returning`: those with RETURNING).
 */
function watchBatches(hot: HotSql) {
  const { transaction, scripted } = hot;
  const counts = { batches: 0, scripted: 0, modelBatches: 0, recordInserts: 0, returning: 0 };
  const seen = (sql: string) => {
    if (!/^INSERT INTO scan_records/.test(sql)) return;
    counts.recordInserts++;
    if (/RETURNING/.test(sql)) counts.returning++;
  };
  hot.transaction = ((fn: Parameters<typeof transaction>[0]) => {
    counts.batches++;
    counts.modelBatches++;
    return transaction.call(hot, (tx, t) => {
      const { run, select } = tx;
      tx.run = (sql, params, opts) => (seen(sql), run.call(tx, sql, params, opts));
      tx.select = ((sql: string, params: readonly unknown[], opts?: { unprepared?: boolean }) => (seen(sql), select.call(tx, sql, params, opts))) as typeof tx.select;
      return fn(tx, t);
    });
  }) as typeof transaction;
  if (scripted) {
    hot.scripted = ((fn: Parameters<typeof scripted>[0]) => {
      counts.scripted++;
      let committed = false;
      return scripted((tx) =>
        fn({
          send: (statements) => (statements.forEach((x) => seen(x.sql)), tx.send(statements)),
          commit: (statements) => ((committed = true), tx.commit(statements)),
        }),
      ).finally(() => {
        if (committed) counts.batches++;
      });
    }) as typeof scripted;
  }
  return Object.assign(counts, {
    restore() {
      hot.transaction = transaction;
      hot.scripted = scripted;
    },
  });
}
