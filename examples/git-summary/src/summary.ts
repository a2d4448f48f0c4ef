/** Commits per author and the date range, from a list of commits; and that summary as text. Pure. */
import type { Commit } from './git-log.ts';

/** What the program prints with `--json`. */
export interface GitSummary {
  readonly commits: number;
  /** `Name <email>` → commits, most first. */
  readonly authors: Record<string, number>;
  /** Author dates (YYYY-MM-DD, in each author's time zone) of the oldest and newest commit. */
  readonly first: string | null;
  readonly last: string | null;
}

/**
 * Summarises `commits`.
 * @example
 * summarize([{ author: 'Ada', email: 'ada@example.org', date: '2024-05-01T10:00:00+02:00' }]).authors; // { 'Ada <ada@example.org>': 1 }
 */
export function summarize(commits: readonly Commit[]): GitSummary {
  const counts = new Map<string, number>();
  for (const { author, email } of commits) {
    const key = `${author} <${email}>`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const authors = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const dated = commits.map((c) => ({ day: c.date.slice(0, 10), at: Date.parse(c.date) })).sort((a, b) => a.at - b.at);
  return { commits: commits.length, authors: Object.fromEntries(authors), first: dated[0]?.day ?? null, last: dated.at(-1)?.day ?? null };
}

/** The summary as a person reads it. */
export function formatSummary(summary: GitSummary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const authors = Object.entries(summary.authors);
  return [
    `${plural(summary.commits, 'commit')} by ${plural(authors.length, 'author')}${summary.first ? `, ${summary.first} → ${summary.last}` : ''}`,
    ...authors.map(([name, count]) => `  ${String(count).padStart(6)}  ${name}`),
  ].join('\n');
}
