// A developer's SQLite file from an earlier version gets the columns and indexes later migrations add
// (sync() alone only creates missing tables).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/db/database';

const dir = mkdtempSync(path.join(tmpdir(), 'bamin-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite schema upgrade', () => {
  it('adds the columns and indexes an older file lacks, keeping its rows', async () => {
    const url = `sqlite:${path.join(dir, 'old.sqlite')}`;
    let db = openDatabase(url);
    await migrate(db, url);
    const qi = db.sequelize.getQueryInterface();
    // make it look like a file from before sql/003: no feedback columns, no scanner index
    await db.sequelize.query('DROP INDEX idx_scan_records_scanner_time');
    for (const c of ['scan_point_name', 'temperature_tenths', 'feedback_at']) await db.sequelize.query(`ALTER TABLE scan_records DROP COLUMN ${c}`);
    await db.sequelize.query(
      "INSERT INTO scan_records (organisation_id, person_id, mode, method, colour, area_code, scanned_at, created_at, updated_at) VALUES (1, 1, 'passive', 'camera', 'green', '350102', '2026-03-15 02:00:00.000 +00:00', '2026-03-15 02:00:00', '2026-03-15 02:00:00')",
    );
    expect(Object.keys(await qi.describeTable('scan_records'))).not.toContain('feedback_at');
    await db.close();

    db = openDatabase(url);
    const added = await migrate(db, url);
    expect(added).toEqual(['scan_records.scan_point_name', 'scan_records.temperature_tenths', 'scan_records.feedback_at']);
    // (sync() itself re-creates a missing index on an existing table; the upgrade step covers the rest)
    const indexes = (await db.sequelize.getQueryInterface().showIndex('scan_records')) as { name: string }[];
    expect(indexes.map((i) => i.name)).toContain('idx_scan_records_scanner_time');
    const columns = await db.sequelize.getQueryInterface().describeTable('scan_records');
    expect(columns.temperature_tenths).toMatchObject({ allowNull: true });
    expect(await db.models.ScanRecord.count()).toBe(1);
    await db.models.ScanRecord.update({ temperatureTenths: 365 }, { where: {} });
    expect(await db.models.ScanRecord.findOne({ raw: true })).toMatchObject({ temperatureTenths: 365, feedbackAt: null });
    expect(await migrate(db, url)).toEqual([]); // nothing left to add
    await db.close();
  });
});
