/**
 * Parses one syslog line into a record: RFC 3164 (`Nov 28 16:37:34 web-1 sshd[812]: message`,
 * optionally led by `<PRI>`, as a relay receives it) or RFC 5424 (`<38>1 2025-11-28T16:37:34Z
 * web-1 sshd 812 - - message`). It does not read files or count anything; `summary.ts` does that.
 */

/** Syslog severities, index = the numeric severity (RFC 5424 §6.2.1). */
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One parsed line. */
export interface SyslogRecord {
  readonly host: string;
  /** The tag without its `[pid]`, or `-` when the line has none. */
  readonly program: string;
  readonly severity: Severity;
  /** Where the severity came from: the line's `<PRI>`, or keywords in the message. */
  readonly severityFrom: 'pri' | 'keyword';
  /** Month (1–12), day, `hh:mm:ss`: RFC 3164 carries no year, so neither format's year is kept. */
  readonly time: { readonly month: number; readonly day: number; readonly clock: string } | undefined;
  readonly message: string;
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const RFC3164 = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d) (\S+) (.*)$/;
const TAG = /^([^\s:[\]]+)(?:\[\d+\])?: ?(.*)$/;
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/;
const ISO_STAMP = /^\d{4}-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d)/;

/**
 * Severity from the words of a message, for lines without `<PRI>`; the first rule that matches
 * wins, and a message matching none counts as `info`.
 */
export const KEYWORD_RULES: ReadonlyArray<readonly [Severity, RegExp]> = [
  ['emerg', /\b(panic|emerg(ency)?)\b/i],
  ['crit', /\b(crit(ical)?|fatal|out of memory)\b/i],
  ['err', /\b(err(or)?|fail(s|ed|ure)?)\b/i],
  ['warning', /\bwarn(ing)?\b/i],
  ['debug', /\bdebug\b/i],
];

function severityOfMessage(message: string): Severity {
  return KEYWORD_RULES.find(([, pattern]) => pattern.test(message))?.[0] ?? 'info';
}

function severityOfPri(pri: string): Severity | undefined {
  const value = Number(pri);
  return value <= 191 ? SEVERITIES[value % 8] : undefined;
}

function parse3164(match: RegExpExecArray): SyslogRecord | undefined {
  const [, pri, monthName, day, clock, host = '', rest = ''] = match;
  const month = MONTHS.indexOf(monthName as (typeof MONTHS)[number]) + 1;
  if (month === 0 || clock === undefined) return undefined;
  const tag = TAG.exec(rest);
  const message = tag ? (tag[2] ?? '') : rest;
  const fromPri = pri === undefined ? undefined : severityOfPri(pri);
  if (pri !== undefined && fromPri === undefined) return undefined;
  return {
    host,
    program: tag?.[1] ?? '-',
    severity: fromPri ?? severityOfMessage(message),
    severityFrom: fromPri ? 'pri' : 'keyword',
    time: { month, day: Number(day), clock },
    message,
  };
}

function parse5424(match: RegExpExecArray): SyslogRecord | undefined {
  const [, pri = '', stamp = '', host = '', app = '', , , , message = ''] = match;
  const severity = severityOfPri(pri);
  if (severity === undefined) return undefined;
  const iso = ISO_STAMP.exec(stamp);
  return {
    host,
    program: app,
    severity,
    severityFrom: 'pri',
    time: iso ? { month: Number(iso[1]), day: Number(iso[2]), clock: iso[3] ?? '' } : undefined,
    message: message.replace(/^\uFEFF/, ''),
  };
}

/**
 * Parses one line; undefined when it is not syslog (a wrapped continuation line, say).
 * @example
 * parseLine('Nov 28 16:37:34 web-1 sshd[812]: error: kex_exchange_identification');
 * // { host: 'web-1', program: 'sshd', severity: 'err', severityFrom: 'keyword', ... }
 */
export function parseLine(line: string): SyslogRecord | undefined {
  const structured = RFC5424.exec(line);
  if (structured) return parse5424(structured);
  const classic = RFC3164.exec(line);
  return classic ? parse3164(classic) : undefined;
}
