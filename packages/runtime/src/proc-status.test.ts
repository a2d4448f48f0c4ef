import { describe, expect, it } from 'vitest';
import { parseSeccompStatus, readSeccompStatus, readThreadStatuses, statusField } from './proc-status.ts';

const status = (fields: string): string => `Name:\tnode\nUmask:\t0022\nState:\tR (running)\n${fields}Speculation_Store_Bypass:\tthread vulnerable\n`;

describe('parseSeccompStatus', () => {
  it.each([
    ['NoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t3\n', { noNewPrivs: true, mode: 'filter', filters: 3 }],
    ['NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n', { noNewPrivs: false, mode: 'disabled', filters: 0 }],
    ['NoNewPrivs:\t0\nSeccomp:\t1\nSeccomp_filters:\t0\n', { noNewPrivs: false, mode: 'strict', filters: 0 }],
    ['NoNewPrivs:\t1\nSeccomp:\t2\n', { noNewPrivs: true, mode: 'filter', filters: undefined }], // before Linux 5.9
  ])('reads %j', (fields, expected) => {
    expect(parseSeccompStatus(status(fields))).toEqual(expected);
  });

  it('says undefined when the kernel has no CONFIG_SECCOMP (no Seccomp field)', () => {
    expect(parseSeccompStatus(status('NoNewPrivs:\t0\n'))).toBeUndefined();
  });

  it('does not take Seccomp_filters for Seccomp', () => {
    expect(parseSeccompStatus(status('Seccomp_filters:\t2\nNoNewPrivs:\t0\n'))).toBeUndefined();
  });

  it('reads only whole decimal values', () => {
    expect(parseSeccompStatus(status('Seccomp:\t2x\n'))).toBeUndefined();
    expect(parseSeccompStatus(status('Seccomp:\t\n'))).toBeUndefined();
  });
});

describe('statusField', () => {
  it.each([
    ['Seccomp:\t2\nSeccomp_filters:\t3\n', 'Seccomp', '2'],
    ['Seccomp_filters:\t3\nSeccomp:\t2\n', 'Seccomp', '2'],
    ['Seccomp_filters:\t3\n', 'Seccomp', undefined],
    ['XSeccomp:\t1\n', 'Seccomp', undefined],
    ['Name:\tnode', 'Name', 'node'],
    ['', 'Name', undefined],
  ])('in %j, %s is %j', (text, name, value) => {
    expect(statusField(text, name)).toBe(value);
  });
});

describe('reading /proc (no filter involved)', () => {
  it('the test runner itself runs without seccomp or with a filter someone else put there', () => {
    expect(readSeccompStatus()?.mode).toMatch(/^(disabled|filter)$/);
  });

  it('lists every thread of this process, this one included', () => {
    const threads = readThreadStatuses();
    expect(threads.map((thread) => thread.tid)).toContain(process.pid);
  });
});
