// Retention (H3; issue 11) on a real database: rows past their period go, rows inside it stay (a day on
// each side of every boundary), in batches; daily statistics, people and source data are kept; delivered
// report files go with their rows; the job runs once a day however many instances fire it.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as retentionJob } from '../../src/jobs/retention.job';
import { PURGE_BATCH, purgeExpired, periodsOf } from '../../src/services/retentionService';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';
import { createOrganisation, personWithCode } from '../helpers/staff';

let ctx: TestContext;
const NOW = new Date('2026-06-30T02:00:00+08:00');
const DAY = 86_400_000;
const ago = (days: number, plusMs = 0) => new Date(NOW.getTime() - days * DAY + plusMs);

beforeAll(async () => {
  ctx = await createTestContext({ now: NOW.toISOString() });
}, 60_000);
afterAll(() => ctx.close());

describe('purgeExpired', () => {
  it('deletes what is past its period and keeps what is not, on each side of every boundary', async () => {
    const m = ctx.deps.db.models;
    const org = await createOrganisation(ctx, 'government', '留存测试街道');
    const p = await personWithCode(ctx, { name: '留存', idNumber: residentId('350102', '19900101', 901) });
    const scan = (at: Date) => m.ScanRecord.create({ organisationId: org, personId: p.personId, mode: 'passive', method: 'camera', colour: 'green', areaCode: '350102', location: '东门', scannedAt: at });
    const old = [await scan(ago(28, -60_000)), await scan(ago(40))];
    const kept = [await scan(ago(28, 60_000)), await scan(ago(1))];
    const report = (at: Date) => m.HealthReport.create({ personId: p.personId, reporterPersonId: p.personId, reportType: 'self', temperatureTenths: 365, symptoms: 'none', areaCode: '350102', location: '家', reportedAt: at });
    const oldReport = await report(ago(181));
    const keptReport = await report(ago(179));
    const audit = (at: Date) => m.AuditLog.create({ at, actorKind: 'system', action: 'test.retention', outcome: 'ok' });
    await audit(ago(181));
    const keptAudit = await audit(ago(179));
    const msg = await m.Message.create({ personId: p.personId, kind: 'reminder', title: '旧消息', body: '旧' });
    await m.Message.update({ createdAt: ago(200) }, { where: { id: msg.get('id') }, silent: true });
    const keptMsg = await m.Message.create({ personId: p.personId, kind: 'reminder', title: '新消息', body: '新' });
    await m.Message.update({ createdAt: ago(10) }, { where: { id: keptMsg.get('id') }, silent: true });
    const card = (expiresAt: Date) => m.CodeCard.create({ personId: p.personId, codeNumber: '350000000001', keyId: 'k1', issuedByUserId: 1, issuedAt: new Date(expiresAt.getTime() - 14 * DAY), expiresAt });
    const oldCard = await card(ago(181));
    const keptCard = await card(ago(179));
    await m.DailyStat.create({ organisationId: org, day: '2025-01-01', employees: 1, reportedEmployees: 0, reports: 0 });
    // a delivered report file two hundred days old, and a recent one
    const dir = path.join(ctx.dir, 'reports');
    mkdirSync(dir, { recursive: true });
    const file = (name: string) => (writeFileSync(path.join(dir, name), 'xlsx'), `reports/${name}`);
    const r1 = await m.DataReport.create({ fromOrganisationId: org, toOrganisationId: org, rangeFrom: ago(210), rangeTo: ago(205), status: 'delivered', filePath: file('old.xlsx'), fileName: 'old.xlsx' });
    await m.DataReport.update({ createdAt: ago(200) }, { where: { id: r1.get('id') }, silent: true });
    const r2 = await m.DataReport.create({ fromOrganisationId: org, toOrganisationId: org, rangeFrom: ago(3), rangeTo: ago(2), status: 'delivered', filePath: file('new.xlsx'), fileName: 'new.xlsx' });
    await m.DataReport.update({ createdAt: ago(2) }, { where: { id: r2.get('id') }, silent: true });
    // sessions and one-time codes a day after they stopped mattering
    await m.SmsCode.create({ phoneHash: 'a'.repeat(64), purpose: 'sign_in', codeHash: 'b'.repeat(64), expiresAt: ago(2), attempts: 0 });
    const keptSms = await m.SmsCode.create({ phoneHash: 'c'.repeat(64), purpose: 'sign_in', codeHash: 'd'.repeat(64), expiresAt: ago(0, 60_000), attempts: 0 });

    const counts = await purgeExpired(ctx.deps, periodsOf(ctx.deps.config));
    expect(counts).toMatchObject({ scan_records: 2, health_reports: 1, audit_log: 1, messages: 1, code_cards: 1, sms_codes: 1, data_reports: 1 });
    expect(await m.CodeCard.findByPk(oldCard.get('id') as number)).toBeNull();
    expect(await m.CodeCard.findByPk(keptCard.get('id') as number)).not.toBeNull();
    expect((await m.ScanRecord.findAll({ raw: true })).map((r) => Number((r as unknown as { id: number }).id)).sort()).toEqual(kept.map((k) => Number(k.get('id'))).sort());
    expect(await m.ScanRecord.count({ where: { id: old.map((o) => o.get('id')) as number[] } })).toBe(0);
    expect(await m.HealthReport.findByPk(oldReport.get('id') as number)).toBeNull();
    expect(await m.HealthReport.findByPk(keptReport.get('id') as number)).not.toBeNull();
    expect(await m.AuditLog.findByPk(keptAudit.get('id') as number)).not.toBeNull();
    expect(await m.Message.findByPk(keptMsg.get('id') as number)).not.toBeNull();
    expect(await m.SmsCode.findByPk(keptSms.get('id') as number)).not.toBeNull();
    expect(existsSync(path.join(dir, 'old.xlsx'))).toBe(false);
    expect(existsSync(path.join(dir, 'new.xlsx'))).toBe(true);
    expect(await m.DataReport.findByPk(r2.get('id') as number)).not.toBeNull();
    // kept whatever their age
    expect(await m.DailyStat.count({ where: { organisationId: org } })).toBe(1);
    expect(await m.Person.findByPk(p.personId)).not.toBeNull();
    // a second purge finds nothing more
    expect(Object.values(await purgeExpired(ctx.deps, periodsOf(ctx.deps.config))).every((n) => n === 0)).toBe(true);
  });

  it('drops a crowd presence a day after it left every window, and never one a stored count still includes', async () => {
    const m = ctx.deps.db.models;
    const presence = (pointId: number, personId: number, at: Date) => m.CrowdPresence.create({ servicePointId: pointId, personId, lastSeenAt: at });
    const state = (pointId: number, windowFrom: Date | null) =>
      m.CrowdFlowState.create({ servicePointId: pointId, state: 'normal', currentCount: 0, changedAt: NOW, windowFrom, windowMinutes: windowFrom ? 60 : null });
    // a busy point counted a minute ago: a visit two days old goes, one 23 hours old stays
    await state(9001, ago(0, -60 * 60_000));
    await presence(9001, 1, ago(2));
    await presence(9001, 2, ago(1, 3600_000));
    // a point idle for three days: its count still includes a visit two days old, which stays
    await state(9002, ago(3));
    await presence(9002, 1, ago(2));
    await presence(9002, 2, ago(4));
    // a point no longer counted (its setting deleted): its old rows go
    await presence(9003, 1, ago(2));
    // a point whose count never came from presence: its first count rebuilds them, nothing goes before
    await state(9004, null);
    await presence(9004, 1, ago(2));
    const counts = await purgeExpired(ctx.deps, periodsOf(ctx.deps.config));
    expect(counts.crowd_presence).toBe(3);
    const left = ((await m.CrowdPresence.findAll({ order: [['servicePointId', 'ASC'], ['personId', 'ASC']], raw: true })) as unknown as { servicePointId: number; personId: number }[]).map(
      (r) => `${r.servicePointId}:${r.personId}`,
    );
    expect(left).toEqual(['9001:2', '9002:1', '9004:1']);
    expect((await purgeExpired(ctx.deps, periodsOf(ctx.deps.config))).crowd_presence).toBe(0);
  });

  it('goes through a table larger than one batch', async () => {
    const m = ctx.deps.db.models;
    const rows = Array.from({ length: PURGE_BATCH + 7 }, (_, i) => ({ at: ago(400, i), actorKind: 'system', action: 'test.bulk', outcome: 'ok' }));
    await m.AuditLog.bulkCreate(rows);
    const counts = await purgeExpired(ctx.deps, periodsOf(ctx.deps.config));
    expect(counts.audit_log).toBe(PURGE_BATCH + 7);
    expect(await m.AuditLog.count({ where: { action: 'test.bulk' } })).toBe(0);
  });

  it('the job runs once a day across instances', async () => {
    const [a, b] = await Promise.all([retentionJob(ctx.deps), retentionJob(ctx.deps)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    ctx.clock.set(new Date(NOW.getTime() + DAY));
    expect((await retentionJob(ctx.deps)).ran).toBe(true);
  });

  it('refuses a scan-record period shorter than the 14-day rule needs', async () => {
    const { loadConfig } = await import('../../src/config');
    expect(() => loadConfig({ ...process.env, DATABASE_URL: `sqlite:${path.join(ctx.dir, 'x.sqlite')}`, DATA_DIR: ctx.dir, RETENTION_SCAN_RECORD_DAYS: '14' })).toThrow(/RETENTION_SCAN_RECORD_DAYS/);
  });
});
