import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseCallId,
  parseContentLength,
  parseContentType,
  parseCSeq,
  parseExpires,
  parseMaxForwards,
  parseNameAddr,
  parseOptionTags,
  parseRetryAfter,
  parseUri,
  parseVia,
  splitHeaderList,
} from '../../../src/message/fields/index.js';
import { canonicalHeaderName } from '../../../src/message/header-names.js';
import { ParseError } from '../../../src/parse/errors.js';
import { sharedAvailable, sharedPath } from '../../helpers/shared.js';

/**
 * The header-value grammar against the values of RFC 4475 and RFC 5118, read in place. A
 * deliberately small message splitter (unfold, split at the first colon) stands in for the
 * stream parser, so these tests depend on nothing but the field functions.
 */

interface Head {
  readonly requestUri?: string;
  readonly fields: ReadonlyArray<readonly [name: string, value: string]>;
}

function readHead(relativePath: string): Head {
  const text = new TextDecoder().decode(readFileSync(sharedPath(relativePath)));
  const lines = text.split(/\r?\n/);
  const startLine = lines[0] ?? '';
  const fields: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    if (line === '') break;
    const last = fields.at(-1);
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    fields.push([canonicalHeaderName(line.slice(0, colon).trim()), line.slice(colon + 1).trim()]);
  }
  const parts = startLine.split(' ');
  return startLine.startsWith('SIP/') ? { fields } : { requestUri: parts[1] ?? '', fields };
}

/** The values of a header in a file: list headers split, others whole. */
function values(head: Head, name: string): string[] {
  const found = head.fields.filter(([field]) => field === name).map(([, value]) => value);
  return LIST.has(name) ? found.flatMap(splitHeaderList) : found;
}

function only(head: Head, name: string): string {
  const [value, ...rest] = values(head, name);
  if (value === undefined || rest.length > 0) throw new Error(`expected one ${name}`);
  return value;
}

const LIST = new Set([
  'Via',
  'Contact',
  'Route',
  'Record-Route',
  'Require',
  'Supported',
  'Proxy-Require',
  'Unsupported',
  'Allow',
]);

/** The typed parser of each header this grammar covers. */
const TYPED: Record<string, (value: string) => unknown> = {
  Via: parseVia,
  From: parseNameAddr,
  To: parseNameAddr,
  Contact: parseNameAddr,
  Route: parseNameAddr,
  'Record-Route': parseNameAddr,
  'Reply-To': parseNameAddr,
  CSeq: parseCSeq,
  'Call-ID': parseCallId,
  'Max-Forwards': parseMaxForwards,
  'Content-Length': parseContentLength,
  'Content-Type': parseContentType,
  Expires: parseExpires,
  'Min-Expires': parseExpires,
  'Retry-After': parseRetryAfter,
  Require: parseOptionTags,
  Supported: parseOptionTags,
  Unsupported: parseOptionTags,
  'Proxy-Require': parseOptionTags,
  Allow: parseOptionTags,
};

/** Every typed value of a message, parsed; the first ParseError is returned, else undefined. */
function firstError(head: Head): { header: string; code: string } | undefined {
  const jobs: Array<[string, () => unknown]> = [];
  if (head.requestUri !== undefined) {
    const uri = head.requestUri;
    jobs.push(['Request-URI', () => parseUri(uri)]);
  }
  for (const [name, value] of head.fields) {
    const parse = TYPED[name];
    if (parse === undefined) continue;
    jobs.push([
      name,
      () =>
        LIST.has(name) && parse !== parseOptionTags
          ? splitHeaderList(value).map(parse)
          : parse(value),
    ]);
  }
  for (const [header, run] of jobs) {
    try {
      run();
    } catch (error) {
      if (error instanceof ParseError) return { header, code: error.code };
      throw error;
    }
  }
  return undefined;
}

function indexRows(folder: string): Array<{ name: string; expected: string }> {
  const tsv = readFileSync(sharedPath(`corpus/${folder}/INDEX.tsv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return tsv.map((row) => {
    const [name = '', , , expected = ''] = row.split('\t');
    return { name, expected };
  });
}

/**
 * Files whose invalidity lies in a header value this grammar reads: the header and the code.
 * Other invalid files fail in the start line or framing (the parser's job) or are semantic
 * (the validator's), so their typed values parse.
 */
const REJECTED: Record<string, { header: string; code: string }> = {
  'rfc4475/badinv01.dat': { header: 'Via', code: 'INVALID_HEADER_VALUE' },
  'rfc4475/ncl.dat': { header: 'Content-Length', code: 'INVALID_NUMBER' },
  'rfc4475/scalar02.dat': { header: 'CSeq', code: 'NUMBER_OUT_OF_RANGE' },
  'rfc4475/scalarlg.dat': { header: 'CSeq', code: 'NUMBER_OUT_OF_RANGE' },
  'rfc4475/quotbal.dat': { header: 'To', code: 'INVALID_QUOTED_STRING' },
  'rfc4475/ltgtruri.dat': { header: 'Request-URI', code: 'INVALID_URI' },
  'rfc4475/regbadct.dat': { header: 'Contact', code: 'INVALID_NAME_ADDR' },
  'rfc4475/badaspec.dat': { header: 'To', code: 'INVALID_URI' },
  'rfc4475/baddn.dat': { header: 'From', code: 'INVALID_NAME_ADDR' },
  'rfc5118/ipv6-bad.dat': { header: 'Request-URI', code: 'INVALID_URI' },
};

describe.skipIf(!sharedAvailable('corpus/rfc4475'))('the RFC 4475 and RFC 5118 corpora', () => {
  for (const folder of ['rfc4475', 'rfc5118']) {
    it(`${folder}: the INDEX lists every .dat file`, () => {
      const files = readdirSync(sharedPath(`corpus/${folder}`))
        .filter((file) => file.endsWith('.dat'))
        .sort();
      expect(
        indexRows(folder)
          .map((row) => row.name)
          .sort(),
      ).toEqual(files);
    });

    it(`${folder}: every typed value of a valid message parses; invalid values are rejected`, () => {
      for (const { name, expected } of indexRows(folder)) {
        const file = `${folder}/${name}`;
        const outcome = firstError(readHead(join('corpus', file)));
        const wanted = REJECTED[file];
        if (wanted !== undefined) {
          expect([file, outcome]).toEqual([file, wanted]);
        } else if (expected !== 'invalid-syntax') {
          expect([file, outcome]).toEqual([file, undefined]);
        }
      }
    });
  }

  const head = (file: string): Head => readHead(join('corpus', file));

  it('wsinv: folded and spaced values (RFC 4475 §3.1.1.1)', () => {
    const h = head('rfc4475/wsinv.dat');
    expect(parseNameAddr(only(h, 'To'))).toEqual(
      expect.objectContaining({ uriText: 'sip:vivekg@chair-dnrc.example.com', tag: '1918181833n' }),
    );
    expect(parseNameAddr(only(h, 'From'))).toEqual(
      expect.objectContaining({ displayName: 'J Rosenberg \\"', tag: '98asjd8' }),
    );
    expect(parseMaxForwards(only(h, 'Max-Forwards'))).toBe(68);
    expect(parseCSeq(only(h, 'CSeq'))).toEqual({ seq: 9, method: 'INVITE' });
    expect(
      values(h, 'Via').map((via) => {
        const parsed = parseVia(via);
        return [parsed.transport, parsed.host, parsed.branch];
      }),
    ).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    const contact = parseNameAddr(only(h, 'Contact'));
    expect(contact.wildcard ? [] : [contact.displayName, [...contact.params]]).toEqual([
      'Quoted string ""',
      [
        ['newparam', 'newvalue'],
        ['secondparam', undefined],
        ['q', '0.33'],
      ],
    ]);
    const route = parseNameAddr(only(h, 'Route'));
    expect(route.wildcard ? undefined : route.uriText).toBe(
      'sip:services.example.com;lr;unknownwith=value;unknown-no-value',
    );
  });

  it('intmeth: every token character and raw UTF-8 (RFC 4475 §3.1.1.2)', () => {
    const h = head('rfc4475/intmeth.dat');
    const uri = parseUri(h.requestUri ?? '');
    expect(uri.kind === 'sip' ? [uri.user, uri.password, uri.host] : []).toEqual([
      "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
      "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)",
      'example.com',
    ]);
    expect(parseNameAddr(only(h, 'To'))).toEqual(
      expect.objectContaining({ displayName: 'BEL:\x07 NUL:\x00 DEL:\x7f' }),
    );
    const from = parseNameAddr(only(h, 'From'));
    expect(
      from.wildcard ? [] : [from.displayName, from.tag, from.params.get("fromparam''~+*_!.-%")],
    ).toEqual(["token1~` token2'+_ token3*%!.-", "_token~1'+`*%!-.", 'работающий']);
    expect(parseCSeq(only(h, 'CSeq')).method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
  });

  it('esc01: escapes decoded exactly once (RFC 4475 §3.1.1.3)', () => {
    const h = head('rfc4475/esc01.dat');
    const user = (text: string): string | undefined => {
      const uri = parseUri(text);
      return uri.kind === 'sip' ? uri.user : undefined;
    };
    expect(user(h.requestUri ?? '')).toBe('sips:user@example.com');
    const to = parseNameAddr(only(h, 'To'));
    const from = parseNameAddr(only(h, 'From'));
    expect([to.wildcard ? '' : user(to.uriText), from.wildcard ? '' : user(from.uriText)]).toEqual([
      'user',
      'I have spaces',
    ]);
    const contact = parseNameAddr(only(h, 'Contact'));
    const contactUri = parseUri(contact.wildcard ? '' : contact.uriText);
    expect(contactUri.kind === 'sip' ? [contactUri.user, [...contactUri.params]] : []).toEqual([
      'caller',
      [
        ['lr', undefined],
        ['name', 'value%41'],
      ],
    ]);
  });

  it('escnull: escaped NULs kept, two distinct Contacts (RFC 4475 §3.1.1.4)', () => {
    const h = head('rfc4475/escnull.dat');
    const users = values(h, 'Contact').map((value) => {
      const contact = parseNameAddr(value);
      const uri = parseUri(contact.wildcard ? '' : contact.uriText);
      return uri.kind === 'sip' ? uri.user : undefined;
    });
    expect(users).toEqual(['\x00', '\x00\x00']);
  });

  it('esc02: "%" that is not an escape (RFC 4475 §3.1.1.5)', () => {
    const h = head('rfc4475/esc02.dat');
    expect(parseNameAddr(only(h, 'To'))).toEqual(expect.objectContaining({ displayName: '%Z%45' }));
    expect(parseCSeq(only(h, 'CSeq')).method).toBe('RE%47IST%45R');
    expect(parseVia(only(h, 'Via')).branch).toBe('z9hG4bK209%fzsnel234');
  });

  it('lwsdisp, semiuri, transports, cparam01/02, regescrt, unksm2, inv2543', () => {
    expect(parseNameAddr(only(head('rfc4475/lwsdisp.dat'), 'From'))).toEqual(
      expect.objectContaining({ displayName: 'caller', tag: '323' }),
    );
    const semi = parseUri(head('rfc4475/semiuri.dat').requestUri ?? '');
    expect(semi.kind === 'sip' ? [semi.user, semi.host, semi.params.size] : []).toEqual([
      'user;par=u@example.net',
      'example.com',
      0,
    ]);
    expect(
      values(head('rfc4475/transports.dat'), 'Via').map((via) => parseVia(via).transport),
    ).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
    const cparam01 = parseNameAddr(only(head('rfc4475/cparam01.dat'), 'Contact'));
    expect(cparam01.wildcard ? [] : [cparam01.uriText, [...cparam01.params]]).toEqual([
      'sip:+19725552222@gw1.example.net',
      [['unknownparam', undefined]],
    ]);
    const cparam02 = parseNameAddr(only(head('rfc4475/cparam02.dat'), 'Contact'));
    expect(cparam02.wildcard ? [] : [cparam02.uriText, cparam02.params.size]).toEqual([
      'sip:+19725552222@gw1.example.net;unknownparam',
      0,
    ]);
    const regescrt = parseNameAddr(only(head('rfc4475/regescrt.dat'), 'Contact'));
    const routeUri = parseUri(regescrt.wildcard ? '' : regescrt.uriText);
    expect(routeUri.kind === 'sip' ? [...routeUri.headers] : []).toEqual([
      ['Route', '<sip:sip.example.com>'],
    ]);
    const unksm2 = head('rfc4475/unksm2.dat');
    expect(
      values(unksm2, 'To')
        .concat(values(unksm2, 'Contact'))
        .map((value) => {
          const addr = parseNameAddr(value);
          return addr.wildcard ? undefined : parseUri(addr.uriText);
        }),
    ).toEqual([
      { kind: 'opaque', scheme: 'isbn', raw: 'isbn:2983792873' },
      { kind: 'opaque', scheme: 'name', raw: 'name:John_Smith' },
    ]);
    expect(parseVia(only(head('rfc4475/inv2543.dat'), 'Via'))).toEqual(
      expect.objectContaining({ host: 'iftgw.example.com', params: new Map() }),
    );
  });

  it('scalar02: each overlarge scalar is refused (RFC 4475 §3.1.2.4)', () => {
    const h = head('rfc4475/scalar02.dat');
    const code = (run: () => unknown): string => {
      try {
        run();
        return 'none';
      } catch (error) {
        return error instanceof ParseError ? error.code : 'other';
      }
    };
    expect(code(() => parseMaxForwards(only(h, 'Max-Forwards')))).toBe('NUMBER_OUT_OF_RANGE');
    expect(code(() => parseExpires(only(h, 'Expires')))).toBe('NUMBER_OUT_OF_RANGE');
    const contact = parseNameAddr(only(h, 'Contact'));
    expect(
      code(() => parseExpires(contact.wildcard ? '' : (contact.params.get('expires') ?? ''))),
    ).toBe('NUMBER_OUT_OF_RANGE');
    expect(code(() => parseRetryAfter(only(head('rfc4475/scalarlg.dat'), 'Retry-After')))).toBe(
      'NUMBER_OUT_OF_RANGE',
    );
  });

  it('escruri: the Request-URI headers are exposed so the caller can refuse them (RFC 4475 §3.1.2.11)', () => {
    const uri = parseUri(head('rfc4475/escruri.dat').requestUri ?? '');
    expect(uri.kind === 'sip' ? [...uri.headers] : []).toEqual([['Route', '<sip:example.com>']]);
  });

  it('rfc5118: IPv6 hosts, ports and received (RFC 5118 §4)', () => {
    const host = (file: string): [string, number | undefined] => {
      const uri = parseUri(head(`rfc5118/${file}`).requestUri ?? '');
      return uri.kind === 'sip' ? [uri.host, uri.port] : ['', undefined];
    };
    expect(host('ipv6-good.dat')).toEqual(['[2001:db8::10]', undefined]);
    expect(host('port-ambiguous.dat')).toEqual(['[2001:db8::10:5070]', undefined]);
    expect(host('port-unambiguous.dat')).toEqual(['[2001:db8::10]', 5070]);
    expect(host('ipv6-bug-abnf-3-colons.dat')).toEqual(['[2001:db8:::192.0.2.1]', undefined]);
    expect(host('ipv6-correct-abnf-2-colons.dat')).toEqual(['[2001:db8::192.0.2.1]', undefined]);
    expect(parseVia(only(head('rfc5118/via-received-param-with-delim.dat'), 'Via')).received).toBe(
      '[2001:db8::9:255]',
    );
    expect(parseVia(only(head('rfc5118/via-received-param-no-delim.dat'), 'Via')).received).toBe(
      '2001:db8::9:255',
    );
    expect(
      values(head('rfc5118/mult-ip-in-header.dat'), 'Via').map((value) => {
        const via = parseVia(value);
        return [via.host, via.port, via.received];
      }),
    ).toEqual([
      ['[2001:db8::9:1]', 6050, undefined],
      ['192.0.2.1', undefined, undefined],
      ['[2001:db8::9:255]', undefined, '192.0.2.200'],
    ]);
    expect(
      values(head('rfc5118/ipv4-mapped-ipv6.dat'), 'Via').map((value) => [
        parseVia(value).host,
        parseVia(value).port,
      ]),
    ).toEqual([
      ['[::ffff:192.0.2.10]', 19823],
      ['[::ffff:192.0.2.2]', undefined],
    ]);
  });
});
