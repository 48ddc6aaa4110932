// A slow, plain reference reader that no contestant shares code with. It gives the expected
// values for the real corpus (whose truth nobody wrote down) and checks the responses each
// contestant builds. Regular expressions are fine here: this code is never timed.

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** RFC 3261 §7.3.3: the compact forms, mapped to lower-case canonical names. */
const COMPACT_NAMES = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Reads the facts every contestant must agree on from one whole message (datagram rules:
 * Content-Length frames the body, octets past it are ignored, RFC 3261 §18.3).
 * @param {Uint8Array} bytes
 */
export function readMessage(bytes) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  while (buffer[start] === 0x0d && buffer[start + 1] === 0x0a) start += 2;
  const blank = buffer.indexOf(CRLF_CRLF, start);
  if (blank < 0) throw new Error('reference: no empty line after the header section');
  const headText = utf8.decode(buffer.subarray(start, blank));
  // RFC 3261 §7.3.1: a CRLF followed by whitespace continues the previous line.
  const lines = headText.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  const startLine = lines[0] ?? '';
  const fields = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) throw new Error(`reference: header line without a colon: ${line}`);
    const rawName = line.slice(0, colon).trim().toLowerCase();
    fields.push({ name: COMPACT_NAMES[rawName] ?? rawName, value: line.slice(colon + 1).trim() });
  }
  const values = (name) => fields.filter((field) => field.name === name).map((f) => f.value);
  const first = (name) => values(name)[0];

  const result = {
    type: /^SIP\//i.test(startLine) ? 'response' : 'request',
    status: undefined,
    reason: undefined,
    method: undefined,
    uri: undefined,
    callId: first('call-id'),
    seq: undefined,
    cseqMethod: undefined,
    branch: undefined,
    toTag: undefined,
    viaCount: 0,
    contentLength: undefined,
    bodyByteLength: 0,
    headerCount: fields.length,
    fields,
  };
  if (result.type === 'response') {
    const match = /^SIP\/2\.0 (\d{3}) (.*)$/.exec(startLine);
    if (!match) throw new Error(`reference: bad status line: ${startLine}`);
    result.status = Number(match[1]);
    result.reason = match[2];
  } else {
    const match = /^(\S+) (\S+) SIP\/2\.0$/.exec(startLine);
    if (!match) throw new Error(`reference: bad request line: ${startLine}`);
    result.method = match[1];
    result.uri = match[2];
  }
  const cseq = /^(\d+)\s+(\S+)$/.exec(first('cseq') ?? '');
  if (cseq) {
    result.seq = Number(cseq[1]);
    result.cseqMethod = cseq[2];
  }
  const vias = values('via').flatMap(splitTopLevelCommas);
  result.viaCount = vias.length;
  if (vias[0] !== undefined) result.branch = paramOf(vias[0], 'branch');
  const to = first('to');
  if (to !== undefined) result.toTag = paramOf(stripAddress(to), 'tag');

  const bodyStart = blank + 4;
  const available = buffer.byteLength - bodyStart;
  const contentLength = first('content-length');
  if (contentLength !== undefined) {
    result.contentLength = Number(contentLength);
    if (result.contentLength > available) {
      throw new Error('reference: Content-Length is larger than the datagram');
    }
    result.bodyByteLength = result.contentLength;
  } else {
    result.bodyByteLength = available;
  }
  return result;
}

/**
 * Splits a byte stream into messages using Content-Length (RFC 3261 §18.3). Every message
 * must carry one.
 * @param {Uint8Array} bytes
 * @returns {Buffer[]}
 */
export function frameStream(bytes) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messages = [];
  let offset = 0;
  while (offset < buffer.byteLength) {
    while (buffer[offset] === 0x0d && buffer[offset + 1] === 0x0a) offset += 2;
    if (offset >= buffer.byteLength) break;
    const blank = buffer.indexOf(CRLF_CRLF, offset);
    if (blank < 0) throw new Error(`reference: incomplete header section at byte ${offset}`);
    const head = buffer.subarray(offset, blank);
    const lengthText = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(head.toString('latin1'));
    if (!lengthText) throw new Error(`reference: message at byte ${offset} has no Content-Length`);
    const end = blank + 4 + Number(lengthText[1]);
    if (end > buffer.byteLength) throw new Error(`reference: body past the end at ${offset}`);
    messages.push(buffer.subarray(offset, end));
    offset = end;
  }
  return messages;
}

/** Splits a header value on commas outside quotes and angle brackets (RFC 3261 §7.3.1). */
function splitTopLevelCommas(value) {
  const parts = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '<') depth++;
    else if (char === '>') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(value.slice(from, i).trim());
      from = i + 1;
    }
  }
  parts.push(value.slice(from).trim());
  return parts;
}

/** Removes a quoted display name and the bracketed URI, leaving the header parameters. */
function stripAddress(value) {
  const withoutName = value.replace(/^\s*"(?:[^"\\]|\\.)*"/, '');
  const close = withoutName.indexOf('>');
  if (close >= 0) return withoutName.slice(close + 1);
  // RFC 3261 §20.10: without brackets, every ';' after the URI starts a header parameter.
  const semicolon = withoutName.indexOf(';');
  return semicolon >= 0 ? withoutName.slice(semicolon) : '';
}

/** The value of parameter `name` in a `;a=b;c=d` list, case-insensitive on the name. */
function paramOf(text, name) {
  const pattern = new RegExp(`;\\s*${name}\\s*=\\s*([^;,\\s>]+)`, 'i');
  const match = pattern.exec(text);
  return match ? match[1] : undefined;
}
