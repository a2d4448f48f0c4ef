// Preloaded (-r) into every measured process, sandboxed or not: writes the process's CPU time
// (user + system, every thread, across a restart: getrusage survives execve), how long the last
// image ran (process.uptime() starts again at execve) and whether this image is a restart (the
// runtime's marker, read here before the gate removes it) to stderr at exit.
const restarted = process.env.SYSCAGE_REEXEC !== undefined;
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  const uptime = Math.round(process.uptime() * 1e6);
  require('node:fs').writeSync(2, `\ncpu-us ${user + system} uptime-us ${uptime} restarted ${restarted ? 1 : 0}\n`);
});
