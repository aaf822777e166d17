// Employee batch import for the console (D6, E5, E2): the .xlsx is checked row by row (every problem with
// its row number and column), then against the unit's existing employees, and loaded in one transaction —
// the whole file or nothing. It runs as a job the console polls for progress.
import type { ImportJob } from '@bamin/common';
import type { Context } from 'koa';
import { Op, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { untilDatabaseReturns } from '../db/connectionErrors';
import { toDate } from '../db/values';
import { ApiError } from '../errors';
import { readBody } from '../http/middleware';
import { writeAudit } from './auditService';
import { randomId } from './consoleAccountService';
import type { ConsoleSession } from './consoleSessionService';
import { buildEmployeeTemplate, parseEmployeeWorkbook, type EmployeeImportError, type EmployeeImportRow } from './import/employeesXlsx';
import { chunks } from './peopleService';
import { employeeColumns } from './unitService';

type D = Pick<Deps, 'db' | 'pii' | 'clock' | 'config' | 'logger'>;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Rows per progress step and per INSERT. */
const STEP = 500;

export const employeeTemplate = () => buildEmployeeTemplate();

interface JobRow {
  jobId: string;
  organisationId: number;
  status: ImportJob['status'];
  total: number | null;
  processed: number;
  inserted: number | null;
  errors: string | null;
  createdAt: Date | string;
  finishedAt: Date | string | null;
}

function jobView(r: JobRow): ImportJob {
  return {
    jobId: r.jobId,
    status: r.status,
    total: r.total == null ? null : Number(r.total),
    processed: Number(r.processed),
    inserted: r.inserted == null ? null : Number(r.inserted),
    errors: r.errors ? JSON.parse(r.errors) : [],
    createdAt: toDate(r.createdAt).toISOString(),
    finishedAt: r.finishedAt ? toDate(r.finishedAt).toISOString() : null,
  };
}

export async function importJob(deps: Pick<Deps, 'db'>, s: ConsoleSession, jobId: string): Promise<ImportJob> {
  if (!/^[0-9a-f]{32}$/.test(jobId)) throw new ApiError('IMPORT_JOB_NOT_FOUND');
  const row = (await deps.db.models.ImportJob.findOne({ where: { jobId, organisationId: s.organisationId }, raw: true })) as unknown as JobRow | null;
  if (!row) throw new ApiError('IMPORT_JOB_NOT_FOUND');
  return jobView(row);
}

/** Reads the upload, records the job and starts it; the answer is the queued job. */
export async function startEmployeeImport(deps: D, s: ConsoleSession, ctx: Context): Promise<ImportJob> {
  if (!ctx.is(XLSX_TYPE)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', [{ problem: '请上传 .xlsx 文件（Excel 2007 及以上格式），可先下载导入模板' }]);
  const body = await readBody(ctx, deps.config.maxBodyBytes);
  const jobId = randomId();
  const organisationId = s.organisationId!;
  await deps.db.models.ImportJob.create({ jobId, organisationId, kind: 'employees', status: 'queued', processed: 0, createdByAccountId: s.accountId });
  const run = runEmployeeImport(deps, s, jobId, body).catch(async (e) => {
    deps.logger.error({ err: e, jobId }, 'employee import failed');
    // true to its word: the rows, the audit entry and 'done' commit together (insertAll), so a failure
    // here imported nothing. Written once the database is back if it is what went away (H3).
    await untilDatabaseReturns(() => finish(deps, jobId, { status: 'failed', errors: [{ line: 0, problem: '导入时发生内部错误，未导入任何数据，请稍后重试' }] }), {
      what: 'employee import job failed',
      logger: deps.logger,
    }).catch((err) => deps.logger.error({ err, jobId }, 'employee import job left running'));
  });
  runningImports.add(run);
  void run.finally(() => runningImports.delete(run));
  return importJob(deps, s, jobId);
}

/** Imports still running in this process (tests and shutdown wait for them). */
export const runningImports = new Set<Promise<unknown>>();

async function finish(
  deps: Pick<Deps, 'db' | 'clock'>,
  jobId: string,
  v: { status: 'done' | 'failed'; errors?: EmployeeImportError[]; inserted?: number; processed?: number },
  transaction?: Transaction,
) {
  await deps.db.models.ImportJob.update(
    {
      status: v.status,
      errors: v.errors?.length ? JSON.stringify(v.errors) : null,
      inserted: v.inserted ?? null,
      ...(v.processed !== undefined ? { processed: v.processed } : {}),
      finishedAt: deps.clock.now(),
    },
    { where: { jobId }, transaction },
  );
}

async function runEmployeeImport(deps: D, s: ConsoleSession, jobId: string, body: Buffer): Promise<void> {
  const { ImportJob: Job, Employee } = deps.db.models;
  await Job.update({ status: 'running' }, { where: { jobId } });
  const parsed = await parseEmployeeWorkbook(body);
  if (!parsed.ok) return finish(deps, jobId, { status: 'failed', errors: parsed.errors });
  const rows = parsed.rows;
  await Job.update({ total: rows.length }, { where: { jobId } });

  // Against the unit's existing employees, in steps (progress is reported as rows are checked).
  const hashed = rows.map((r) => ({ row: r, idHash: deps.pii.hash(r.identityKey) }));
  const errors: EmployeeImportError[] = [];
  let processed = 0;
  for (const part of chunks(hashed, STEP)) {
    const existing = await Employee.findAll({
      where: { organisationId: s.organisationId, idHash: { [Op.in]: part.map((p) => p.idHash) } },
      attributes: ['idHash', 'name'],
      raw: true,
    });
    const known = new Map((existing as unknown as { idHash: string; name: string }[]).map((e) => [e.idHash, e.name]));
    for (const p of part) {
      if (known.has(p.idHash)) errors.push({ line: p.row.line, field: 'idNumber', problem: `本单位已有该证件号码的职工（${known.get(p.idHash)}）` });
    }
    processed += part.length;
    await Job.update({ processed }, { where: { jobId } });
  }
  if (errors.length) return finish(deps, jobId, { status: 'failed', errors });

  await insertAll(deps, s.organisationId!, rows, async (inserted, transaction) => {
    await writeAudit(
      deps,
      {
        actorKind: s.accountId != null ? 'account' : 'person',
        actorId: String(s.accountId ?? s.citizenUserId),
        action: 'console.employees_imported',
        subjectKind: 'organisation',
        subjectId: s.organisationId,
        outcome: 'ok',
        detail: { rows: inserted },
      },
      transaction,
    );
    await finish(deps, jobId, { status: 'done', inserted, processed: rows.length }, transaction);
  });
}

/**
 * All rows in one transaction: a row that collides (another import at the same moment) undoes the lot.
 * `done` (the audit entry and the job's end) commits with them, so a job is never failed with its rows in.
 */
async function insertAll(deps: D, organisationId: number, rows: EmployeeImportRow[], done: (inserted: number, transaction: Transaction) => Promise<void>): Promise<void> {
  await deps.db.sequelize.transaction(async (transaction) => {
    for (const part of chunks(rows, STEP)) {
      await deps.db.models.Employee.bulkCreate(
        part.map((r) => ({ organisationId, ...employeeColumns(deps, r.value) })),
        { transaction },
      );
    }
    await done(rows.length, transaction);
  });
}
