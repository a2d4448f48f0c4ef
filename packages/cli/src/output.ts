/**
 * Printing: colour only when the stream is a terminal (and `NO_COLOR` is unset), JSON with bigints
 * as hex strings, and one-line error reports. Nothing here decides what to print.
 */

import { styleText } from 'node:util';

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

/** `text` styled when `stream` is a terminal that may show colour, unchanged otherwise. */
export function paint(stream: NodeJS.WriteStream, style: Style, text: string): string {
  if (!stream.isTTY || process.env['NO_COLOR'] !== undefined || process.env['TERM'] === 'dumb') return text;
  return styleText(style, text);
}

/** A painter bound to stdout. */
export const out = (style: Style, text: string): string => paint(process.stdout, style, text);

/** `value` as two-space JSON; bigints become `0x…` strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v), 2);
}

/** Writes `value` as JSON to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value)}\n`);
}

/** Writes `syscage: <message>` (and the hint) to stderr. */
export function printError(message: string, hint?: string): void {
  const head = paint(process.stderr, 'red', 'syscage:');
  process.stderr.write(`${head} ${message}\n${hint ? `${paint(process.stderr, 'dim', hint)}\n` : ''}`);
}
