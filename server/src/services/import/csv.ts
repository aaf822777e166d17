// RFC 4180 CSV, incrementally: text arrives in chunks (the import CLI streams files far larger than
// memory should hold at once) and complete records come out with the physical line they start on,
// so a problem points at the line a source sees in its editor even after quoted newlines.
//
// Leniencies, all things spreadsheet programs write: LF or CRLF (and a lone CR, old Mac Excel) end a
// record; blank lines are skipped; a quote inside an unquoted field is kept as a character. Text
// after a closing quote ('"abc"d') is refused, since what was meant cannot be known.

export interface CsvRecord {
  /** Physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
  /** Set when the record is malformed; the fields are then a best effort. */
  problem?: string;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote seen inside a quoted field: either the closing quote or the first of a doubled pair. */
  QuoteInQuoted,
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

export class CsvParser {
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  private line = 1;
  private recordLine = 1;
  private inRecord = false;
  private lastWasCR = false;
  private problem: string | undefined;

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let segmentStart = 0; // start of the run of ordinary characters not yet appended to `field`
    const flushSegment = (end: number) => {
      if (end > segmentStart) this.field += text.slice(segmentStart, end);
    };

    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);

      if (c === LF && this.lastWasCR) {
        // Second half of a CRLF: the line was already counted (and the record ended) at the CR.
        this.lastWasCR = false;
        if (this.state !== State.Quoted) segmentStart = i + 1;
        continue;
      }
      this.lastWasCR = c === CR;
      const isBreak = c === CR || c === LF;

      if (!this.inRecord) {
        if (isBreak) {
          this.line++; // blank line
          segmentStart = i + 1;
          continue;
        }
        this.inRecord = true;
        this.recordLine = this.line;
      }

      switch (this.state) {
        case State.FieldStart:
          if (c === QUOTE) {
            this.state = State.Quoted;
            segmentStart = i + 1;
          } else if (c === COMMA) {
            this.endField();
            segmentStart = i + 1;
          } else if (isBreak) {
            this.endField();
            out.push(this.endRecord());
            this.line++;
            segmentStart = i + 1;
          } else {
            this.state = State.Unquoted;
            segmentStart = i;
          }
          break;

        case State.Unquoted:
          if (c === COMMA) {
            flushSegment(i);
            this.endField();
            segmentStart = i + 1;
          } else if (isBreak) {
            flushSegment(i);
            this.endField();
            out.push(this.endRecord());
            this.line++;
            segmentStart = i + 1;
          }
          break;

        case State.Quoted:
          if (c === QUOTE) {
            flushSegment(i);
            this.state = State.QuoteInQuoted;
            segmentStart = i + 1;
          } else if (isBreak) {
            this.line++; // kept in the value; only the count moves
          }
          break;

        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            segmentStart = i + 1;
          } else if (c === COMMA) {
            this.endField();
            segmentStart = i + 1;
          } else if (isBreak) {
            this.endField();
            out.push(this.endRecord());
            this.line++;
            segmentStart = i + 1;
          } else {
            this.problem ??=
              `第 ${this.fields.length + 1} 个字段的结束引号后还有其他字符；` +
              '含逗号、引号或换行的字段须整体用双引号括起，字段内的双引号写成两个 ""';
            this.state = State.Unquoted;
            segmentStart = i;
          }
          break;
      }
    }

    if (this.state === State.Unquoted || this.state === State.Quoted) flushSegment(text.length);
    return out;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): CsvRecord[] {
    if (!this.inRecord) return [];
    if (this.state === State.Quoted) {
      this.problem ??= '引号未闭合：从本行开始的带引号字段直到文件结尾都没有结束的双引号';
    }
    this.endField();
    return [this.endRecord()];
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
  }

  private endRecord(): CsvRecord {
    const record: CsvRecord = { line: this.recordLine, fields: this.fields };
    if (this.problem !== undefined) record.problem = this.problem;
    this.fields = [];
    this.problem = undefined;
    this.inRecord = false;
    return record;
  }
}

/** Every record of a whole CSV text. */
export function parseCsv(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}
