/**
 * Sockets: net.connect, net.listen, net.udp, net.unix and dns. seccomp decides the socket's
 * family and type at `socket()`; which ports (TCP) is Landlock's business, and hosts nobody's
 * (say so in docs). Data on a connected socket goes through read/write (baseline) or the send/recv
 * calls listed here.
 */

import { AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, NETLINK_ROUTE, PR_CAPBSET_READ, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM, SOCK_TYPE_MASK } from './constants.ts';
import { plain, type CatalogRule } from './types.ts';

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** A socket of these families and this type; the protocol must be the default (0) or the type's own. */
const socket = (families: readonly number[], type: number, why: string): CatalogRule => ({
  syscall: 'socket',
  when: [
    { arg: 0, width: 32, op: 'in', values: families },
    { arg: 1, width: 32, op: 'masked_eq', mask: SOCK_TYPE_MASK, value: type },
    { arg: 2, width: 32, op: 'in', values: families.includes(AF_UNIX) ? [0] : [0, type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP] },
  ],
  why,
});

const SOCKET_IO = plain('socket options, addresses and shutdown on sockets the program holds', 'setsockopt', 'getsockopt', 'getsockname', 'getpeername', 'shutdown', 'writev');
const MESSAGES = plain('datagram and message I/O (sendmsg/recvmsg also carry libuv IPC handles)', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'sendmmsg', 'recvmmsg');

export const NET_CONNECT: readonly CatalogRule[] = [
  socket([AF_INET, AF_INET6], SOCK_STREAM, 'TCP client sockets (net.connect, http, https, fetch)'),
  ...plain('connect a TCP socket, from a chosen local address if asked (ports are scoped by Landlock)', 'connect', 'bind'),
  ...SOCKET_IO,
  ...MESSAGES,
];

/**
 * os.networkInterfaces() (glibc's getifaddrs): a NETLINK_ROUTE socket, bound, asked for a dump of
 * links and addresses with sendto, answered through recvmsg. The dump and a request that changes
 * addresses or routes travel through the same sendto, which seccomp cannot read; the kernel
 * performs every rtnetlink request but a GET only for a sender holding CAP_NET_ADMIN over the
 * network namespace (rtnetlink_rcv_msg: both the socket's opener and the current task). So the
 * socket is granted only because the runtime takes CAP_NET_ADMIN away at sandbox time, on every
 * thread (the runtime's privileges.ts: dropped from the effective, permitted, inheritable and
 * bounding sets, ambient with them; a restart where other threads held it; no_new_privs keeps
 * execve from giving it back), and refuses a network namespace owned by another user namespace
 * (whose owner holds every capability there without holding any). Nothing inside the sandbox can
 * get it back: capset is never allowed, nor a new user namespace. What remains is reading the
 * interface, address and route tables. Granted with net.listen: a server prints the addresses it
 * listens on (dev servers, http-server); glibc's getaddrinfo (AI_ADDRCONFIG) uses the same socket.
 */
const NETLINK_ROUTE_DUMP: readonly CatalogRule[] = [
  {
    syscall: 'socket',
    when: [
      { arg: 0, width: 32, op: 'eq', value: AF_NETLINK },
      { arg: 1, width: 32, op: 'masked_eq', mask: SOCK_TYPE_MASK, value: SOCK_RAW },
      { arg: 2, width: 32, op: 'eq', value: NETLINK_ROUTE },
    ],
    why: 'os.networkInterfaces(): a NETLINK_ROUTE socket (SOCK_RAW, as glibc opens it); changes are refused by the kernel because the runtime drops CAP_NET_ADMIN',
  },
  {
    syscall: 'socket',
    when: [
      { arg: 0, width: 32, op: 'eq', value: AF_NETLINK },
      { arg: 1, width: 32, op: 'masked_eq', mask: SOCK_TYPE_MASK, value: SOCK_DGRAM },
      { arg: 2, width: 32, op: 'eq', value: NETLINK_ROUTE },
    ],
    why: 'the same NETLINK_ROUTE socket as SOCK_DGRAM (libraries other than glibc open it so; netlink treats both alike)',
  },
];

export const NET_LISTEN: readonly CatalogRule[] = [
  socket([AF_INET, AF_INET6], SOCK_STREAM, 'TCP server sockets (net.createServer, http.createServer)'),
  ...plain('bind, listen and accept (ports are scoped by Landlock)', 'bind', 'listen', 'accept', 'accept4'),
  ...NETLINK_ROUTE_DUMP,
  ...SOCKET_IO,
  ...MESSAGES,
];

export const NET_UDP: readonly CatalogRule[] = [
  socket([AF_INET, AF_INET6], SOCK_DGRAM, 'UDP sockets (dgram)'),
  ...plain('UDP bind and connect; Landlock cannot scope UDP ports', 'bind', 'connect'),
  ...SOCKET_IO,
  ...MESSAGES,
];

export const NET_UNIX: readonly CatalogRule[] = [
  socket([AF_UNIX], SOCK_STREAM, 'unix stream sockets (net.connect({ path }), IPC servers)'),
  socket([AF_UNIX], SOCK_DGRAM, 'unix datagram sockets'),
  ...plain('connect, bind, listen and accept unix sockets', 'connect', 'bind', 'listen', 'accept', 'accept4'),
  ...SOCKET_IO,
  ...MESSAGES,
];

/**
 * Queries over UDP to the resolvers (connected sockets: no bind, so no listening), and the name
 * service's files, /etc/hosts and friends (read-only opens are in the baseline). Not nscd's unix
 * socket: a unix stream socket could connect anywhere, so it is answered EACCES and glibc goes on
 * without nscd (deny.ts). No TCP:
 * DNS over TCP is only a fallback for truncated answers, and a TCP socket would make dns a TCP
 * client to any port. UDP cannot be scoped by Landlock: dns can send datagrams to any address.
 */
export const DNS: readonly CatalogRule[] = [
  socket([AF_INET, AF_INET6], SOCK_DGRAM, 'UDP queries to the resolvers in resolv.conf (dns.resolve, getaddrinfo)'),
  ...plain('send queries and read answers', 'connect', 'poll', 'ppoll'),
  ...plain("c-ares checks /etc/hosts by path", 'stat', 'newfstatat'),
  { syscall: 'prctl', when: [{ arg: 0, width: 32, op: 'eq', value: PR_CAPBSET_READ }], why: "NSS's systemd module (passwd: files systemd, os.userInfo) loads libcap, whose constructor reads the capability bounding set; reading only" },
  ...SOCKET_IO,
  ...MESSAGES,
];

