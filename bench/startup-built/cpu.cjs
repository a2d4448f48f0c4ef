// Preloaded (-r) into every measured process, sandboxed or not: writes the process's CPU time
// (user + system, every thread, across a restart: getrusage survives execve) to stderr at exit.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  require('node:fs').writeSync(2, `\ncpu-us ${user + system}\n`);
});
