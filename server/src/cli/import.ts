// npm run import -- <type> <file>
// Streams a data-source file (CSV, JSON or XLSX, no size limit), checks every line, and loads it whole
// or not at all, with progress on stderr. Exit codes: 0 loaded, 1 refused (bad lines listed), 2 usage.
import { statSync } from 'node:fs';
import path from 'node:path';
import { isSourceType, SOURCE_TYPES } from '../domain/sources';
import { bootstrap } from '../bootstrap';
import { ConfigError } from '../config';
import { parseSourceFile } from '../services/import/parse';
import { importRecords } from '../services/importService';
import { writeAudit } from '../services/auditService';
import { progress } from './progress';

async function main(argv: string[]): Promise<number> {
  const [type, file] = argv;
  if (!type || !file || !isSourceType(type)) {
    process.stderr.write(`用法: npm run import -- <type> <file>\n  type: ${SOURCE_TYPES.join(' | ')}\n`);
    return 2;
  }
  // npm runs scripts from the repository root; a relative path means the caller's directory.
  const filePath = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  try {
    statSync(filePath);
  } catch {
    process.stderr.write(`文件不存在: ${filePath}\n`);
    return 2;
  }
  const deps = await bootstrap({ cli: true });
  try {
    const parsed = await parseSourceFile(type, filePath, progress('读取并校验'));
    if (parsed.errors.length) {
      process.stderr.write(`导入文件有误，未导入任何数据（${parsed.errors.length} 处错误）:\n`);
      for (const d of parsed.errors) {
        process.stderr.write(`  ${d.line != null ? `第 ${d.line} 行` : '文件'}${d.field ? ` [${d.field}]` : ''}: ${d.problem}\n`);
      }
      return 1;
    }
    const bars = { people: progress('人员'), rows: progress('写入记录'), recompute: progress('重新计算健康码') };
    const result = await importRecords(deps, type, parsed.rows, { onProgress: (phase, done, total) => bars[phase](done, total) });
    await writeAudit(deps, {
      actorKind: 'system',
      actorId: 'cli',
      action: 'source.import',
      subjectKind: 'source',
      subjectId: type,
      outcome: 'ok',
      detail: { file: path.basename(filePath), ...result },
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    await deps.db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `导入失败: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
