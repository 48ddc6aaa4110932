/**
 * The parser over RFC 5118's IPv6 torture messages, read in place from ../shared/corpus/rfc5118:
 * the archive members (`.dat`, bare LF line endings, two without the closing empty line) and
 * the on-the-wire copies (`wire/*.sip`, CRLF). Each is one datagram. As the corpus README says,
 * the LF files need `allowBareLf`, and the two §4.10 files also `allowUnterminatedHeaders`; the
 * wire copies parse with the defaults. The IPv6 values are asserted through the accessors.
 */
import { describe, expect, it } from 'vitest';
import { parseUri } from '../../src/message/fields/index.js';
import { validate } from '../../src/message/index.js';
import {
  type DatagramOptions,
  type ParsedMessage,
  ParseError,
  parseDatagram,
} from '../../src/parse/index.js';
import { readCorpus, readTsv } from '../helpers/corpus.js';
import { sharedAvailable } from '../helpers/shared.js';

/** What happens to one form of a file. */
type Outcome =
  | { readonly kind: 'parse'; readonly body: number }
  | {
      readonly kind: 'accessor-rejects';
      readonly body: number;
      readonly rejects: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'reject'; readonly error: string };

interface Expectation {
  readonly start: string;
  /** The LF archive member. */
  readonly lf: Outcome;
  /** The CRLF wire copy. */
  readonly wire: Outcome;
  /** IPv6 values the case is about (read when the form parses) … */
  readonly read: (message: ParsedMessage) => Record<string, unknown>;
  /** … and what they must be. */
  readonly values: Record<string, unknown>;
}

function hostPort(uri: string): [string, number | undefined] | string {
  const parsed = parseUri(uri);
  return parsed.kind === 'sip' ? [parsed.host, parsed.port] : parsed.kind;
}

const requestUri = (message: ParsedMessage): unknown =>
  message.type === 'request' && message.requestUri.kind === 'sip'
    ? [message.requestUri.host, message.requestUri.port]
    : undefined;
const viaSentBy = (message: ParsedMessage): unknown =>
  message.via.map((via) => [via.host, via.port, via.received]);
const contactHosts = (message: ParsedMessage): unknown =>
  message.contact.map((value) => (value.wildcard ? '*' : hostPort(value.uriText)));

const EXPECTED: Readonly<Record<string, Expectation>> = {
  // §4.1: bracketed references in Request-URI, Via and Contact
  'ipv6-good': {
    start: 'REGISTER sip:[2001:db8::10] SIP/2.0',
    lf: { kind: 'parse', body: 0 },
    wire: { kind: 'parse', body: 0 },
    read: (message) => ({
      requestUri: requestUri(message),
      via: viaSentBy(message),
      contact: contactHosts(message),
    }),
    values: {
      requestUri: ['[2001:db8::10]', undefined],
      via: [['[2001:db8::9:1]', undefined, undefined]],
      contact: [['[2001:db8::1]', undefined]],
    },
  },
  // §4.2: no brackets in the Request-URI: 400 when the element reads it. The host at 9 + 4 is
  // neither a reference in [ ] nor a hostname (a top label starts with a letter) nor IPv4.
  'ipv6-bad': {
    start: 'REGISTER sip:2001:db8::10 SIP/2.0',
    lf: { kind: 'accessor-rejects', body: 0, rejects: { requestUri: 'INVALID_URI@13' } },
    wire: { kind: 'accessor-rejects', body: 0, rejects: { requestUri: 'INVALID_URI@13' } },
    read: (message) => ({ via: viaSentBy(message), contact: contactHosts(message) }),
    values: {
      via: [['[2001:db8::9:1]', undefined, undefined]],
      contact: [['[2001:db8::1]', undefined]],
    },
  },
  // §4.3: 5070 is the last group of the address, not a port
  'port-ambiguous': {
    start: 'REGISTER sip:[2001:db8::10:5070] SIP/2.0',
    lf: { kind: 'parse', body: 0 },
    wire: { kind: 'parse', body: 0 },
    read: (message) => ({ requestUri: requestUri(message) }),
    values: { requestUri: ['[2001:db8::10:5070]', undefined] },
  },
  // §4.4: the port after the brackets
  'port-unambiguous': {
    start: 'REGISTER sip:[2001:db8::10]:5070 SIP/2.0',
    lf: { kind: 'parse', body: 0 },
    wire: { kind: 'parse', body: 0 },
    read: (message) => ({ requestUri: requestUri(message) }),
    values: { requestUri: ['[2001:db8::10]', 5070] },
  },
  // §4.5: received with and without brackets
  'via-received-param-with-delim': {
    start: 'BYE sip:[2001:db8::10] SIP/2.0',
    lf: { kind: 'parse', body: 0 },
    wire: { kind: 'parse', body: 0 },
    read: (message) => ({ via: viaSentBy(message), requestUri: requestUri(message) }),
    values: {
      via: [['[2001:db8::9:1]', undefined, '[2001:db8::9:255]']],
      requestUri: ['[2001:db8::10]', undefined],
    },
  },
  'via-received-param-no-delim': {
    start: 'OPTIONS sip:[2001:db8::10] SIP/2.0',
    lf: { kind: 'parse', body: 0 },
    wire: { kind: 'parse', body: 0 },
    read: (message) => ({ via: viaSentBy(message), contact: contactHosts(message) }),
    values: {
      via: [['[2001:db8::9:1]', undefined, '2001:db8::9:255']],
      contact: [['[2001:db8::9:1]', undefined]],
    },
  },
  // §4.6: the archive's Content-Length (268) is larger than the body in both forms (242, 251):
  // a datagram receiver answers 400 (RFC 3261 §18.3). The test below fixes the length.
  'ipv6-in-sdp': {
    start: 'INVITE sip:user@[2001:db8::10] SIP/2.0',
    lf: { kind: 'reject', error: 'CONTENT_LENGTH_EXCEEDS_DATAGRAM@323' },
    wire: { kind: 'reject', error: 'CONTENT_LENGTH_EXCEEDS_DATAGRAM@332' },
    read: (message) => ({
      requestUri: requestUri(message),
      via: viaSentBy(message),
      contact: contactHosts(message),
    }),
    values: {
      requestUri: ['[2001:db8::10]', undefined],
      via: [['[2001:db8::20]', undefined, undefined]],
      contact: [['[2001:db8::20]', undefined]],
    },
  },
  // §4.7: IPv6 with port, IPv4, IPv6 with an IPv4 received
  'mult-ip-in-header': {
    start: 'BYE sip:user@host.example.net SIP/2.0',
    lf: { kind: 'parse', body: 0 },
    wire: { kind: 'parse', body: 0 },
    read: (message) => ({
      via: viaSentBy(message),
      transports: message.via.map((via) => via.transport),
    }),
    values: {
      via: [
        ['[2001:db8::9:1]', 6050, undefined],
        ['192.0.2.1', undefined, undefined],
        ['[2001:db8::9:255]', undefined, '192.0.2.200'],
      ],
      transports: ['UDP', 'UDP', 'TCP'],
    },
  },
  // §4.8: Content-Length 181: one octet more than the LF body (180), eight fewer than CRLF's (189)
  'mult-ip-in-sdp': {
    start: 'INVITE sip:user@[2001:db8::10] SIP/2.0',
    lf: { kind: 'reject', error: 'CONTENT_LENGTH_EXCEEDS_DATAGRAM@325' },
    wire: { kind: 'parse', body: 181 },
    read: (message) => ({ requestUri: requestUri(message), contact: contactHosts(message) }),
    values: {
      requestUri: ['[2001:db8::10]', undefined],
      contact: [['[2001:db8::9:1]', undefined]],
    },
  },
  // §4.9: IPv4-mapped addresses; Content-Length 236 is the LF body; the CRLF body is 245
  'ipv4-mapped-ipv6': {
    start: 'INVITE sip:user@example.com SIP/2.0',
    lf: { kind: 'parse', body: 236 },
    wire: { kind: 'parse', body: 236 },
    read: (message) => ({ via: viaSentBy(message), contact: contactHosts(message) }),
    values: {
      via: [
        ['[::ffff:192.0.2.10]', 19823, undefined],
        ['[::ffff:192.0.2.2]', undefined, undefined],
      ],
      contact: [['[::ffff:192.0.2.2]', undefined]],
    },
  },
  // §4.10: RFC 5118 asks receivers to tolerate the three-colon form RFC 3261's ABNF allows
  'ipv6-bug-abnf-3-colons': {
    start: 'OPTIONS sip:user@[2001:db8:::192.0.2.1] SIP/2.0',
    lf: { kind: 'parse', body: 0 },
    wire: { kind: 'parse', body: 0 },
    read: (message) => ({
      requestUri: requestUri(message),
      to: message.to?.wildcard === false && hostPort(message.to.uriText),
    }),
    values: {
      requestUri: ['[2001:db8:::192.0.2.1]', undefined],
      to: ['[2001:db8:::192.0.2.1]', undefined],
    },
  },
  'ipv6-correct-abnf-2-colons': {
    start: 'OPTIONS sip:user@[2001:db8::192.0.2.1] SIP/2.0',
    lf: { kind: 'parse', body: 0 },
    wire: { kind: 'parse', body: 0 },
    read: (message) => ({
      requestUri: requestUri(message),
      to: message.to?.wildcard === false && hostPort(message.to.uriText),
    }),
    values: {
      requestUri: ['[2001:db8::192.0.2.1]', undefined],
      to: ['[2001:db8::192.0.2.1]', undefined],
    },
  },
};

/** The leniency each LF archive member needs (corpus README). */
function lfOptions(name: string): DatagramOptions {
  const unterminated = name === 'ipv6-bug-abnf-3-colons' || name === 'ipv6-correct-abnf-2-colons';
  return { allowBareLf: true, ...(unterminated && { allowUnterminatedHeaders: true }) };
}

function errorAt(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ParseError) return `${error.code}@${error.offset}`;
    throw error;
  }
  return 'no error';
}

function startLine(message: ParsedMessage): string {
  return message.type === 'request'
    ? `${message.method} ${message.uri} ${message.version}`
    : `${message.version} ${message.status} ${message.reason}`;
}

/** What happens to `bytes`, in the shape of `expected` (plus start line and values when it parses). */
function outcome(
  bytes: Uint8Array,
  options: DatagramOptions,
  expected: Expectation,
  form: Outcome,
): unknown {
  let message: ParsedMessage;
  try {
    message = parseDatagram(bytes, options);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { kind: 'reject', error: `${error.code}@${error.offset}` };
  }
  const actual: Record<string, unknown> = {
    kind: form.kind === 'accessor-rejects' ? 'accessor-rejects' : 'parse',
    body: message.body.length,
    start: startLine(message),
    values: expected.read(message),
  };
  if (form.kind === 'accessor-rejects') {
    actual['rejects'] = Object.fromEntries(
      Object.keys(form.rejects).map((name) => [
        name,
        errorAt(() => (message as unknown as Record<string, unknown>)[name]),
      ]),
    );
  }
  return actual;
}

function wanted(expected: Expectation, form: Outcome): unknown {
  if (form.kind === 'reject') return form;
  return { ...form, start: expected.start, values: expected.values };
}

function matches(actual: unknown, expected: unknown): boolean {
  try {
    expect(actual).toEqual(expected);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!sharedAvailable('corpus/rfc5118'))('parser over RFC 5118', () => {
  const archive = readCorpus('corpus/rfc5118', '.dat');
  const wire = readCorpus('corpus/rfc5118/wire', '.sip');
  const names = Object.keys(EXPECTED).sort();

  it('has an expectation for exactly the 12 files of INDEX.tsv, in both forms', () => {
    expect(
      readTsv('corpus/rfc5118/INDEX.tsv')
        .map((row) => row['name'])
        .sort(),
    ).toEqual(names.map((name) => `${name}.dat`));
    expect(archive.map((file) => file.name)).toEqual(names.map((name) => `${name}.dat`));
    expect(wire.map((file) => file.name)).toEqual(names.map((name) => `${name}.sip`));
  });

  it.each(names)('%s.dat (LF archive member)', (name) => {
    const expected = EXPECTED[name];
    const file = archive.find((entry) => entry.name === `${name}.dat`);
    if (expected === undefined || file === undefined) throw new Error(name);
    expect(outcome(file.bytes, lfOptions(name), expected, expected.lf)).toEqual(
      wanted(expected, expected.lf),
    );
  });

  it.each(names)('wire/%s.sip (CRLF, default options)', (name) => {
    const expected = EXPECTED[name];
    const file = wire.find((entry) => entry.name === `${name}.sip`);
    if (expected === undefined || file === undefined) throw new Error(name);
    expect(outcome(file.bytes, {}, expected, expected.wire)).toEqual(
      wanted(expected, expected.wire),
    );
  });

  it('needs the leniencies: the LF files fail at their first LF without allowBareLf, §4.10 without allowUnterminatedHeaders', () => {
    for (const file of archive) {
      const firstLf = file.bytes.indexOf(0x0a);
      expect(
        errorAt(() => parseDatagram(file.bytes)),
        file.name,
      ).toBe(`INVALID_LINE_ENDING@${firstLf}`);
    }
    for (const name of ['ipv6-bug-abnf-3-colons', 'ipv6-correct-abnf-2-colons']) {
      const file = archive.find((entry) => entry.name === `${name}.dat`);
      if (file === undefined) throw new Error(name);
      expect(errorAt(() => parseDatagram(file.bytes, { allowBareLf: true }))).toBe(
        `INCOMPLETE_MESSAGE@${file.bytes.length}`,
      );
    }
  });

  it('ipv6-in-sdp with its Content-Length set to the real body length: parses, SDP addresses in IP6', () => {
    const expected = EXPECTED['ipv6-in-sdp'];
    if (expected === undefined) throw new Error('ipv6-in-sdp');
    for (const [file, options] of [
      [archive.find((entry) => entry.name === 'ipv6-in-sdp.dat'), lfOptions('ipv6-in-sdp')],
      [wire.find((entry) => entry.name === 'ipv6-in-sdp.sip'), {}],
    ] as const) {
      if (file === undefined) throw new Error('ipv6-in-sdp');
      const text = new TextDecoder().decode(file.bytes);
      const bodyStart =
        text.indexOf('\n\n') === -1 ? text.indexOf('\r\n\r\n') + 4 : text.indexOf('\n\n') + 2;
      const fixed = text.replace(
        'Content-Length: 268',
        `Content-Length: ${text.length - bodyStart}`,
      );
      const message = parseDatagram(new TextEncoder().encode(fixed), options);
      expect(expected.read(message)).toEqual(expected.values);
      expect(new TextDecoder().decode(message.body)).toMatch(
        /^v=0\r?\no=assistant 971731711378798081 0 IN IP6 2001:db8::20\r?\n/,
      );
      expect(new TextDecoder().decode(message.body)).toContain('c=IN IP6 2001:db8::20');
    }
  });

  it('the interop profile reads every LF archive member as the named leniencies do, and reports them', () => {
    for (const name of names) {
      const file = archive.find((entry) => entry.name === `${name}.dat`);
      const expected = EXPECTED[name];
      if (file === undefined || expected === undefined) throw new Error(name);
      expect(outcome(file.bytes, { profile: 'interop' }, expected, expected.lf), name).toEqual(
        wanted(expected, expected.lf),
      );
      if (expected.lf.kind === 'reject') continue;
      const message = parseDatagram(file.bytes, { profile: 'interop' });
      const firstLf = file.bytes.indexOf(0x0a);
      expect(message.leniencies[0], name).toMatchObject({ code: 'BARE_LF', offset: firstLf });
      expect(
        validate(message).filter((issue) => issue.code === 'LENIENT_SYNTAX').length,
        name,
      ).toBe(message.leniencies.length);
    }
  });

  it('validate: ipv6-bad is an error (RFC 5118 §4.2), every other message has no MUST issue', () => {
    const verdicts = Object.fromEntries(
      wire
        .filter((file) => {
          try {
            parseDatagram(file.bytes);
            return true;
          } catch {
            return false; // ipv6-in-sdp: Content-Length larger than the datagram
          }
        })
        .map((file) => [
          file.name,
          validate(parseDatagram(file.bytes))
            .filter((issue) => issue.severity === 'MUST')
            .map((issue) => issue.code),
        ]),
    );
    expect(verdicts).toEqual({
      'ipv4-mapped-ipv6.sip': [],
      'ipv6-bad.sip': ['UNBRACKETED_IPV6_ADDRESS'],
      'ipv6-bug-abnf-3-colons.sip': [],
      'ipv6-correct-abnf-2-colons.sip': [],
      'ipv6-good.sip': [],
      'mult-ip-in-header.sip': [],
      'mult-ip-in-sdp.sip': [],
      'port-ambiguous.sip': [],
      'port-unambiguous.sip': [],
      'via-received-param-no-delim.sip': [],
      'via-received-param-with-delim.sip': [],
    });
    const bad = wire.find((file) => file.name === 'ipv6-bad.sip');
    if (bad === undefined) throw new Error('ipv6-bad');
    expect(validate(parseDatagram(bad.bytes))[0]).toMatchObject({
      code: 'UNBRACKETED_IPV6_ADDRESS',
      severity: 'MUST',
      message: expect.stringMatching(/2001:db8::10.*RFC 3261 §25\.1.*RFC 5118 §4\.2/),
    });
  });

  it('reports the conformance count', () => {
    let asExpected = 0;
    for (const name of names) {
      const expected = EXPECTED[name];
      const lf = archive.find((entry) => entry.name === `${name}.dat`);
      const crlf = wire.find((entry) => entry.name === `${name}.sip`);
      if (expected === undefined || lf === undefined || crlf === undefined) continue;
      if (
        matches(
          outcome(lf.bytes, lfOptions(name), expected, expected.lf),
          wanted(expected, expected.lf),
        ) &&
        matches(outcome(crlf.bytes, {}, expected, expected.wire), wanted(expected, expected.wire))
      ) {
        asExpected++;
      }
    }
    console.log(
      `RFC 5118: ${asExpected}/${names.length} as expected (LF archive and CRLF wire forms)`,
    );
    expect(asExpected).toBe(12);
  });
});
