import { describe, expect, it } from 'vitest';
import { dateIssues, leniencyIssues, requestUriIssues } from '../../src/message/conformance.js';
import { type Issue, validate } from '../../src/message/index.js';
import { parseMessage } from '../../src/parse/index.js';
import { makeRequest } from './support.js';

function codes(issues: readonly Issue[]): string[] {
  return issues.map((issue) => `${issue.severity} ${issue.code}`);
}

const uriIssues = (uri: string): string[] =>
  codes(requestUriIssues(makeRequest('OPTIONS', undefined, [], uri)));

describe('requestUriIssues', () => {
  it.each([
    ['sip:bob@example.com'],
    ['sips:bob@[2001:db8::1]:5061;transport=tcp'],
    ['sip:[2001:db8::10]'],
    ['tel:+1-201-555-0123'],
    ['urn:service:sos'],
    // a user part may hold colons: not a host
    ['sip:a:b@example.com'],
  ])('accepts %s', (uri) => {
    expect(uriIssues(uri)).toEqual([]);
  });

  it('refuses ?headers (RFC 3261 §19.1.1 Table 1; RFC 4475 §3.1.2.11 escruri)', () => {
    const [issue] = requestUriIssues(
      makeRequest('INVITE', undefined, [], 'sip:user@example.com?Route=%3Csip:example.com%3E'),
    );
    expect(issue).toMatchObject({
      code: 'REQUEST_URI_HEADERS',
      severity: 'MUST',
      source: 'RFC 3261 §19.1.1 (Table 1); RFC 4475 §3.1.2.11',
    });
    expect(issue?.message).toContain('?headers (Route)');
  });

  it('refuses a method parameter (RFC 3261 §19.1.1 Table 1), with ?headers as its own issue', () => {
    expect(uriIssues('sip:bob@example.com;method=REGISTER')).toEqual([
      'MUST REQUEST_URI_METHOD_PARAMETER',
    ]);
    expect(uriIssues('sip:bob@example.com;method=REGISTER?Subject=x')).toEqual([
      'MUST REQUEST_URI_HEADERS',
      'MUST REQUEST_URI_METHOD_PARAMETER',
    ]);
  });

  it.each([
    ['sip:2001:db8::10'],
    ['sip:alice@2001:db8::10;transport=udp'],
    ['sips:fe80::1%25eth0'],
  ])('names an IPv6 host without brackets: %s (RFC 5118 §4.2)', (uri) => {
    expect(uriIssues(uri)).toEqual(['MUST UNBRACKETED_IPV6_ADDRESS']);
  });

  it.each([['sip:example.com:x'], ['sip:'], ['sip:host:99999'], ['sip:2001:db8']])(
    'gives any other unparsable Request-URI INVALID_REQUEST_URI: %s',
    (uri) => {
      const issues = requestUriIssues(makeRequest('OPTIONS', undefined, [], uri));
      expect(codes(issues)).toEqual(['MUST INVALID_REQUEST_URI']);
      expect(issues[0]?.message).toMatch(/^The Request-URI does not parse: (Invalid URI|URI port)/);
    },
  );
});

describe('dateIssues', () => {
  const withDate = (value: string) =>
    dateIssues(makeRequest('OPTIONS', undefined, [['Date', value]]));

  it('accepts an rfc1123-date in GMT, in any case (ABNF strings)', () => {
    expect(withDate('Sat, 13 Nov 2010 23:29:00 GMT')).toEqual([]);
    expect(withDate('sat, 13 nov 2010 23:29:00 gmt')).toEqual([]);
    expect(dateIssues(makeRequest('OPTIONS'))).toEqual([]);
  });

  it('names a zone other than GMT (RFC 4475 §3.1.2.12 baddate)', () => {
    const [issue] = withDate('Fri, 01 Jan 2010 16:00:00 EST');
    expect(issue).toMatchObject({ code: 'INVALID_DATE', severity: 'SHOULD', header: 'Date' });
    expect(issue?.message).toMatch(
      /is in EST, not GMT; a receiver may ignore it \(RFC 3261 §20\.17/,
    );
  });

  it.each([
    ['2010-01-01T16:00:00Z'],
    ['Fri, 1 Jan 2010 16:00:00 GMT'],
    ['Fri 01 Jan 2010 16:00:00 GMT'],
    ['Fry, 01 Jan 2010 16:00:00 GMT'],
    ['Fri, 01 Jan 2010 16:00 GMT'],
    [''],
  ])('names a value that is not an rfc1123-date: %j', (value) => {
    const issues = withDate(value);
    expect(codes(issues)).toEqual(['SHOULD INVALID_DATE']);
    expect(issues[0]?.message).toContain('is not an rfc1123-date');
  });

  it('checks every Date field', () => {
    const request = makeRequest('OPTIONS', undefined, [
      ['Date', 'Sat, 13 Nov 2010 23:29:00 GMT'],
      ['Date', 'Sat, 13 Nov 2010 23:29:00 PST'],
    ]);
    expect(codes(dateIssues(request))).toEqual(['SHOULD INVALID_DATE']);
  });
});

describe('leniencyIssues', () => {
  it('reports nothing for a message that is not parsed, or was parsed strictly', () => {
    expect(leniencyIssues(makeRequest('OPTIONS'))).toEqual([]);
    expect(leniencyIssues(parseMessage('OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n'))).toEqual([]);
  });

  it('gives one SHOULD issue per leniency with its offset, count and the strict error', () => {
    const message = parseMessage('OPTIONS  sip:a@b SIP/2.0\nl: 0\n\n', { profile: 'interop' });
    const issues = leniencyIssues(message);
    expect(issues.map((issue) => [issue.code, issue.severity, issue.offset])).toEqual([
      ['LENIENT_SYNTAX', 'SHOULD', 24],
      ['LENIENT_SYNTAX', 'SHOULD', 8],
    ]);
    expect(issues[0]?.message).toBe(
      'Parsed leniently (BARE_LF, option allowBareLf): a line ending in a bare LF instead of CRLF at byte 24, 3 times; strict parsing refuses it with INVALID_LINE_ENDING (RFC 3261 §7)',
    );
    expect(issues[1]?.message).toContain('(REQUEST_LINE_SPACES, option allowRequestLineSpaces)');
    expect(issues[1]?.source).toBe('RFC 3261 §7.1, §25.1; RFC 4475 §3.1.2.9, §3.1.2.10');
  });
});

describe('validate runs them', () => {
  it('after the header checks, with the leniencies last', () => {
    const message = parseMessage('OPTIONS sip:a@b?x=1 SIP/2.0\nDate: 0\nContent-Length: 0\n\n', {
      profile: 'interop',
    });
    expect(codes(validate(message)).filter((code) => !code.includes('MANDATORY'))).toEqual([
      'SHOULD INVALID_DATE',
      'MUST REQUEST_URI_HEADERS',
      'SHOULD LENIENT_SYNTAX',
    ]);
  });
});
