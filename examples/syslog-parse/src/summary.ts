/**
 * Counts parsed records (per host, per program, per severity, and where each severity came from)
 * and keeps the earliest and latest timestamp; formats the result as text or JSON. Pure: no I/O.
 */

import { MONTHS, SEVERITIES, type Severity, type SyslogRecord } from './parse.ts';

/** What the program prints with `--json`. */
export interface SummaryJson {
  readonly file: string;
  readonly records: number;
  /** Non-empty lines that are not syslog. */
  readonly skipped: number;
  readonly first: string | null;
  readonly last: string | null;
  readonly hosts: Record<string, number>;
  readonly programs: Record<string, number>;
  readonly severities: Partial<Record<Severity, number>>;
  readonly severityFrom: { readonly pri: number; readonly keyword: number };
}

type Stamp = NonNullable<SyslogRecord['time']>;
const sortKey = (t: Stamp): string => `${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')} ${t.clock}`;
const display = (t: Stamp): string => `${MONTHS[t.month - 1]} ${String(t.day).padStart(2, ' ')} ${t.clock}`;

/** Most frequent first, then by name. */
function ranked(counts: Map<string, number>): Array<[string, number]> {
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

const bump = (counts: Map<string, number>, key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);

/** Accumulates records one at a time, so a large log is never held in memory. */
export class Summary {
  readonly hosts = new Map<string, number>();
  readonly programs = new Map<string, number>();
  readonly severities = new Map<Severity, number>();
  readonly severityFrom = { pri: 0, keyword: 0 };
  records = 0;
  skipped = 0;
  first: Stamp | undefined;
  last: Stamp | undefined;
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** Counts one line's record, or the line as skipped. */
  add(record: SyslogRecord | undefined): void {
    if (!record) {
      this.skipped++;
      return;
    }
    this.records++;
    bump(this.hosts, record.host);
    bump(this.programs, record.program);
    this.severities.set(record.severity, (this.severities.get(record.severity) ?? 0) + 1);
    this.severityFrom[record.severityFrom]++;
    const { time } = record;
    if (!time) return;
    if (!this.first || sortKey(time) < sortKey(this.first)) this.first = time;
    if (!this.last || sortKey(time) > sortKey(this.last)) this.last = time;
  }

  toJSON(): SummaryJson {
    return {
      file: this.file,
      records: this.records,
      skipped: this.skipped,
      first: this.first ? display(this.first) : null,
      last: this.last ? display(this.last) : null,
      hosts: Object.fromEntries(ranked(this.hosts)),
      programs: Object.fromEntries(ranked(this.programs)),
      severities: Object.fromEntries(SEVERITIES.filter((s) => this.severities.has(s)).map((s) => [s, this.severities.get(s)])),
      severityFrom: { ...this.severityFrom },
    };
  }

  /** The summary as a person reads it: counts right-aligned, most frequent first, severities by rank. */
  toText(): string {
    const table = (rows: Array<[string, number]>): string[] => rows.map(([name, count]) => `  ${String(count).padStart(6)}  ${name}`);
    const skipped = this.skipped === 0 ? '' : ` (${this.skipped} ${this.skipped === 1 ? 'line' : 'lines'} not syslog, skipped)`;
    const range = this.first && this.last ? `${display(this.first)} → ${display(this.last)}` : 'no timestamps';
    return [
      `${this.file}: ${this.records} records${skipped}`,
      `time range: ${range}`,
      'hosts',
      ...table(ranked(this.hosts)),
      'programs',
      ...table(ranked(this.programs)),
      `severities (from <PRI>: ${this.severityFrom.pri}, from keywords: ${this.severityFrom.keyword})`,
      ...table(SEVERITIES.filter((s) => this.severities.has(s)).map((s) => [s, this.severities.get(s) ?? 0])),
    ].join('\n');
  }
}
