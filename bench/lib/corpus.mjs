// The benchmark corpora. Two are generated from a fixed seed (the same bytes on every run and
// every machine): `synthetic`, a traffic mix dominated by responses, and `torture`, the same mix
// written with compact names, folding, odd but legal whitespace and UTF-8. The third, `real`,
// reads ../shared/corpus/real in place when it is present.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRandom } from './random.mjs';
import { frameStream, readMessage } from './reference.mjs';

export const SYNTHETIC_SEED = 3261;
export const TORTURE_SEED = 4475;
export const CHUNK_SEED = 1500;
export const MESSAGE_COUNT = 1000;
export const MIN_MESSAGE_BYTES = 400;
export const MAX_MESSAGE_BYTES = 1500;
export const MIN_HEADER_COUNT = 10;
export const MAX_HEADER_COUNT = 20;
export const MIN_CHUNK_BYTES = 1;
export const MAX_CHUNK_BYTES = 1500;

/** Where the real-world corpus lives: ../shared/corpus/real next to the repository. */
export const REAL_CORPUS_DIR = fileURLToPath(
  new URL('../../../shared/corpus/real/', import.meta.url),
);

/**
 * Real files that break the grammar, as the corpus README and SOURCES.tsv describe them. A
 * contestant may reject these (throw, or return nothing) without being marked wrong; if it
 * accepts one, its readings are checked like any other message's.
 */
export const REAL_MALFORMED = {
  '031-invite-ipv6.sip': 'IPv6 addresses without brackets in URIs and Via (RFC 3261 §25.1)',
  '032-200-ok-invite-ipv6.sip': 'IPv6 addresses without brackets in URIs and Via (RFC 3261 §25.1)',
  '076-invite-compact-form.sip': 'From display name \\"arik\\" is neither token nor quoted-string',
  '077-invite-multi-value-to.sip': 'two To header fields (RFC 3261 §20.39 allows one)',
};

/** The corpora in report order. */
export const CORPUS_NAMES = ['synthetic', 'torture', 'real', 'invite390'];

/**
 * `invite390`: one 390-byte INVITE with a short SDP body (64 copies of it), the size and shape of the message
 * Go's sipgo times in its BenchmarkParser (written here, not copied), for a per-message figure
 * in nanoseconds that can be set next to published ones.
 */
export const INVITE_390 =
  'INVITE sip:bob@b.example SIP/2.0\r\n' +
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1a2b3\r\n' +
  'Max-Forwards: 70\r\n' +
  'From: <sip:alice@a.example>;tag=9fxced76sl\r\n' +
  'To: <sip:bob@b.example>\r\n' +
  'Call-ID: 3848276@10.0.0.1\r\n' +
  'CSeq: 1 INVITE\r\n' +
  'Contact: <sip:alice@10.0.0.1:5060>\r\n' +
  'Content-Type: application/sdp\r\n' +
  'Content-Length: 85\r\n' +
  '\r\n' +
  'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

// Responses dominate real traffic: every request draws one or more of them.
const MIX = [
  [{ status: 100, to: 'INVITE' }, 10],
  [{ status: 180, to: 'INVITE' }, 9],
  [{ status: 183, to: 'INVITE', sdp: true }, 6],
  [{ status: 200, to: 'INVITE', sdp: true }, 9],
  [{ status: 200, to: 'REGISTER' }, 7],
  [{ status: 401, to: 'REGISTER' }, 5],
  [{ status: 407, to: 'INVITE' }, 4],
  [{ status: 404, to: 'INVITE' }, 3],
  [{ status: 405, to: 'OPTIONS' }, 2],
  [{ status: 486, to: 'INVITE' }, 4],
  [{ status: 487, to: 'INVITE' }, 3],
  [{ status: 503, to: 'INVITE' }, 2],
  [{ method: 'INVITE', sdp: true }, 10],
  [{ method: 'REGISTER' }, 8],
  [{ method: 'OPTIONS' }, 5],
  [{ method: 'BYE' }, 6],
  [{ method: 'ACK' }, 4],
];

const REASONS = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  486: 'Busy Here',
  487: 'Request Terminated',
  503: 'Service Unavailable',
};

// RFC 3261 §7.2: a Reason-Phrase may hold UTF-8, so the torture corpus localises some.
const UTF8_REASONS = {
  180: 'Es klingelt …',
  183: 'Progrès de session',
  404: 'Nicht gefunden – unbekannt',
  486: 'Besetzt, bitte später',
  487: 'Anfrage beendet',
  503: 'Service indisponible',
};

const FIRST_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan'];
const DISPLAY_NAMES = ['Alice Liddell', 'Bob Marley', 'Carol Danvers', 'Dave Grohl', 'Erin Brock'];
const UTF8_DISPLAY_NAMES = [
  'Jürgen Mäder',
  'Zoë Ångström',
  'Łukasz Żółć',
  'Renée Çelik',
  '山田 太郎',
];
const DOMAINS = ['example.com', 'atlanta.example.com', 'biloxi.example.org', 'voip.example.net'];
const PROXIES = [
  'p1.example.com',
  'edge.example.net',
  'sbc-2.example.org',
  '192.0.2.17',
  '[2001:db8::9]',
];
const USER_AGENTS = [
  'Softphone/4.2.1 (Linux)',
  'DeskPhone 8.0.3',
  'PBX-Edge/2.11',
  'WebRTC-Gateway/1.9.0',
];
const HEX = '0123456789abcdef';
const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

// RFC 3261 §7.3.3: the compact forms the torture corpus uses.
const COMPACT = {
  Via: 'v',
  From: 'f',
  To: 't',
  'Call-ID': 'i',
  Contact: 'm',
  'Content-Length': 'l',
  'Content-Type': 'c',
  Supported: 'k',
  Subject: 's',
};

/**
 * Generates `count` messages from `seed`. Each entry has the wire bytes and the values every
 * contestant must read back from them.
 * @param {{ seed: number, count: number, torture: boolean }} options
 */
export function generateCorpus({ seed, count, torture }) {
  const random = createRandom(seed);
  const messages = [];
  for (let i = 0; i < count; i++) {
    const kind = random.weighted(MIX);
    messages.push(generateMessage(random, kind, torture));
  }
  return messages;
}

/** Builds the corpus `name`; `undefined` when it is `real` and the folder is absent. */
export function loadCorpus(name) {
  if (name === 'synthetic') {
    return generateCorpus({ seed: SYNTHETIC_SEED, count: MESSAGE_COUNT, torture: false });
  }
  if (name === 'torture') {
    return generateCorpus({ seed: TORTURE_SEED, count: MESSAGE_COUNT, torture: true });
  }
  if (name === 'real') return loadRealCorpus();
  if (name === 'invite390') {
    // 64 copies, so that a timed pass is a batch of 64 like the other corpora's
    const expect = toExpect(readMessage(Buffer.from(INVITE_390, 'latin1')));
    return Array.from({ length: 64 }, () => ({ bytes: Buffer.from(INVITE_390, 'latin1'), expect }));
  }
  throw new Error(`unknown corpus: ${name}`);
}

/**
 * Reads ../shared/corpus/real in place. Each file is one datagram, except that a file holding a
 * whole TCP stream (several messages back to back) is framed by Content-Length into its
 * messages. Expected values come from the reference reader.
 */
export function loadRealCorpus(dir = REAL_CORPUS_DIR) {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sip'))
    .sort();
  const messages = [];
  for (const file of files) {
    const bytes = readFileSync(`${dir}${file}`);
    const framed = tryFrameStream(bytes);
    // A datagram whose octets run past its Content-Length stays whole: RFC 3261 §18.3 says a
    // receiver ignores them. It cannot join a byte stream, where they would be garbage. A
    // malformed message stays out of the stream too: a strict parser may stop the stream there.
    const streamable = framed !== undefined && REAL_MALFORMED[file] === undefined;
    for (const part of framed ?? [bytes]) {
      const expect = toExpect(readMessage(part));
      expect.label = file;
      if (REAL_MALFORMED[file] !== undefined) expect.malformed = REAL_MALFORMED[file];
      messages.push({ bytes: part, expect, file, streamable });
    }
  }
  return messages;
}

function tryFrameStream(bytes) {
  try {
    return frameStream(bytes);
  } catch {
    return undefined;
  }
}

/** The facts the correctness check compares, taken from a reference reading. */
export function toExpect(reading) {
  return {
    type: reading.type,
    status: reading.status,
    method: reading.method,
    callId: reading.callId,
    seq: reading.seq,
    cseqMethod: reading.cseqMethod,
    branch: reading.branch,
    toTag: reading.toTag,
    bodyByteLength: reading.bodyByteLength,
  };
}

/**
 * The corpus as one TCP-like byte stream cut into chunks of 1–1500 bytes (fixed seed).
 * Messages that cannot be framed on a stream (octets past Content-Length) are left out.
 * @returns {{ chunks: Buffer[], messages: object[], byteLength: number }}
 */
export function toStream(messages, seed = CHUNK_SEED) {
  const kept = messages.filter((message) => message.streamable !== false);
  const whole = Buffer.concat(kept.map((message) => message.bytes));
  const random = createRandom(seed);
  const chunks = [];
  let offset = 0;
  while (offset < whole.byteLength) {
    const size = random.int(MIN_CHUNK_BYTES, MAX_CHUNK_BYTES);
    // A copy per chunk, like a socket hands out fresh buffers, so no chunk aliases another.
    chunks.push(Buffer.from(whole.subarray(offset, offset + size)));
    offset += size;
  }
  return { chunks, messages: kept, byteLength: whole.byteLength };
}

function generateMessage(random, kind, torture) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const built = tryMessage(random, kind, torture);
    if (built !== undefined) return built;
  }
  throw new Error(`corpus: could not fit a ${JSON.stringify(kind)} message into the size rules`);
}

function tryMessage(random, kind, torture) {
  const method = kind.method ?? kind.to;
  const isResponse = kind.status !== undefined;
  const inDialog = method === 'BYE' || method === 'ACK';
  const caller = random.pick(FIRST_NAMES);
  const callee = random.pick(FIRST_NAMES);
  const domain = random.pick(DOMAINS);
  const callId = random.chance(0.7)
    ? `${random.token(random.int(16, 32), HEX)}@${random.pick(PROXIES)}`
    : random.token(random.int(20, 36), TOKEN_CHARS);
  const seq = random.int(1, 2 ** 31 - 1);
  const cseqMethod = method;
  const fromTag = random.token(random.int(8, 16), TOKEN_CHARS);
  // RFC 3261 §8.2.6.2: every response but 100 carries a To tag; in-dialog requests carry one.
  const hasToTag = isResponse ? kind.status !== 100 : inDialog;
  const toTag = hasToTag ? random.token(random.int(8, 16), TOKEN_CHARS) : undefined;
  const names = torture ? UTF8_DISPLAY_NAMES : DISPLAY_NAMES;

  const vias = [];
  const viaCount = random.int(2, 4);
  for (let i = 0; i < viaCount; i++) {
    vias.push({
      transport: random.pick(['UDP', 'TCP', 'TLS', 'UDP']),
      host: random.pick(PROXIES),
      port: random.chance(0.6) ? random.pick([5060, 5061, 5080, 15060]) : undefined,
      branch: `z9hG4bK${random.token(random.int(10, 24), TOKEN_CHARS)}`,
      received: random.chance(0.3) ? `198.51.100.${random.int(1, 254)}` : undefined,
      rport: random.chance(0.4),
    });
  }
  const routes = [];
  const routeCount = method === 'INVITE' || inDialog ? random.int(1, 3) : 0;
  for (let i = 0; i < routeCount; i++) routes.push(`<sip:${random.pick(PROXIES)};lr>`);

  const fields = [];
  const add = (name, value, shape = 'text') => fields.push({ name, value, shape });
  for (const via of vias) add('Via', via, 'via');
  const withRoutes = isResponse
    ? [180, 183, 200].includes(kind.status) && method === 'INVITE'
    : method === 'INVITE' || inDialog;
  if (withRoutes) {
    const name = isResponse || method === 'INVITE' ? 'Record-Route' : 'Route';
    if (random.chance(0.5)) add(name, routes.join(', '), 'list');
    else for (const route of routes) add(name, route);
  }
  if (!isResponse) add('Max-Forwards', String(random.int(10, 70)));
  const fromName = random.chance(0.6) ? `"${random.pick(names)}" ` : '';
  add('From', { display: fromName, uri: `sip:${caller}@${domain}`, tag: fromTag }, 'address');
  add('To', { display: '', uri: `sip:${callee}@${random.pick(DOMAINS)}`, tag: toTag }, 'address');
  add('Call-ID', callId, 'token');
  add('CSeq', { seq, method: cseqMethod }, 'cseq');

  const contact = `<sip:${caller}@${random.pick(PROXIES)};transport=${random.pick(['udp', 'tcp', 'tls'])}>`;
  const dialogResponse =
    isResponse && method === 'INVITE' && kind.status > 100 && kind.status < 300;
  if (!isResponse && method !== 'ACK' && method !== 'BYE') add('Contact', contact);
  if (dialogResponse) add('Contact', contact);
  if (method === 'REGISTER' && !isResponse) add('Expires', String(random.pick([60, 300, 3600])));
  if (method === 'REGISTER' && kind.status === 200) {
    add('Contact', `${contact};expires=${random.pick([60, 300, 3600])}`);
    add('Date', 'Sat, 13 Nov 2010 23:29:00 GMT');
  }
  if (kind.status === 401) {
    add('WWW-Authenticate', digestChallenge(random, domain));
  }
  if (kind.status === 407) {
    add('Proxy-Authenticate', digestChallenge(random, domain));
  }
  if (kind.status === 405 || (kind.status === 200 && method === 'INVITE') || method === 'INVITE') {
    add('Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, UPDATE, PRACK', 'list');
  }
  if (kind.status === 503 || kind.status === 486) add('Retry-After', String(random.int(5, 600)));
  if (method === 'OPTIONS' && !isResponse) add('Accept', 'application/sdp');
  add(isResponse ? 'Server' : 'User-Agent', random.pick(USER_AGENTS));

  const optional = [
    ['Supported', 'replaces, timer, 100rel', 'list'],
    ['P-Asserted-Identity', `<sip:${caller}@${domain}>`, 'text'],
    ['Session-Expires', `${random.int(90, 1800)};refresher=uac`, 'text'],
    ['Subject', torture ? 'Réunion à 10 h – ordre du jour' : 'Weekly planning call', 'text'],
    ['Organization', 'Example Telecom Laboratories', 'text'],
    ['X-Trace-ID', random.token(24, HEX), 'token'],
    ['P-Charging-Vector', `icid-value=${random.token(16, HEX)};orig-ioi=${domain}`, 'text'],
    ['Privacy', 'none', 'token'],
    ['Min-SE', String(random.int(90, 300)), 'token'],
    ['Accept-Language', 'en, de;q=0.8', 'list'],
    ['Timestamp', `${random.int(1, 99999)}.${random.int(0, 999)}`, 'token'],
    ['Warning', `399 ${random.pick(PROXIES)} "Miscellaneous warning"`, 'text'],
  ];

  const body = kind.sdp ? sdp(random, torture) : '';
  if (body !== '') add('Content-Type', 'application/sdp', 'token');
  const targetCount = random.int(MIN_HEADER_COUNT, MAX_HEADER_COUNT);
  // Content-Length is added last, so leave room for it.
  while (fields.length < targetCount - 1 && optional.length > 0) {
    const [name, value, shape] = optional.splice(random.int(0, optional.length - 1), 1)[0];
    add(name, value, shape);
  }
  add('Content-Length', String(Buffer.byteLength(body)), 'token');
  if (fields.length < MIN_HEADER_COUNT || fields.length > MAX_HEADER_COUNT) return undefined;

  const startLine = isResponse
    ? `SIP/2.0 ${kind.status} ${torture && UTF8_REASONS[kind.status] && random.chance(0.5) ? UTF8_REASONS[kind.status] : REASONS[kind.status]}`
    : `${method} sip:${callee}@${domain}${random.chance(0.3) ? ';transport=tcp' : ''} SIP/2.0`;
  const head = fields.map((field) => renderField(random, field, torture));
  if (torture) combineVias(random, head, fields);
  const text = `${startLine}\r\n${head.join('')}\r\n${body}`;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength < MIN_MESSAGE_BYTES || bytes.byteLength > MAX_MESSAGE_BYTES)
    return undefined;
  return {
    bytes,
    expect: {
      type: isResponse ? 'response' : 'request',
      status: kind.status,
      method: isResponse ? undefined : method,
      callId,
      seq,
      cseqMethod,
      branch: vias[0].branch,
      toTag,
      bodyByteLength: Buffer.byteLength(body),
    },
    // The shape of the message for the corpus tests (header and Via counts as generated).
    headerCount: fields.length,
    viaCount,
  };
}

function digestChallenge(random, realm) {
  return `Digest realm="${realm}", nonce="${random.token(32, HEX)}", opaque="${random.token(16, HEX)}", algorithm=MD5, qop="auth"`;
}

function sdp(random, torture) {
  const address = `203.0.113.${random.int(1, 254)}`;
  const lines = [
    'v=0',
    `o=- ${random.int(1000000, 9999999)} ${random.int(1, 9)} IN IP4 ${address}`,
    torture && random.chance(0.5) ? 's=Sitzung über SIP – Grüße' : 's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${random.int(10000, 60000)} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    random.pick(['a=sendrecv', 'a=sendonly', 'a=recvonly']),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** One header field line (or folded lines), CRLF included. */
function renderField(random, field, torture) {
  const value = renderValue(random, field, torture);
  if (!torture) return `${field.name}: ${value}\r\n`;
  return `${tortureName(random, field.name)}${tortureColon(random, field.name)}${value}\r\n`;
}

function renderValue(random, field, torture) {
  const value = field.value;
  switch (field.shape) {
    case 'via': {
      // RFC 3261 §25.1: SLASH, SEMI and EQUAL all allow SWS (so folding) around them.
      const slash = torture && random.chance(0.3) ? ' / ' : '/';
      const semi = () =>
        torture ? random.pick([';', ' ;', '; ', ' ; ', ';\r\n ', ';\r\n\t']) : ';';
      const equal = () => (torture ? random.pick(['=', '=', ' = ']) : '=');
      let text = `SIP${slash}2.0${slash}${value.transport} ${value.host}`;
      if (value.port !== undefined) text += `:${value.port}`;
      text += `${semi()}branch${equal()}${value.branch}`;
      if (value.received !== undefined) text += `${semi()}received${equal()}${value.received}`;
      if (value.rport) text += `${semi()}rport`;
      return text;
    }
    case 'address': {
      const semi = torture ? random.pick([';', ' ;', '; ', ';\r\n ']) : ';';
      const equal = torture ? random.pick(['=', ' = ']) : '=';
      const gap = torture && value.display !== '' ? random.pick([' ', '\r\n ', '\t']) : '';
      let text = `${value.display.trimEnd()}${value.display === '' ? '' : gap || ' '}<${value.uri}>`;
      if (value.tag !== undefined) text += `${semi}tag${equal}${value.tag}`;
      return text;
    }
    case 'cseq': {
      // RFC 3261 §20.16: CSeq = 1*DIGIT LWS Method, and LWS may be any run of SP/HTAB.
      const lws = torture ? random.pick([' ', '  ', '\t', ' \t ', '\r\n ']) : ' ';
      return `${value.seq}${lws}${value.method}`;
    }
    case 'list':
      // RFC 3261 §25.1: COMMA = SWS "," SWS, so a list may be folded after a comma.
      return torture && random.chance(0.4) ? value.replace(', ', ',\r\n\t') : value;
    case 'text':
      // Free text: a fold replaces one of its spaces (RFC 3261 §7.3.1).
      return torture && random.chance(0.3) && value.includes(' ')
        ? value.replace(' ', '\r\n ')
        : value;
    default:
      return value;
  }
}

function tortureName(random, name) {
  const compact = COMPACT[name];
  if (compact !== undefined && random.chance(0.5)) return compact;
  if (random.chance(0.25)) return name.toUpperCase();
  if (random.chance(0.25)) return name.toLowerCase();
  return name;
}

function tortureColon(random, name) {
  // HCOLON = *( SP / HTAB ) ":" SWS (RFC 3261 §25.1). Content-Length is never folded, so the
  // framing bounds can read it from its own line; any other field may fold after the colon.
  const options = [': ', ':', ' : ', '\t:\t', '   :  ', ':   '];
  if (name !== 'Content-Length') options.push(':\r\n ');
  return random.pick(options);
}

/** Torture: sometimes put two adjacent Via values into one comma-separated field. */
function combineVias(random, head, fields) {
  if (!random.chance(0.35) || fields.length <= MIN_HEADER_COUNT) return;
  const second = fields.findIndex((field, index) => index > 0 && field.shape === 'via');
  if (second !== 1 || fields[0]?.shape !== 'via') return;
  const firstLine = head[0].replace(/\r\n$/, '');
  const secondValue = head[1].replace(/^[^:]*:[ \t]*(?:\r\n[ \t]+)?/, '').replace(/\r\n$/, '');
  head.splice(0, 2, `${firstLine}${random.pick([', ', ' ,\r\n ', ','])}${secondValue}\r\n`);
}
