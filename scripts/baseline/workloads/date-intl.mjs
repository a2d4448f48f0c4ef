// Workload: Date and Intl with a time zone (TZ is set in the environment by ../workloads.mjs, then
// changed at run time). Time-zone data is read lazily on first use: this shows from where.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const now = new Date(Date.UTC(2024, 6, 1, 12));
now.toString();
now.toLocaleString();
now.getTimezoneOffset();
new Intl.DateTimeFormat('de-DE', { dateStyle: 'full', timeStyle: 'long' }).format(now);
new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', timeStyle: 'full' }).format(now);
Intl.DateTimeFormat().resolvedOptions().timeZone;
new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(1234.5);
new Intl.Collator('sv').compare('ä', 'z');
new Intl.RelativeTimeFormat('es').format(-1, 'day');
[...new Intl.Segmenter('en', { granularity: 'word' }).segment('two words')];
'İ'.toLocaleLowerCase('tr');
process.env.TZ = 'America/New_York';
new Date(now).toString();
