// Several instances behind a load balancer give the same answers (issue 12, docs/SCALING.md): two server
// instances of one deployment — the same secrets and signing keys — on one database, requests alternated.
// Sessions, crowd counts and cached area levels are shared through the database, so what one instance
// changes the other sees at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context';
import { citizenWithCode, residentId } from '../helpers/citizen';
import { bearer, codeTokenFor, personWithCode, setAreaLevel, staffAtPoint } from '../helpers/staff';
import { evaluatePoint } from '../../src/services/crowdFlowService';

let a: TestContext;
let b: TestContext;
beforeAll(async () => {
  a = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  b = await createTestContext({
    now: '2026-03-15T10:00:00+08:00',
    env: {
      DATABASE_URL: a.env.DATABASE_URL,
      PII_HASH_KEY: a.env.PII_HASH_KEY,
      PII_ENCRYPTION_KEY: a.env.PII_ENCRYPTION_KEY,
      CODE_SIGNING_KEYS_FILE: a.env.CODE_SIGNING_KEYS_FILE,
      SOURCE_TOKEN: a.env.SOURCE_TOKEN,
    },
  });
}, 60_000);
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('two instances on one database', () => {
  it('a session made at one is honoured by the other, and signing out at one ends it at both at once', async () => {
    const { bearer: citizen, code } = await citizenWithCode(a, '13800001201', residentId('350102', '19900101', 121), '吴桐');
    const fromB = await b.http.get('/api/v1/app/codes/self').set(citizen);
    expect(fromB.status).toBe(200);
    expect(fromB.body).toMatchObject({ codeNumber: code.codeNumber, colour: 'green' });
    // a token signed by either instance verifies at the other (one key ring)
    const staff = await staffAtPoint(a);
    const v = await a.http.post('/api/v1/codes/verify').set(bearer(staff.token)).send({ token: fromB.body.token });
    expect(v.body).toMatchObject({ codeNumber: code.codeNumber, colour: 'green' });
    expect((await a.http.delete('/api/v1/app/sessions/current').set(citizen)).status).toBe(204);
    expect((await b.http.get('/api/v1/app/codes/self').set(citizen)).status).toBe(401);
    expect((await a.http.get('/api/v1/app/codes/self').set(citizen)).status).toBe(401);
  });

  it('scans alternated between the instances make one crowd count and one state', async () => {
    const staffA = await staffAtPoint(a);
    const staffB = await staffAtPoint(b, '350102', { organisationId: staffA.organisationId });
    const { ServicePoint, CrowdFlowSetting, ScanPoint, CrowdFlowState } = a.deps.db.models;
    const point = await ServicePoint.create({ organisationId: staffA.organisationId, name: '三号门店', areaCode: '350102', address: '东街 3 号' });
    const pointId = Number(point.get('id'));
    await CrowdFlowSetting.create({ servicePointId: pointId, capacity: 4, warningLine: 3, windowMinutes: 60 });
    await ScanPoint.update({ servicePointId: pointId }, { where: { accountId: [staffA.accountId, staffB.accountId] } });
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await personWithCode(a, { idNumber: residentId('350102', '19800101', 130 + i), name: `顾客${i}` }));
    for (const [i, p] of people.entries()) {
      const [ctx, s] = i % 2 ? [b, staffB] : [a, staffA];
      const res = await ctx.http.post('/api/v1/staff/scans').set(bearer(s.token)).send({ token: await codeTokenFor(ctx, p.personId) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      // the same person again, at the other instance: still one person
      if (i === 0) expect((await b.http.post('/api/v1/staff/scans').set(bearer(staffB.token)).send({ token: await codeTokenFor(b, p.personId) })).status).toBe(201);
    }
    const state = (await CrowdFlowState.findOne({ where: { servicePointId: pointId }, raw: true })) as unknown as { state: string; currentCount: number };
    expect(state).toMatchObject({ state: 'exceeded', currentCount: 5 });
    const live = await a.deps.db.models.ScanRecord.count({ where: { servicePointId: pointId } });
    expect(live).toBe(6);
  });

  it('an area level changed through one instance is in the next scan at the other (cached levels, exact invalidation)', async () => {
    const staffB = await staffAtPoint(b, '350102');
    const p = await personWithCode(a, { idNumber: residentId('350121', '19750101', 140), name: '郑远', codeArea: '350121' });
    const scan = async () => (await b.http.post('/api/v1/staff/scans').set(bearer(staffB.token)).send({ token: await codeTokenFor(b, p.personId) })).body;
    expect((await scan()).areaWarning).toBeNull(); // B has now cached the levels without 闽侯县
    await setAreaLevel(a, '350121', 'community', '居家隔离 7 天');
    expect((await scan()).areaWarning).toMatchObject({ areaCode: '350121', level: 'community', policy: '居家隔离 7 天' });
    await a.deps.db.models.AreaLevel.destroy({ where: { areaCode: '350121' } });
    expect((await scan()).areaWarning).toBeNull();
  });

  it('a staff session cached by one instance for its scans ends there at once when it changes at the other (exact invalidation)', async () => {
    const staff = await staffAtPoint(a, '350102');
    const p = await personWithCode(a, { idNumber: residentId('350102', '19700101', 150), name: '钱进' });
    const scanAtB = async () => b.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: await codeTokenFor(b, p.personId) });
    const records = () => a.deps.db.models.ScanRecord.count({ where: { personId: p.personId } });
    const version = async () => Number(((await a.deps.db.models.CacheVersion.findByPk('staff_sessions', { raw: true })) as unknown as { version: number }).version);
    expect((await scanAtB()).status).toBe(201); // B has the session in its cache now
    // the cache is used: a change made behind the models' back (no version bump) is not seen by B's scans
    const sessionId = Number(((await a.deps.db.models.AccountSession.findOne({ where: { accountId: staff.accountId }, raw: true })) as unknown as { id: number }).id);
    await a.deps.db.sequelize.query('UPDATE account_sessions SET revoked_at = expires_at WHERE id = ?', { replacements: [sessionId] });
    expect((await scanAtB()).status).toBe(201);
    await a.deps.db.sequelize.query('UPDATE account_sessions SET revoked_at = NULL WHERE id = ?', { replacements: [sessionId] });

    // a new scan point set at A: B's next scan is recorded there
    const moved = await a.http.put('/api/v1/staff/scan-point').set(bearer(staff.token)).send({ communityName: '西街社区', pointName: '西门检测点', areaCode: '350102', location: '西街 1 号' });
    expect(moved.status).toBe(200);
    const atNewPoint = await scanAtB();
    expect(atNewPoint.status).toBe(201);
    expect(((await a.deps.db.models.ScanRecord.findByPk(atNewPoint.body.scanId, { raw: true })) as unknown as { scanPointName: string }).scanPointName).toBe('西街社区西门检测点');

    // a sign-in's bookkeeping does not bump the version; the account's standing does
    const v0 = await version();
    await a.deps.db.models.Account.update({ failedLogins: 1 }, { where: { id: staff.accountId } });
    expect(await version()).toBe(v0);
    await a.deps.db.models.Account.update({ mustChangePassword: true }, { where: { id: staff.accountId } });
    expect(await version()).toBe(v0 + 1);
    const initial = await scanAtB();
    expect(initial.status).toBe(403);
    expect(initial.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    await a.deps.db.models.Account.update({ mustChangePassword: false }, { where: { id: staff.accountId } });
    expect((await scanAtB()).status).toBe(201);

    // signed out at A: refused at B at once, nothing written — with a good token or a forged one
    const before = await records();
    expect((await a.http.delete('/api/v1/staff/sessions/current').set(bearer(staff.token))).status).toBe(204);
    const refused = await scanAtB();
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('请先以法人用户（扫码员）账号登录');
    const forged = await b.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: `${(await codeTokenFor(b, p.personId)).slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    expect(await records()).toBe(before);
    const audits = await a.deps.db.models.AuditLog.count({ where: { actorKind: 'account', actorId: String(staff.accountId), action: 'code.verify', outcome: 'refused' } });
    expect(audits).toBe(0);
  });

  it('a staff account withdrawn at one instance scans no more at the other', async () => {
    const staff = await staffAtPoint(a, '350102');
    const p = await personWithCode(a, { idNumber: residentId('350102', '19700101', 151), name: '孙立' });
    const scanAtB = async () => b.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: await codeTokenFor(b, p.personId) });
    expect((await scanAtB()).status).toBe(201);
    await a.deps.db.models.Account.update({ disabled: true }, { where: { id: staff.accountId } });
    expect((await scanAtB()).status).toBe(401);
    await a.deps.db.models.Account.update({ disabled: false }, { where: { id: staff.accountId } });
    expect((await scanAtB()).status).toBe(201);
    await a.deps.db.models.Account.update({ authorised: false }, { where: { id: staff.accountId } });
    expect((await scanAtB()).status).toBe(401);
  });

  // SQLite has one writer: the other instance's scan would wait for the held one
  it.skipIf(!process.env.DATABASE_URL?.startsWith('mysql'))('a scan committed at one instance while the other waits for the point is in the count the other stores (the models\' way)', async () => {
    const { staffA, staffB, pointId, first, second } = await twoStaffAtOnePoint('七号门店', 170);
    // instance A's batch goes the models' way (a batch in which a point's state changes, scanService.ts), and stops
    // before its first statement on the point's state, its record written, not committed
    const hot = a.deps.db.hot;
    const original = hot.transaction;
    const scripted = hot.scripted;
    hot.scripted = null;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = false;
    hot.transaction = ((fn: Parameters<typeof original>[0]) =>
      original.call(hot, (tx, t) => {
        const select = tx.select.bind(tx);
        tx.select = (async (sql: string, params: readonly unknown[], opts?: { unprepared?: boolean }) => {
          if (!held && sql.includes('crowd_flow_states')) {
            held = true;
            await gate;
          }
          return select(sql, params, opts);
        }) as typeof tx.select;
        return fn(tx, t);
      })) as typeof original;
    try {
      const atA = a.http.post('/api/v1/staff/scans').set(bearer(staffA.token)).send({ token: await codeTokenFor(a, first.personId) }).then((r) => r);
      while (!held) await new Promise((r) => setTimeout(r, 5));
      // meanwhile instance B scans another person at the point, whole: its count cannot see A's record yet
      const atB = await b.http.post('/api/v1/staff/scans').set(bearer(staffB.token)).send({ token: await codeTokenFor(b, second.personId) });
      expect(atB.status, JSON.stringify(atB.body)).toBe(201);
      release();
      expect((await atA).status).toBe(201);
    } finally {
      hot.transaction = original;
      hot.scripted = scripted;
    }
    // A counted after B had committed: both people
    expect(await storedCount(pointId)).toBe(2);
  });

  it.skipIf(!process.env.DATABASE_URL?.startsWith('mysql'))('a scripted batch waiting for the point behind the other instance\'s counts the other\'s scan once it is committed', async () => {
    const { staffA, staffB, pointId, first, second } = await twoStaffAtOnePoint('八号门店', 180);
    // instance B's batch holds the point's state locked (its records written and counted), its COMMIT held back
    const hot = b.deps.db.hot;
    const scripted = hot.scripted!;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = false;
    hot.scripted = ((fn: Parameters<typeof scripted>[0]) =>
      scripted((tx) =>
        fn({
          send: (statements) => tx.send(statements),
          commit: async (statements) => {
            held = true;
            await gate;
            return tx.commit(statements);
          },
        }),
      )) as typeof scripted;
    const waiting = async () => {
      const [rows] = await a.deps.db.sequelize.query("SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
      return Number((rows as { n: number }[])[0].n);
    };
    try {
      const atB = b.http.post('/api/v1/staff/scans').set(bearer(staffB.token)).send({ token: await codeTokenFor(b, second.personId) }).then((r) => r);
      while (!held) await new Promise((r) => setTimeout(r, 5));
      // A's scan: its batch's first round trip waits in the database for the point's state
      const atA = a.http.post('/api/v1/staff/scans').set(bearer(staffA.token)).send({ token: await codeTokenFor(a, first.personId) }).then((r) => r);
      // (InnoDB refreshes INNODB_TRX at most every 0.1 s, from its first read after that: asked more often, it never changes)
      for (let i = 0; i < 25 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 200));
      expect(await waiting()).toBe(1);
      release();
      expect((await atB).status).toBe(201);
      expect((await atA).status).toBe(201);
    } finally {
      release();
      hot.scripted = scripted;
    }
    // A counted after B had committed: both people
    expect(await storedCount(pointId)).toBe(2);
  });

  /** A service point with a crowd-flow setting, a staff member of each instance scanning at it, and two people to scan. */
  async function twoStaffAtOnePoint(name: string, serial: number) {
    const staffA = await staffAtPoint(a);
    const staffB = await staffAtPoint(b, '350102', { organisationId: staffA.organisationId });
    const { ServicePoint, CrowdFlowSetting, ScanPoint } = a.deps.db.models;
    const point = await ServicePoint.create({ organisationId: staffA.organisationId, name, areaCode: '350102', address: `东街 ${name}` });
    const pointId = Number(point.get('id'));
    await CrowdFlowSetting.create({ servicePointId: pointId, capacity: 100, warningLine: 80, windowMinutes: 60 });
    // counted once, as the console's saving of a setting does: the scans then count from presence
    await evaluatePoint(a.deps, pointId);
    await ScanPoint.update({ servicePointId: pointId }, { where: { accountId: [staffA.accountId, staffB.accountId] } });
    const first = await personWithCode(a, { idNumber: residentId('350102', '19800101', serial), name: `顾客${serial}` });
    const second = await personWithCode(a, { idNumber: residentId('350102', '19800101', serial + 1), name: `顾客${serial + 1}` });
    return { staffA, staffB, pointId, first, second };
  }

  /** The point's stored crowd count. */
  async function storedCount(pointId: number): Promise<number> {
    const state = (await a.deps.db.models.CrowdFlowState.findOne({ where: { servicePointId: pointId }, raw: true })) as unknown as { currentCount: number };
    return Number(state.currentCount);
  }
});

