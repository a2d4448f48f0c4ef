/**
 * A tiny authoritative DNS answerer for the loopback servers the matrix starts (the harness's
 * peer, and an operation's in-process server): every name has A 127.0.0.1, AAAA ::1, TXT
 * "syscage matrix", PTR peer.syscage.test and MX 10 mx.syscage.test. Enough of RFC 1035 for
 * c-ares's queries; it does not handle compression in questions, EDNS or TCP.
 */

const TYPE = { A: 1, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };

/** @param {string} name */
function encodeName(name) {
  const labels = name.split('.').filter(Boolean).map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  return Buffer.concat([...labels, Buffer.from([0])]);
}

/** @param {number} type */
function rdataFor(type) {
  switch (type) {
    case TYPE.A: return Buffer.from([127, 0, 0, 1]);
    case TYPE.AAAA: return Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    case TYPE.TXT: return Buffer.concat([Buffer.from([14]), Buffer.from('syscage matrix')]);
    case TYPE.PTR: return encodeName('peer.syscage.test');
    case TYPE.MX: return Buffer.concat([Buffer.from([0, 10]), encodeName('mx.syscage.test')]);
    default: return undefined;
  }
}

/**
 * The answer to one DNS query message, or undefined if it cannot be parsed.
 *
 * @param {Buffer} query
 * @returns {Buffer | undefined}
 */
export function answerDnsQuery(query) {
  if (query.length < 17) return undefined;
  let end = 12;
  while (end < query.length && query[end] !== 0) end += /** @type {number} */ (query[end]) + 1;
  end += 1;
  if (end + 4 > query.length) return undefined;
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const rdata = rdataFor(type);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x0100) | 0x0080, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(rdata === undefined ? 0 : 1, 6);
  if (rdata === undefined) return Buffer.concat([header, question]);
  const answer = Buffer.alloc(12);
  answer.writeUInt16BE(0xc00c, 0);
  answer.writeUInt16BE(type, 2);
  answer.writeUInt16BE(1, 4);
  answer.writeUInt32BE(60, 6);
  answer.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([header, question, answer, rdata]);
}
