import { csv, residentId } from './people';

/** A fever-clinic-visits CSV of at least `bytes` bytes: 500 people, distinct visits, long hospital names. */
export function bigVisitsCsv(bytes: number): { text: string; rows: number } {
  const people = Array.from({ length: 500 }, (_, i) => residentId('350102', '19800101', i + 1));
  const hospital = `福建省${'某'.repeat(70)}医院发热门诊`;
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const minute = Math.floor(i / people.length);
    const t = new Date(Date.UTC(2026, 2, 14, 0, 0, 0) + minute * 1000);
    const line = `resident_id,${people[i % people.length]},测试人员,${hospital},${t.toISOString()}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return { text: csv('id_type,id_number,name,hospital,visited_at', ...lines), rows: lines.length };
}
