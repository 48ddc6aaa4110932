// The fuzz harness shared by `npm run fuzz` (test/fuzz/fuzz.mjs, against dist/) and the bounded
// run in `npm test` (test/fuzz/fuzz.test.ts, against src/). fast-check draws a case: an input
// (a mutated corpus message, random bytes, or a string of SIP-ish fragments), a chunking, parser
// options and a response to build. `exercise` runs the case through every entry point and checks
// the invariants below; any violation throws, so fast-check shrinks the case to a minimal one.
//
// Invariants:
// - each entry point throws only its own typed error: parseDatagram, push(), end() and every
//   accessor a ParseError (code from PARSE_ERROR_CODES, offset inside the input); buildResponse a
//   BuildError; serialize a SerializeError; validate nothing;
// - the stream parser gives the same messages, keep-alives and error (code and offset) however
//   the input is chunked, holds no more than its limits allow, and examines each byte a bounded
//   number of times (its `steps` counter);
// - a message that is one whole message on a stream is the same message as a datagram;
// - every typed accessor agrees with the header-value parser run on the header's values (same
//   value, or same error code), and an accessor's error offset points at the byte the grammar
//   stopped at;
// - whatever serialize writes (long or compact names) parses back to exactly the same start
//   line, fields and body, as one message and nothing more;
// - a request validate finds clean, answered by buildResponse with sane options, gives a
//   response validate finds clean against it (they share one rule evaluator).
//
// No clock and no Math.random: the same seed replays the same cases.

import fc from 'fast-check';
import { HEADER_ACCESSORS, QUICK_ACCESSORS } from '../helpers/accessors.mjs';

/** The targets counted, in report order. */
export const TARGETS = [
  'datagram',
  'stream',
  'accessors',
  'fields',
  'validate',
  'build',
  'serialize',
];

/** A violated invariant: not a library error, a finding. */
export class FuzzFailure extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'FuzzFailure';
  }
}

const encoder = new TextEncoder();
const utf8 = encoder;

/** Fragments that matter to a SIP parser: line endings, delimiters, numbers at the edges. */
export const FRAGMENTS = [
  '\r\n',
  '\r',
  '\n',
  '\r\n\r\n',
  '\r\n ',
  '\r\n\t',
  ' ',
  '\t',
  ':',
  ';',
  ',',
  '"',
  '\\',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  '%',
  '%00',
  '%zz',
  '%2',
  '@',
  '=',
  '?',
  '&',
  '*',
  '/',
  '\0',
  '\x7f',
  '\x1b',
  'é',
  '\u{1F600}',
  '0',
  '000',
  '255',
  '256',
  '65535',
  '65536',
  '2147483647',
  '2147483648',
  '4294967295',
  '4294967296',
  '9007199254740993',
  '1000000000000000000000000000000',
  '-1',
  'SIP/2.0',
  'SIP/2.0 ',
  'sip:',
  'sips:',
  'tel:',
  'sip:a@b',
  '<sip:a@[::1]:5060>',
  ';tag=',
  ';branch=z9hG4bK',
  ';rport',
  ';received=',
  ';expires=',
  ';lr',
  'INVITE ',
  'REGISTER ',
  'OPTIONS sip:a SIP/2.0\r\n',
  'SIP/2.0 200 OK\r\n',
  'Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n',
  'v: SIP/2.0/TCP [2001:db8::1]:5061\r\n',
  'To: <sip:b@c>;tag=x\r\n',
  'f: "A \\"q\\"" <sip:a@b>\r\n',
  'CSeq: 1 INVITE\r\n',
  'Call-ID: a@b\r\n',
  'Max-Forwards: 70\r\n',
  'Content-Length: ',
  'l: 0\r\n',
  'Content-Length: 5\r\n',
  'Content-Length: 4294967296\r\n',
  'l: 9007199254740991\r\n',
  'Contact: *\r\n',
  'm: <sip:a@b>;expires=0, <sip:c@d>\r\n',
  'Expires: ',
  'Retry-After: 120 (x) ;duration=60\r\n',
  'Require: 100rel\r\n',
  'Supported: timer, 100rel\r\n',
  'Allow: INVITE, ACK\r\n',
  'Content-Type: application/sdp\r\n',
  'c: multipart/mixed;boundary="x"\r\n',
  'Timestamp: 54\r\n',
  'Record-Route: <sip:p;lr>\r\n',
];

/** Header names whose values buildResponse treats specially, plus a free one. */
const BUILD_HEADER_NAMES = [
  'X-Note',
  'Retry-After',
  'Warning',
  'Min-Expires',
  'Min-SE',
  'WWW-Authenticate',
  'Proxy-Authenticate',
  'Security-Server',
  'Require',
  'RSeq',
  'Server',
  'Unsupported',
  'Accept',
  'Via',
  'To',
  'l',
  'Max-Forwards',
];

const POLICY_NAMES = [
  'responseDelayed',
  'sessionTimerInUse',
  'registrarHasBindings',
  'digestAuthenticated',
  'temporaryCondition',
  'unsupportedContentType',
];

/** Text a caller might pass to the builder. */
export const hostileText = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS.filter((text) => text.length <= 3)) },
    { weight: 4, arbitrary: fc.constantFrom('a', 'B', '7', '-', '.', 'x') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
  ),
  maxLength: 16,
});

const token = fc.string({
  unit: fc.constantFrom(..."abcXYZ019-.!%*_+`'~"),
  minLength: 1,
  maxLength: 8,
});

/** Options a careful caller passes: valid values, the ones the table's rules ask for. */
const plausibleOptions = fc.record(
  {
    headers: fc.constantFrom(
      { 'Retry-After': '120' },
      { 'Min-Expires': '3600' },
      { 'WWW-Authenticate': 'Digest realm="a", nonce="b"' },
      { 'Proxy-Authenticate': 'Digest realm="a", nonce="b"' },
      { Require: 'timer', 'Min-SE': '90' },
      { 'Security-Server': 'ipsec-3gpp; q=0.1' },
      { Warning: '399 example.com "x"' },
      { Server: 'sipwire', 'X-Note': 'a "b" c' },
    ),
    contact: fc.constantFrom('<sip:u@h.example.com>', '<sips:u@h.example.com>', '*'),
    toTag: token,
    body: fc.constantFrom('v=0\r\n', 'hello'),
    contentType: fc.constantFrom('application/sdp', 'text/plain;charset=utf-8'),
    supported: fc.array(fc.constantFrom('100rel', 'timer', 'path', 'gruu'), { maxLength: 3 }),
    allow: fc.constantFrom(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'], ['OPTIONS']),
    reliable: fc.boolean(),
    timestampDelay: fc.constantFrom(0, 0.25, 2),
    role: fc.constantFrom('uas', 'proxy'),
  },
  { requiredKeys: [] },
);

/** Options a careless or hostile caller passes: anything, control characters included. */
function hostileOptions() {
  const text = fc.oneof(token, hostileText);
  return fc.record(
    {
      reason: text,
      headers: fc.dictionary(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...BUILD_HEADER_NAMES) }, text),
        fc.oneof(text, fc.array(text, { maxLength: 2 })),
        { maxKeys: 3 },
      ),
      contact: fc.oneof(
        fc.constantFrom('<sip:u@h.example.com>', 'sips:u@h', '*', '"A" <sip:a@b>;expires=60'),
        text,
        fc.array(fc.constantFrom('<sip:a@b>', 'sip:c@d;q=0.5', 'x'), { maxLength: 2 }),
      ),
      toTag: text,
      body: fc.oneof(text, fc.uint8Array({ maxLength: 24 })),
      contentType: fc.oneof(fc.constantFrom('application/sdp', 'text/plain;charset=utf-8'), text),
      supported: fc.array(text, { maxLength: 3 }),
      allow: fc.array(fc.oneof(fc.constantFrom('INVITE', 'ACK', 'CANCEL', 'BYE'), text), {
        maxLength: 4,
      }),
      reliable: fc.boolean(),
      timestampDelay: fc.oneof(
        fc.double({ noDefaultInfinity: false }),
        fc.constantFrom(0, 0.5, 1e-7, 1e12),
      ),
      role: fc.constantFrom('uas', 'proxy'),
      policies: fc.dictionary(fc.constantFrom(...POLICY_NAMES), fc.boolean(), { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  );
}

function buildArbitrary(lib) {
  const code = codeArbitrary(lib);
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('none'), code, options: fc.constant({}) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('plausible'), code, options: plausibleOptions }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('hostile'), code, options: hostileOptions() }),
    },
  );
}

function codeArbitrary(lib) {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...lib.statusCodes.map((row) => row.code)) },
    { weight: 2, arbitrary: fc.integer({ min: 100, max: 699 }) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 1000 }) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, 200.5, 2 ** 53 + 1, -0, 1e3) },
  );
}

const position = fc.nat();

const mutationArbitrary = fc.oneof(
  { weight: 1, arbitrary: fc.record({ op: fc.constant('flip'), at: position, bit: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('set'), at: position, byte: fc.nat(255) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('insert'),
      at: position,
      text: fc.constantFrom(...FRAGMENTS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('insertBytes'),
      at: position,
      bytes: fc.uint8Array({ maxLength: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('delete'),
      at: position,
      length: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('splice'),
      at: position,
      other: fc.nat(),
      from: fc.nat(),
      length: fc.integer({ min: 1, max: 1500 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate'), at: position }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('repeatLine'),
      line: fc.nat(),
      times: fc.integer({ min: 2, max: 300 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('repeatText'),
      at: position,
      text: fc.constantFrom('(', '<', '"', ',', ';', '\\"', '%41', ' ', '\r\n ', 'a', ')', '>'),
      times: fc.integer({ min: 2, max: 3000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swapLines'), a: fc.nat(), b: fc.nat() }) },
);

const limitsArbitrary = fc.record(
  {
    maxStartLineBytes: fc.integer({ min: 0, max: 200 }),
    maxHeaderSectionBytes: fc.integer({ min: 0, max: 2000 }),
    maxHeaderLineBytes: fc.integer({ min: 0, max: 300 }),
    maxHeaderCount: fc.integer({ min: 0, max: 40 }),
    maxBodyBytes: fc.integer({ min: 0, max: 400 }),
  },
  { requiredKeys: [] },
);

/** Limits raised as far as they go: a caller who "turns them off". */
const RAISED_LIMITS = Object.freeze({
  maxStartLineBytes: Number.MAX_SAFE_INTEGER,
  maxHeaderSectionBytes: Number.MAX_SAFE_INTEGER,
  maxHeaderLineBytes: Number.MAX_SAFE_INTEGER,
  maxHeaderCount: Number.MAX_SAFE_INTEGER,
  maxBodyBytes: Number.MAX_SAFE_INTEGER,
});

/** Where a line starts and ends (its line ending included), for line-level mutations. */
function lineRanges(bytes) {
  const lines = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push([start, i + 1]);
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push([start, bytes.length]);
  return lines;
}

function join(...parts) {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function repeat(bytes, times) {
  const out = new Uint8Array(bytes.length * times);
  for (let i = 0; i < times; i++) out.set(bytes, i * bytes.length);
  return out;
}

function applyMutation(bytes, mutation, seeds) {
  const at = mutation.at === undefined ? 0 : mutation.at % (bytes.length + 1);
  switch (mutation.op) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      const i = at % bytes.length;
      out[i] = (out[i] ?? 0) ^ (1 << mutation.bit);
      return out;
    }
    case 'set': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[at % bytes.length] = mutation.byte;
      return out;
    }
    case 'insert':
      return join(bytes.subarray(0, at), encoder.encode(mutation.text), bytes.subarray(at));
    case 'insertBytes':
      return join(bytes.subarray(0, at), mutation.bytes, bytes.subarray(at));
    case 'delete':
      return join(bytes.subarray(0, at), bytes.subarray(at + mutation.length));
    case 'splice': {
      if (seeds.length === 0) return bytes;
      const other = seeds[mutation.other % seeds.length].bytes;
      const from = mutation.from % (other.length + 1);
      return join(
        bytes.subarray(0, at),
        other.subarray(from, from + mutation.length),
        bytes.subarray(at),
      );
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'repeatLine': {
      const lines = lineRanges(bytes);
      if (lines.length === 0) return bytes;
      const [start, end] = lines[mutation.line % lines.length];
      return join(
        bytes.subarray(0, end),
        repeat(bytes.subarray(start, end), mutation.times - 1),
        bytes.subarray(end),
      );
    }
    case 'repeatText':
      return join(
        bytes.subarray(0, at),
        repeat(encoder.encode(mutation.text), mutation.times),
        bytes.subarray(at),
      );
    case 'swapLines': {
      const lines = lineRanges(bytes);
      if (lines.length < 2) return bytes;
      let a = lines[mutation.a % lines.length];
      let b = lines[mutation.b % lines.length];
      if (a[0] === b[0]) return bytes;
      if (a[0] > b[0]) [a, b] = [b, a];
      return join(
        bytes.subarray(0, a[0]),
        bytes.subarray(b[0], b[1]),
        bytes.subarray(a[1], b[0]),
        bytes.subarray(a[0], a[1]),
        bytes.subarray(b[1]),
      );
    }
    default:
      throw new Error(`unknown mutation ${mutation.op}`);
  }
}

/**
 * Turns an input recipe into bytes.
 * @param input the recipe fast-check drew
 * @param seeds the corpus messages mutants start from
 */
export function materialize(input, seeds) {
  if (input.kind === 'random') return input.bytes;
  if (input.kind === 'fragments') return encoder.encode(input.parts.join(''));
  let bytes = seeds[input.seed % seeds.length].bytes;
  for (const mutation of input.mutations) bytes = applyMutation(bytes, mutation, seeds);
  return bytes;
}

function inputArbitrary(seedCount) {
  const random = fc.record({
    kind: fc.constant('random'),
    bytes: fc.uint8Array({ maxLength: 400 }),
  });
  const fragments = fc.record({
    kind: fc.constant('fragments'),
    parts: fc
      .tuple(
        fc.constantFrom('INVITE sip:a@b SIP/2.0\r\n', 'SIP/2.0 180 Ringing\r\n', ''),
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }),
        fc.constantFrom('\r\n\r\n', '\r\n', ''),
      )
      .map(([start, middle, end]) => [start, ...middle, end]),
  });
  if (seedCount === 0) return fc.oneof(random, fragments);
  const mutant = fc.record({
    kind: fc.constant('mutant'),
    seed: fc.nat(seedCount - 1),
    mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }),
  });
  return fc.oneof(
    { weight: 7, arbitrary: mutant },
    { weight: 1, arbitrary: random },
    { weight: 2, arbitrary: fragments },
  );
}

/** Escapes bytes for a report: printable ASCII as is, anything else as \xNN. */
export function showBytes(bytes, max = 2000) {
  let out = '';
  const end = Math.min(bytes.length, max);
  for (let i = 0; i < end; i++) {
    const byte = bytes[i];
    if (byte === 0x5c) out += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x0a) out += '\\n';
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return bytes.length > max ? `${out}… (${bytes.length} bytes)` : out;
}

/** The counters: cases run, parsed (or built, serialized …) and rejected with a typed error. */
export function createCounters() {
  const counters = {};
  for (const target of TARGETS) counters[target] = { run: 0, ok: 0, rejected: 0 };
  return counters;
}

/** What a parser must read back from a message: start line, fields without Content-Length, body. */
export function fieldsOf(lib, message) {
  const headers = [];
  for (const field of message.headers) {
    const name = lib.canonicalHeaderName(field.name);
    if (name !== 'Content-Length') headers.push(`${name}: ${field.value}`);
  }
  const start =
    message.type === 'request'
      ? `${message.method} ${message.uri} ${message.version.toUpperCase()}`
      : `${message.version.toUpperCase()} ${message.status} ${message.reason}`;
  return { start, headers, body: Array.from(message.body).join(',') };
}

const MESSAGE_GETTERS = ['headers', 'body', ...HEADER_ACCESSORS];
const REQUEST_GETTERS = ['method', 'uri', 'version', 'requestUri'];
/** The getters documented as computed once and cached. */
const CACHED_GETTERS = new Set([
  'headers',
  'via',
  'from',
  'to',
  'contact',
  'route',
  'recordRoute',
  'replyTo',
  'cseq',
  'contentType',
  'requestUri',
]);
const RESPONSE_GETTERS = ['status', 'reason', 'version'];

/**
 * Accessors and the header-value parser each must agree with: `single` reads the first field,
 * `list` splits every field on top-level commas, `tags` reads option-tags across fields.
 */
const AGREEMENT = [
  ['via', 'Via', 'list', 'parseVia'],
  ['from', 'From', 'single', 'parseNameAddr'],
  ['to', 'To', 'single', 'parseNameAddr'],
  ['contact', 'Contact', 'list', 'parseNameAddr'],
  ['route', 'Route', 'list', 'parseNameAddr'],
  ['recordRoute', 'Record-Route', 'list', 'parseNameAddr'],
  ['replyTo', 'Reply-To', 'list', 'parseNameAddr'],
  ['cseq', 'CSeq', 'single', 'parseCSeq'],
  ['maxForwards', 'Max-Forwards', 'single', 'parseMaxForwards'],
  ['contentLength', 'Content-Length', 'single', 'parseContentLength'],
  ['contentType', 'Content-Type', 'single', 'parseContentType'],
  ['expires', 'Expires', 'single', 'parseExpires'],
  ['require', 'Require', 'tags', 'parseOptionTags'],
  ['supported', 'Supported', 'tags', 'parseOptionTags'],
  ['unsupported', 'Unsupported', 'tags', 'parseOptionTags'],
  ['allow', 'Allow', 'tags', 'parseOptionTags'],
];

/** JSON that shows Maps (parameters, URI headers) as their entries. */
function stable(value) {
  return JSON.stringify(value, (_key, item) => (item instanceof Map ? [...item] : item));
}

/** Header-value grammar entry points run on every header value. */
const FIELD_PARSERS = [
  'parseCallId',
  'parseContentLength',
  'parseContentType',
  'parseCSeq',
  'parseExpires',
  'parseMaxForwards',
  'parseNameAddr',
  'parseOptionTags',
  'parseParameters',
  'parseQuotedString',
  'parseRetryAfter',
  'parseUri',
  'parseVia',
  'splitHeaderList',
];

/**
 * Makes the fuzzer for one library build.
 * @param lib the sipwire root module (src/index.ts or dist/index.js)
 * @param seeds corpus messages `{ name, bytes }` that mutants start from (may be empty)
 * @param settings `raisedLimits`: also draw cases whose limits are all Number.MAX_SAFE_INTEGER
 */
export function createFuzzer(lib, seeds, settings = { raisedLimits: true }) {
  const counters = createCounters();
  const parseCodes = new Set(lib.PARSE_ERROR_CODES);
  const buildCodes = new Set(lib.BUILD_ERROR_CODES);
  const serializeCodes = new Set(lib.SERIALIZE_ERROR_CODES);
  const issueCodes = new Set(lib.ISSUE_CODES);
  /** Largest steps/byte ratio seen, for the report. */
  let maxStepsPerByte = 0;

  function unexpected(where, error) {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new FuzzFailure(`${where} threw ${what}`, { cause: error });
  }

  function expectParseError(error, where, low, high) {
    if (!(error instanceof lib.ParseError)) throw unexpected(where, error);
    if (!parseCodes.has(error.code)) throw new FuzzFailure(`${where}: unknown code ${error.code}`);
    if (!Number.isSafeInteger(error.offset) || error.offset < low || error.offset > high) {
      throw new FuzzFailure(
        `${where}: ${error.code} offset ${error.offset} outside [${low}, ${high}]`,
      );
    }
  }

  /**
   * A header-value parser's error on `text`: valueIndex a character of it, offset the UTF-8
   * bytes before that character (one unit for offsets everywhere).
   */
  function expectFieldError(error, where, text) {
    const bytes = utf8.encode(text.slice(0, error?.valueIndex)).length;
    expectParseError(error, where, 0, utf8.encode(text).length);
    const index = error.valueIndex;
    if (!Number.isSafeInteger(index) || index < 0 || index > text.length) {
      throw new FuzzFailure(`${where}: valueIndex ${index} outside the value`);
    }
    if (error.offset !== bytes) {
      throw new FuzzFailure(
        `${where}: offset ${error.offset} is not the ${bytes} bytes before character ${index}`,
      );
    }
  }

  function expectBuildError(error, where) {
    if (!(error instanceof lib.BuildError)) throw unexpected(where, error);
    if (!buildCodes.has(error.code)) throw new FuzzFailure(`${where}: unknown code ${error.code}`);
  }

  function expectSerializeError(error, where) {
    if (!(error instanceof lib.SerializeError)) throw unexpected(where, error);
    if (!serializeCodes.has(error.code)) {
      throw new FuzzFailure(`${where}: unknown code ${error.code}`);
    }
  }

  function checkIssues(issues, where) {
    if (!Array.isArray(issues)) throw new FuzzFailure(`${where} returned no array`);
    for (const issue of issues) {
      if (!issueCodes.has(issue.code))
        throw new FuzzFailure(`${where}: unknown issue ${issue.code}`);
      if (issue.severity !== 'MUST' && issue.severity !== 'SHOULD') {
        throw new FuzzFailure(`${where}: severity ${issue.severity}`);
      }
      if (typeof issue.message !== 'string' || typeof issue.source !== 'string') {
        throw new FuzzFailure(`${where}: issue ${issue.code} without message or source`);
      }
    }
  }

  function runValidate(message, context, where) {
    counters.validate.run++;
    let issues;
    try {
      issues = lib.validate(message, context);
    } catch (error) {
      throw unexpected(where, error);
    }
    checkIssues(issues, where);
    if (issues.length === 0) counters.validate.ok++;
    else counters.validate.rejected++;
    return issues;
  }

  /** Every getter, every header by index, every field parser on every value. */
  function inspect(message) {
    const low = message.offset;
    const high = message.offset + message.raw.length;
    const getters = [
      ...MESSAGE_GETTERS,
      ...(message.type === 'request' ? REQUEST_GETTERS : RESPONSE_GETTERS),
    ];
    for (const getter of getters) {
      counters.accessors.run++;
      try {
        const first = message[getter];
        // Cached views must be stable: a second read gives the same object.
        if (CACHED_GETTERS.has(getter) && first !== undefined && message[getter] !== first) {
          throw new FuzzFailure(`${getter} gave a different object on the second read`);
        }
        counters.accessors.ok++;
      } catch (error) {
        if (error instanceof FuzzFailure) throw error;
        expectParseError(error, `accessor ${getter}`, low, high);
        counters.accessors.rejected++;
      }
    }
    const headers = message.headers;
    for (let i = 0; i < headers.length; i++) {
      const raw = message.rawHeader(i);
      const offset = message.headerOffset(i);
      if (raw === undefined || offset === undefined || offset < low || offset + raw.length > high) {
        throw new FuzzFailure(`header ${i}: rawHeader/headerOffset out of the message`);
      }
    }
    if (message.rawHeader(headers.length) !== undefined || message.rawHeader(-1) !== undefined) {
      throw new FuzzFailure('rawHeader past the end is not undefined');
    }
    let longestValue = 0;
    for (const field of headers) longestValue = Math.max(longestValue, field.value.length);
    for (const field of headers) {
      for (const name of FIELD_PARSERS) {
        counters.fields.run++;
        try {
          lib[name](field.value);
          counters.fields.ok++;
        } catch (error) {
          expectFieldError(error, `${name}(${JSON.stringify(field.value)})`, field.value);
          counters.fields.rejected++;
        }
      }
      try {
        lib.getHeaderValues(message, field.name);
      } catch (error) {
        // The error may come from another field of the same header: any value's length bounds it
        // (in bytes, 3 per UTF-16 unit at most).
        expectParseError(error, `getHeaderValues(${field.name})`, 0, 3 * longestValue);
      }
    }
  }

  /** Each typed accessor gives what the header-value parser gives on the header's values. */
  function checkAgreement(message) {
    for (const [getter, header, shape, parserName] of AGREEMENT) {
      const parse = lib[parserName];
      const values = lib.getHeaders(message, header).map((field) => field.value);
      let want;
      let wantError;
      /** The text the failing parser read, and so the character its offset points at. */
      let failedText = '';
      try {
        if (shape === 'single') {
          failedText = values[0] ?? '';
          want = values.length === 0 ? undefined : parse(failedText);
        } else {
          want = [];
          for (const value of values) {
            failedText = value;
            if (shape === 'tags') {
              want.push(...parse(value));
              continue;
            }
            for (const item of lib.splitHeaderList(value)) {
              failedText = item;
              want.push(parse(item));
            }
          }
        }
      } catch (error) {
        expectFieldError(error, `${parserName} on ${header}`, failedText);
        wantError = error;
      }
      let got;
      let gotError;
      try {
        got = message[getter];
      } catch (error) {
        gotError = error;
      }
      if ((wantError === undefined) !== (gotError === undefined)) {
        throw new FuzzFailure(
          `accessor ${getter} ${gotError === undefined ? 'parsed' : `threw ${gotError.code}`} but ${parserName} on its values ${wantError === undefined ? 'parsed' : `threw ${wantError.code}`}`,
        );
      }
      if (wantError !== undefined) {
        if (wantError.code !== gotError.code) {
          throw new FuzzFailure(
            `accessor ${getter} threw ${gotError.code}, ${parserName} ${wantError.code}`,
          );
        }
        // The stream offset must point at the byte of the character the grammar stopped at.
        const char = failedText.charCodeAt(wantError.valueIndex);
        if (char > 0x20 && char < 0x7f) {
          const byte = message.raw[gotError.offset - message.offset];
          if (byte !== char) {
            throw new FuzzFailure(
              `accessor ${getter} ${gotError.code} at byte ${gotError.offset} points at ${byte === undefined ? 'nothing' : `"${String.fromCharCode(byte)}"`}, not at "${String.fromCharCode(char)}"`,
            );
          }
        }
      } else if (stable(want) !== stable(got)) {
        throw new FuzzFailure(
          `accessor ${getter} gave ${stable(got)}, ${parserName} ${stable(want)}`,
        );
      }
    }
  }

  /** Serializes; whatever comes out must parse back to the same message, alone. */
  function serializeAndReparse(message, where) {
    counters.serialize.run++;
    let bytes;
    try {
      bytes = lib.serialize(message);
    } catch (error) {
      expectSerializeError(error, `serialize (${where})`);
      counters.serialize.rejected++;
      return;
    }
    counters.serialize.ok++;
    const size = bytes.length + 2;
    const limits = {
      maxStartLineBytes: size,
      maxHeaderSectionBytes: size,
      maxHeaderLineBytes: size,
      maxHeaderCount: message.headers.length + 1,
      maxBodyBytes: message.body.length,
    };
    let again;
    try {
      again = lib.parseDatagram(bytes, { limits });
    } catch (error) {
      throw new FuzzFailure(
        `serialize (${where}) wrote bytes that do not parse: ${error?.code ?? error} "${showBytes(bytes, 400)}"`,
        { cause: error },
      );
    }
    const want = JSON.stringify(fieldsOf(lib, message));
    const got = JSON.stringify(fieldsOf(lib, again));
    if (want !== got) {
      throw new FuzzFailure(
        `serialize (${where}) round trip differs:\n  sent ${want}\n  read ${got}`,
      );
    }
    // A stream must see exactly one message in the bytes: nothing smuggled after the body.
    const parser = lib.createParser({ limits });
    let count;
    try {
      count = parser.push(bytes).length;
      parser.end();
    } catch (error) {
      throw new FuzzFailure(`serialize (${where}) bytes fail on a stream: ${error?.code}`, {
        cause: error,
      });
    }
    if (count !== 1) throw new FuzzFailure(`serialize (${where}) wrote ${count} messages`);
    // Compact names (RFC 3261 §7.3.3) read back as the same headers.
    const compact = lib.serialize(message, { compact: true });
    const compactGot = JSON.stringify(fieldsOf(lib, lib.parseDatagram(compact, { limits })));
    if (compactGot !== want) {
      throw new FuzzFailure(
        `compact serialize (${where}) differs:\n  sent ${want}\n  read ${compactGot}`,
      );
    }
  }

  function build(request, code, options, expectClean) {
    counters.build.run++;
    let built;
    try {
      built = lib.buildResponse(request, code, options);
    } catch (error) {
      expectBuildError(error, `buildResponse(${String(code)})`);
      counters.build.rejected++;
      // The documented way to answer a request whose To or From does not parse: 400
      if (error.code === 'INVALID_REQUEST_HEADER' && code !== 400) build(request, 400, {}, false);
      return;
    }
    counters.build.ok++;
    checkIssues(built.warnings, 'buildResponse warnings');
    const issues = runValidate(built.response, { request }, 'validate(built response)');
    const broken = issues.filter((issue) => issue.severity === 'MUST');
    if (expectClean && broken.length > 0) {
      throw new FuzzFailure(
        `buildResponse(${String(code)}) returned a response validate rejects: ${broken.map((issue) => `${issue.code} ${issue.message}`).join('; ')}`,
      );
    }
    serializeAndReparse(built.response, `built ${String(code)}`);
  }

  /**
   * No accessor refuses what validate accepts: with no MUST issue, every typed accessor of the
   * message returns (RFC 4475 escruri once slipped through: requestUri threw, validate passed).
   */
  function checkAccessorsAccepted(message, issues) {
    if (issues.some((issue) => issue.severity === 'MUST')) return;
    const getters = [
      ...MESSAGE_GETTERS,
      ...QUICK_ACCESSORS,
      ...(message.type === 'request' ? REQUEST_GETTERS : RESPONSE_GETTERS),
    ];
    for (const getter of getters) {
      try {
        message[getter];
      } catch (error) {
        throw new FuzzFailure(
          `validate reports no MUST issue, but accessor ${getter} threw ${error?.code ?? error}`,
          { cause: error },
        );
      }
    }
  }

  function checkMessage(message, testCase) {
    inspect(message);
    checkAgreement(message);
    const issues = runValidate(message, undefined, 'validate');
    checkAccessorsAccepted(message, issues);
    serializeAndReparse(message, 'parsed message');
    if (message.type === 'request') {
      // A request validate finds clean, answered with sane options: the response must be
      // clean too (RFC 3261 §8.2.6), as buildResponse and validate share one rule evaluator.
      const clean =
        testCase.build.kind !== 'hostile' && !issues.some((issue) => issue.severity === 'MUST');
      build(message, testCase.build.code, testCase.build.options, clean);
    }
  }

  function chunksOf(bytes, sizes) {
    const chunks = [];
    let at = 0;
    let k = 0;
    while (at < bytes.length) {
      const size = sizes[k % sizes.length];
      chunks.push(bytes.subarray(at, at + size));
      at += size;
      k++;
    }
    return chunks;
  }

  function runStream(bytes, chunks, options) {
    const limits = { ...lib.DEFAULT_LIMITS, ...options.limits };
    const bound = limits.maxHeaderSectionBytes + limits.maxBodyBytes;
    const events = [];
    const parser = lib.createParser({
      ...options,
      onKeepAlive: (kind, offset) => events.push(`${kind}@${offset}`),
    });
    const messages = [];
    let error;
    for (const chunk of chunks) {
      try {
        messages.push(...parser.push(chunk));
      } catch (caught) {
        expectParseError(caught, 'push', 0, bytes.length);
        error = caught;
        break;
      }
      if (parser.bufferedBytes > bound) {
        throw new FuzzFailure(`stream holds ${parser.bufferedBytes} bytes, above ${bound}`);
      }
    }
    if (error === undefined) {
      try {
        parser.end();
      } catch (caught) {
        expectParseError(caught, 'end', 0, bytes.length);
        error = caught;
      }
    }
    return { messages, error, events, steps: parser.steps };
  }

  function summary(run) {
    return JSON.stringify({
      messages: run.messages.map((message) => `${message.offset}+${showBytes(message.raw, 80)}`),
      error: run.error === undefined ? null : `${run.error.code}@${run.error.offset}`,
      events: run.events,
    });
  }

  /** Runs one case; throws FuzzFailure (or the unexpected error) when an invariant breaks. */
  function exercise(testCase) {
    const bytes = materialize(testCase.input, seeds);
    const options = testCase.options;

    counters.datagram.run++;
    let message;
    try {
      message = lib.parseDatagram(bytes, options);
      counters.datagram.ok++;
    } catch (error) {
      expectParseError(error, 'parseDatagram', 0, bytes.length);
      counters.datagram.rejected++;
    }
    if (message !== undefined) checkMessage(message, testCase);

    const { allowUnterminatedHeaders: _datagramOnly, ...streamOptions } = options;
    counters.stream.run++;
    const whole = runStream(bytes, [bytes], streamOptions);
    const sizes = testCase.chunking.length === 0 ? [1] : testCase.chunking;
    const split = runStream(bytes, chunksOf(bytes, sizes), streamOptions);
    if (summary(whole) !== summary(split)) {
      throw new FuzzFailure(
        `chunking changed the stream result:\n  whole ${summary(whole)}\n  split ${summary(split)}`,
      );
    }
    for (const run of [whole, split]) {
      // Linear work: each byte is scanned once, and growing the header buffer by doubling
      // copies less than the input again. A rescan per chunk would blow far past this.
      if (bytes.length >= 256) {
        maxStepsPerByte = Math.max(maxStepsPerByte, run.steps / bytes.length);
      }
      if (run.steps > 4 * bytes.length + 64) {
        throw new FuzzFailure(`the parser examined ${run.steps} bytes for ${bytes.length}`);
      }
    }
    // One whole message on a stream is one datagram too: the same bytes, the same offset.
    const [only] = whole.messages;
    if (
      whole.error === undefined &&
      whole.messages.length === 1 &&
      only.offset + only.raw.length === bytes.length
    ) {
      if (message === undefined) {
        throw new FuzzFailure('a stream parses the message but parseDatagram rejects it');
      }
      if (message.offset !== only.offset || showBytes(message.raw) !== showBytes(only.raw)) {
        throw new FuzzFailure('parseDatagram and the stream parser framed the message differently');
      }
    }
    if (whole.error === undefined && whole.messages.length > 0) counters.stream.ok++;
    if (whole.error !== undefined) counters.stream.rejected++;
    for (const streamed of whole.messages) checkMessage(streamed, testCase);
  }

  const caseArbitrary = fc.record({
    input: inputArbitrary(seeds.length),
    chunking: fc.oneof(
      fc.constant([]),
      fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 5 }),
    ),
    options: fc.record({
      profile: fc.constantFrom('strict', 'interop'),
      allowBareLf: fc.boolean(),
      allowUnterminatedHeaders: fc.boolean(),
      // Small limits one case in five: the others reach past the framing.
      limits: fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: limitsArbitrary },
        ...(settings.raisedLimits ? [{ weight: 1, arbitrary: fc.constant(RAISED_LIMITS) }] : []),
      ),
    }),
    build: buildArbitrary(lib),
  });

  return {
    counters,
    caseArbitrary,
    exercise,
    materialize: (input) => materialize(input, seeds),
    get maxStepsPerByte() {
      return maxStepsPerByte;
    },
  };
}

/** The counters as an aligned table. */
export function formatCounters(counters) {
  const lines = [
    `${'target'.padEnd(10)} ${'run'.padStart(9)} ${'ok'.padStart(9)} ${'rejected'.padStart(9)}`,
  ];
  for (const target of TARGETS) {
    const { run, ok, rejected } = counters[target];
    lines.push(
      `${target.padEnd(10)} ${String(run).padStart(9)} ${String(ok).padStart(9)} ${String(rejected).padStart(9)}`,
    );
  }
  return lines.join('\n');
}

/** What kind of failure an error is: its message up to the first detail, for minimising. */
function failureKind(error) {
  const message = error instanceof Error ? error.message : String(error);
  const cut = message.search(/[:\n(]/);
  return `${error?.name}:${cut === -1 ? message : message.slice(0, cut)}`;
}

/**
 * Shrinks a failing case's input byte by byte (after fast-check has shrunk its recipe): drops
 * ever smaller slices while the same kind of failure remains.
 * @param fuzzer the fuzzer that found it
 * @param testCase the failing case
 * @param maxAttempts bound on the cases tried
 * @returns the case with its input replaced by the minimal bytes, and the failure kind
 */
export function minimizeCase(fuzzer, testCase, maxAttempts = 20_000) {
  const kindOf = (candidate) => {
    try {
      fuzzer.exercise(candidate);
      return undefined;
    } catch (error) {
      return failureKind(error);
    }
  };
  const kind = kindOf(testCase);
  if (kind === undefined) return { testCase, kind };
  let bytes = fuzzer.materialize(testCase.input);
  let attempts = 0;
  for (let size = Math.max(1, bytes.length >> 1); size >= 1 && attempts < maxAttempts; ) {
    let removed = false;
    for (let at = 0; at < bytes.length && attempts < maxAttempts; ) {
      const candidate = join(bytes.subarray(0, at), bytes.subarray(at + size));
      attempts++;
      if (kindOf({ ...testCase, input: { kind: 'random', bytes: candidate } }) === kind) {
        bytes = candidate;
        removed = true;
      } else {
        at += size;
      }
    }
    if (!removed) size >>= 1;
  }
  return { testCase: { ...testCase, input: { kind: 'random', bytes } }, kind };
}
