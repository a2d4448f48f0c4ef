// Writes logs/sample.log: a working day on four servers, ~400 syslog lines, the same bytes on
// every run (a seeded PRNG, fixed start time). Most lines are RFC 3164 as rsyslog writes them to
// /var/log/syslog; some carry their <PRI> (as a relay receives them); a few are RFC 5424; two are
// a stack trace's continuation lines, which are not syslog. Addresses are documentation ranges.
//   node scripts/make-sample.mjs [OUT]   (OUT defaults to logs/sample.log)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small deterministic PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(0x5e5106);
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const ip = () => pick(['198.51.100', '203.0.113', '192.0.2']) + `.${int(2, 254)}`;

// facility numbers (RFC 5424 §6.2.1) and severity numbers
const KERN = 0, USER = 1, MAIL = 2, DAEMON = 3, AUTHPRIV = 10, CRON = 9, LOCAL0 = 16;
const ERR = 3, WARNING = 4, NOTICE = 5, INFO = 6, CRIT = 2, DEBUG = 7;

// [program, has pid, facility, weight, templates: [severity, () => message]]
const PROGRAMS = {
  sshd: [true, AUTHPRIV, 6, [
    [INFO, () => `Accepted publickey for deploy from ${ip()} port ${int(30000, 65000)} ssh2: ED25519 SHA256:Jq3kVf0mTQ2xW7dZbT4pK9sYc1uLr8eHnA5oGiB6vXw`],
    [NOTICE, () => `Failed password for invalid user ${pick(['admin', 'test', 'oracle', 'ubuntu', 'git'])} from ${ip()} port ${int(30000, 65000)} ssh2`],
    [INFO, () => `Connection closed by authenticating user root ${ip()} port ${int(30000, 65000)} [preauth]`],
    [ERR, () => 'error: kex_exchange_identification: Connection reset by peer'],
    [INFO, () => `pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)`],
  ]],
  CRON: [true, CRON, 4, [
    [INFO, () => `(root) CMD (${pick(['/usr/local/bin/backup.sh', 'test -x /usr/sbin/anacron || run-parts /etc/cron.daily', '/usr/lib/php/sessionclean'])})`],
    [INFO, () => 'pam_unix(cron:session): session closed for user root'],
  ]],
  systemd: [true, DAEMON, 4, [
    [INFO, () => ((n) => `Started session-${n}.scope - Session ${n} of User deploy.`)(int(100, 999))],
    [INFO, () => `Starting ${pick(['logrotate.service', 'apt-daily.service', 'man-db.service'])} - ${pick(['Rotate log files', 'Daily apt download activities', 'Daily man-db regeneration'])}...`],
    [NOTICE, () => `${pick(['nginx.service', 'app.service'])}: Failed with result 'exit-code'.`],
    [WARNING, () => 'systemd-journald.service: Watchdog timeout (limit 3min)!'],
  ]],
  kernel: [false, KERN, 3, [
    [INFO, () => `[${int(1000, 99999)}.${String(int(0, 999999)).padStart(6, '0')}] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro. Quota mode: none.`],
    [WARNING, () => `[${int(1000, 99999)}.${String(int(0, 999999)).padStart(6, '0')}] TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.`],
    [ERR, () => `[${int(1000, 99999)}.${String(int(0, 999999)).padStart(6, '0')}] Out of memory: Killed process ${int(1000, 30000)} (node) total-vm:1843212kB, anon-rss:912340kB`],
    [INFO, () => `[${int(1000, 99999)}.${String(int(0, 999999)).padStart(6, '0')}] [UFW BLOCK] IN=eth0 OUT= SRC=${ip()} DST=10.0.0.5 PROTO=TCP SPT=${int(1024, 65000)} DPT=${pick([23, 3389, 5432])}`],
  ]],
  sudo: [false, AUTHPRIV, 1, [
    [NOTICE, () => `deploy : TTY=pts/${int(0, 3)} ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart ${pick(['nginx', 'app'])}`],
  ]],
};
const BY_ROLE = {
  web: {
    nginx: [true, LOCAL0, 8, [
      [ERR, () => `*${int(1, 9999)} open() "/var/www/html/${pick(['favicon.ico', 'wp-login.php', '.env'])}" failed (2: No such file or directory), client: ${ip()}, server: example.org`],
      [WARNING, () => `*${int(1, 9999)} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000${int(100, 999)}`],
      [CRIT, () => `*${int(1, 9999)} SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: ${ip()}`],
      [INFO, () => `*${int(1, 9999)} client ${ip()} closed keepalive connection`],
    ]],
    node: [true, USER, 5, [
      [INFO, () => `GET /api/orders/${int(1000, 9999)} 200 ${int(3, 90)}ms`],
      [WARNING, () => `warning: slow query on /api/reports took ${int(1200, 4800)}ms`],
      [ERR, () => `Error: connect ECONNREFUSED 10.0.0.7:5432`],
      [DEBUG, () => `debug: cache hit ratio ${int(70, 99)}%`],
    ]],
  },
  db: {
    postgres: [true, LOCAL0, 9, [
      [INFO, () => `LOG:  checkpoint complete: wrote ${int(10, 900)} buffers (${int(0, 5)}.${int(0, 9)}%); write=${int(1, 30)}.${int(100, 999)} s`],
      [WARNING, () => 'WARNING:  there is already a transaction in progress'],
      [ERR, () => `ERROR:  duplicate key value violates unique constraint "orders_pkey"`],
      [CRIT, () => 'FATAL:  password authentication failed for user "report"'],
      [INFO, () => `LOG:  automatic vacuum of table "shop.public.orders": index scans: ${int(0, 2)}`],
    ]],
  },
  mail: {
    'postfix/smtpd': [true, MAIL, 7, [
      [INFO, () => `connect from unknown[${ip()}]`],
      [INFO, () => `disconnect from unknown[${ip()}] ehlo=1 auth=0/1 quit=1 commands=2/3`],
      [WARNING, () => `warning: unknown[${ip()}]: SASL LOGIN authentication failed: authentication failure`],
    ]],
    'postfix/qmgr': [true, MAIL, 3, [
      [INFO, () => `${int(0x10000000, 0x7fffffff).toString(16).toUpperCase()}: from=<noreply@example.org>, size=${int(900, 40000)}, nrcpt=1 (queue active)`],
    ]],
    dovecot: [false, MAIL, 3, [
      [INFO, () => `imap-login: Login: user=<${pick(['ana', 'ben', 'chen'])}@example.org>, method=PLAIN, rip=${ip()}, TLS`],
      [NOTICE, () => `imap(${pick(['ana', 'ben', 'chen'])}@example.org): Disconnected: Logged out in=${int(100, 9000)} out=${int(100, 90000)}`],
    ]],
  },
};
const HOSTS = [['web-1', 'web', 5], ['web-2', 'web', 4], ['db-1', 'db', 3], ['mail-1', 'mail', 2]];
const PIDS = new Map();
const weighted = (entries, weightOf) => {
  let roll = random() * entries.reduce((sum, e) => sum + weightOf(e), 0);
  return entries.find((e) => (roll -= weightOf(e)) < 0) ?? entries.at(-1);
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n, width = 2) => String(n).padStart(width, '0');

const lines = [];
let traced = false;
let time = Date.UTC(2025, 10, 28, 6, 0, 0);
for (let i = 0; i < 400; i++) {
  time += int(1, 190) * 1000;
  const now = new Date(time);
  const [host, role] = weighted(HOSTS, (h) => h[2]);
  const programs = Object.entries({ ...PROGRAMS, ...BY_ROLE[role] });
  const [program, [hasPid, facility, , templates]] = weighted(programs, ([, p]) => p[2]);
  const [severity, message] = pick(templates);
  const key = `${host}/${program}`;
  if (!PIDS.has(key)) PIDS.set(key, program === 'systemd' ? 1 : int(300, 40000));
  const pid = program === 'CRON' ? int(1000, 90000) : PIDS.get(key);
  const text = message();
  const stamp3164 = `${MONTHS[now.getUTCMonth()]} ${String(now.getUTCDate()).padStart(2, ' ')} ${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}`;
  const tag = hasPid ? `${program}[${pid}]` : program;
  const pri = facility * 8 + severity;
  const format = random();
  if (format < 0.05) {
    const sd = random() < 0.5 ? '-' : `[meta sequenceId="${i + 1}"]`;
    lines.push(`<${pri}>1 ${now.toISOString()} ${host} ${program} ${hasPid ? pid : '-'} - ${sd} ${text}`);
  } else if (format < 0.25) {
    lines.push(`<${pri}>${stamp3164} ${host} ${tag}: ${text}`);
  } else {
    lines.push(`${stamp3164} ${host} ${tag}: ${text}`);
  }
  if (text.startsWith('Error: connect') && !traced) {
    traced = true;
    lines.push('    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)', '    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)');
  }
}
const out = process.argv[2] ?? fileURLToPath(new URL('../logs/sample.log', import.meta.url));
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${out}: ${lines.length} lines`);
