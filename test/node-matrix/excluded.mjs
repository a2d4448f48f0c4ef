/**
 * Exported functions of the covered modules (`list-exports.mjs`) that are deliberately not a
 * matrix case, each with the reason: they make no system call of their own (in-memory
 * computation, configuration, classes whose I/O belongs to a covered function), they are an alias
 * or an internal twin of a covered function, or a case cannot run here (it ends or replaces the
 * process, it needs an artefact the repository does not have). `coverage.mjs` fails on a name
 * that is here and covered too, and on one no supported Node exports.
 *
 * Whole modules out of scope (path, url, util, querystring, string_decoder, buffer, events,
 * stream, assert, vm, v8, perf_hooks…) are not listed at all: `list-exports.mjs`'s MODULES names
 * the modules whose functions reach the system.
 */

const PURE = 'computes in memory on the calling thread: no system call beyond the Node baseline\'s memory management';
const CONFIG = 'sets or reads in-process configuration: no system call';
const DATA = 'a data class (constructed from a result, or by the program): constructing it makes no system call';
const ZIP = 'experimental in Node 26 (an ExperimentalWarning on first use); reads and writes archive files through fs: a case is owed (issue 13)';
const INTERNAL = 'underscore-prefixed or undocumented internal of Node; the public API built on it is covered';
const TWIN = "Node's internal twin of the same function (the same binding, without a stack trace on error); the function itself is covered";
const EXPERIMENTAL_HTTP = 'header validation and WebSocket masking helpers: string and buffer checks, no system call';

/** @type {Readonly<Record<string, string>>} */
export const EXCLUDED = Object.freeze({
  // fs
  'fs.Stats': DATA,
  'fs.Dirent': DATA,
  'fs.FileReadStream': 'the same function as fs.ReadStream (an alias), which is covered',
  'fs.FileWriteStream': 'the same function as fs.WriteStream (an alias), which is covered',
  'fs._toUnixTimestamp': INTERNAL,
  'fs/promises.lchmod': 'Linux has no lchmod: Node rejects with ERR_METHOD_NOT_IMPLEMENTED before any system call',
  'FileHandle.getAsyncId': 'returns the async resource id of the handle object: no system call',

  // os
  'os.homedir.withoutStackTrace': TWIN,
  'os.hostname.withoutStackTrace': TWIN,
  'os.uptime.withoutStackTrace': TWIN,

  // process
  'process.exit': 'ends the process (exit_group, in the baseline): every child the matrix starts exits through it',
  'process.reallyExit': 'the binding under process.exit: ends the process',
  'process.abort': 'aborts the process (SIGABRT on itself, core dump): no batch could report after it',
  'process.execve': 'replaces the process image: the child could not report after it; execve is spawn\'s, which the child_process cases exercise',
  'process.dlopen': 'loads a native addon: the repository builds none, and an addon\'s own system calls are whatever its code makes',
  'process.binding': 'deprecated access to internal bindings; what they do is covered through the public functions',
  'process._linkedBinding': INTERNAL,
  'process._rawDebug': INTERNAL,
  'process._getActiveRequests': INTERNAL,
  'process._getActiveHandles': INTERNAL,
  'process._kill': 'the binding under process.kill, which the signal cases cover',
  'process._fatalException': INTERNAL,
  'process._tickCallback': INTERNAL,
  'process._debugProcess': 'internal: SIGUSR1 to a process to start its inspector, process.kill\'s system call (signal cases)',
  'process._debugEnd': INTERNAL,
  'process._startProfilerIdleNotifier': INTERNAL,
  'process._stopProfilerIdleNotifier': INTERNAL,
  'process.assert': 'deprecated assertion helper: no system call',
  'process.openStdin': 'deprecated: process.stdin.resume(); reading stdin is readline.stdin-pipe\'s case, and a second reader in a batch would steal its input',
  'process.setUncaughtExceptionCaptureCallback': CONFIG,
  'process.addUncaughtExceptionCaptureCallback': CONFIG,
  'process.hasUncaughtExceptionCaptureCallback': CONFIG,
  'process.setSourceMapsEnabled': CONFIG,
  'process.ref': 'marks an object as keeping the event loop alive: no system call',
  'process.unref': 'marks an object as not keeping the event loop alive: no system call',

  // net
  'net.isIP': PURE,
  'net.isIPv4': PURE,
  'net.isIPv6': PURE,
  'net.BlockList': PURE,
  'net.BlockList.isBlockList': PURE,
  'net.SocketAddress': PURE,
  'net.SocketAddress.isSocketAddress': PURE,
  'net.SocketAddress.parse': PURE,
  'net.getDefaultAutoSelectFamily': CONFIG,
  'net.setDefaultAutoSelectFamily': CONFIG,
  'net.getDefaultAutoSelectFamilyAttemptTimeout': CONFIG,
  'net.setDefaultAutoSelectFamilyAttemptTimeout': CONFIG,
  'net.Stream': 'the same function as net.Socket (an alias), which is covered',
  'net._createServerHandle': INTERNAL,
  'net._normalizeArgs': INTERNAL,
  'net._setSimultaneousAccepts': INTERNAL,
  'net._TransferredBoundSocket': INTERNAL,

  // dgram
  'dgram._createSocketHandle': INTERNAL,

  // dns
  'dns.getDefaultResultOrder': CONFIG,
  'dns.setDefaultResultOrder': CONFIG,
  'dns/promises.getDefaultResultOrder': CONFIG,
  'dns/promises.setDefaultResultOrder': CONFIG,

  // child_process
  'child_process._forkChild': 'internal: sets up the IPC channel in a forked child (child_process.fork.ipc runs it in the child)',

  // worker_threads
  'worker_threads.markAsUntransferable': PURE,
  'worker_threads.markAsUncloneable': PURE,
  'worker_threads.isMarkedAsUntransferable': PURE,
  'worker_threads.moveMessagePortToContext': PURE,
  'worker_threads.receiveMessageOnPort': 'reads a message already queued on a port, in memory: no system call',
  'worker_threads.setEnvironmentData': CONFIG,
  'worker_threads.getEnvironmentData': CONFIG,

  // crypto: the synchronous, in-memory half (the randomness and the threadpool are cases)
  'crypto.Certificate': PURE,
  'crypto.Certificate.exportChallenge': PURE,
  'crypto.Certificate.exportPublicKey': PURE,
  'crypto.Certificate.verifySpkac': PURE,
  'crypto.Cipher': PURE,
  'crypto.Cipheriv': PURE,
  'crypto.Decipher': PURE,
  'crypto.Decipheriv': PURE,
  'crypto.DiffieHellman': PURE,
  'crypto.DiffieHellmanGroup': PURE,
  'crypto.ECDH': PURE,
  'crypto.ECDH.convertKey': PURE,
  'crypto.Hash': PURE,
  'crypto.Hmac': PURE,
  'crypto.KeyObject': PURE,
  'crypto.KeyObject.from': PURE,
  'crypto.Sign': PURE,
  'crypto.Verify': PURE,
  'crypto.X509Certificate': PURE,
  'crypto.argon2Sync': PURE,
  'crypto.checkPrimeSync': PURE,
  'crypto.createCipher': PURE,
  'crypto.createDecipher': PURE,
  'crypto.createDiffieHellman': PURE,
  'crypto.createDiffieHellmanGroup': PURE,
  'crypto.createMac': PURE,
  'crypto.createPrivateKey': PURE,
  'crypto.createPublicKey': PURE,
  'crypto.createSign': PURE,
  'crypto.createVerify': PURE,
  'crypto.decapsulate': PURE,
  'crypto.encapsulate': PURE,
  'crypto.diffieHellman': PURE,
  'crypto.getCipherInfo': PURE,
  'crypto.getCurves': PURE,
  'crypto.getDiffieHellman': PURE,
  'crypto.getMacs': PURE,
  'crypto.hash': PURE,
  'crypto.hkdfSync': PURE,
  'crypto.parsePKCS12': PURE,
  'crypto.privateDecrypt': PURE,
  'crypto.privateEncrypt': PURE,
  'crypto.publicDecrypt': PURE,
  'crypto.publicEncrypt': PURE,
  'crypto.secureHeapUsed': PURE,
  'crypto.getFips': CONFIG,
  'crypto.setFips': 'switches OpenSSL to its FIPS provider, which this build does not ship: it fails in memory',
  'crypto.setEngine': 'loads an OpenSSL engine (a shared object); none exists here, and engines are deprecated in OpenSSL 3',
  'crypto.prng': 'the same function as crypto.randomBytes (a deprecated alias), which is covered',
  'crypto.rng': 'the same function as crypto.randomBytes (a deprecated alias), which is covered',
  'crypto.pseudoRandomBytes': 'the same function as crypto.randomBytes (a deprecated alias), which is covered',

  // zlib's zip archives (Node 26, experimental)
  'zlib.ZipBuffer': ZIP,
  'zlib.ZipEntry': ZIP,
  'zlib.ZipEntry.create': ZIP,
  'zlib.ZipEntry.createStream': ZIP,
  'zlib.ZipEntry.createSymlink': ZIP,
  'zlib.ZipEntry.createSync': ZIP,
  'zlib.ZipEntry.read': ZIP,
  'zlib.ZipFile': ZIP,
  'zlib.ZipFile.open': ZIP,
  'zlib.ZipFile.openSync': ZIP,
  'zlib.createZipArchive': ZIP,
  'zlib.createZipArchiveSync': ZIP,
  'zlib.zipFiles': ZIP,
  'zlib.getMaxZipContentSize': ZIP,
  'zlib.setMaxZipContentSize': ZIP,

  // timers: deprecated internals
  'timers.active': 'deprecated internal (DEP0126): re-arms a timer object, no system call of its own',
  'timers._unrefActive': 'deprecated internal (DEP0127): re-arms a timer object, no system call of its own',
  'timers.enroll': 'deprecated (DEP0095): sets fields on an object, no system call',
  'timers.unenroll': 'deprecated (DEP0096): clears fields on an object, no system call',

  // http, https
  'http._connectionListener': INTERNAL,
  'http.validateHeaderName': EXPERIMENTAL_HTTP,
  'http.validateHeaderName.withoutStackTrace': TWIN,
  'http.validateHeaderValue': EXPERIMENTAL_HTTP,
  'http.validateHeaderValue.withoutStackTrace': TWIN,
  'http.isValidHeaderName': EXPERIMENTAL_HTTP,
  'http.isValidHeaderValue': EXPERIMENTAL_HTTP,
  'http.websocketMask': EXPERIMENTAL_HTTP,
  'http.websocketUnmask': EXPERIMENTAL_HTTP,
  'http.setMaxIdleHTTPParsers': CONFIG,
  'http.setGlobalProxyFromEnv': 'configures the global agent and fetch from environment variables: no system call until a request, which the client cases make',
  'http.CloseEvent': DATA,
  'http.MessageEvent': DATA,
});
