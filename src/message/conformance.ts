/**
 * Checks that RFC 4475 and RFC 5118 name and RFC 3261 §7.3's header checks do not cover: the
 * Request-URI as a whole (§19.1.1 Table 1, §25.1), the Date value (§20.17), and the
 * leniencies a parsed message needed. validate() runs them; each returns its issues.
 */
import { LENIENCIES, type Leniency } from '../parse/leniency.js';
import { type Issue, makeIssue } from './errors.js';
import { checkIPv6 } from './fields/host.js';
import { parseUri, type Uri } from './fields/index.js';
import { getHeaders } from './headers.js';
import type { SipMessage, SipRequest } from './types.js';

const REQUEST_URI_SOURCE = 'RFC 3261 §19.1.1 (Table 1); RFC 4475 §3.1.2.11';

/**
 * The Request-URI: it must parse as a URI (RFC 3261 §25.1), a SIP or SIPS one without
 * `?headers` or a `method` parameter (§19.1.1 Table 1: not allowed in a Request-URI), and an
 * IPv6 host must be a bracketed IPv6reference (RFC 5118 §4.2).
 * @internal
 */
export function requestUriIssues(request: SipRequest): Issue[] {
  const text = String(request.uri);
  let uri: Uri;
  try {
    uri = parseUri(text);
  } catch (error) {
    if (isUnbracketedIPv6(text)) {
      return [
        makeIssue({
          code: 'UNBRACKETED_IPV6_ADDRESS',
          severity: 'MUST',
          source: 'RFC 3261 §25.1 (IPv6reference); RFC 5118 §4.2',
          problem: `The Request-URI "${text}" holds an IPv6 address without the [ ] an IPv6reference requires; answer 400`,
        }),
      ];
    }
    return [
      makeIssue({
        code: 'INVALID_REQUEST_URI',
        severity: 'MUST',
        source: 'RFC 3261 §25.1',
        problem: `The Request-URI does not parse: ${error instanceof Error ? error.message : String(error)}`,
      }),
    ];
  }
  if (uri.kind !== 'sip') return [];
  const issues: Issue[] = [];
  if (uri.headers.size > 0) {
    issues.push(
      makeIssue({
        code: 'REQUEST_URI_HEADERS',
        severity: 'MUST',
        source: REQUEST_URI_SOURCE,
        problem: `The Request-URI carries ?headers (${[...uri.headers.keys()].join(', ')}), which a Request-URI may not hold; answer 400`,
      }),
    );
  }
  if (uri.params.has('method')) {
    issues.push(
      makeIssue({
        code: 'REQUEST_URI_METHOD_PARAMETER',
        severity: 'MUST',
        source: 'RFC 3261 §19.1.1 (Table 1)',
        problem: 'The Request-URI carries a method parameter, which a Request-URI may not hold',
      }),
    );
  }
  return issues;
}

/**
 * Whether a `sip:`/`sips:` URI's host part, after any userinfo and up to `;`, `?` or the end,
 * is an IPv6 address written without brackets (RFC 5118 §4.2 ipv6-bad: `sip:2001:db8::10`).
 */
function isUnbracketedIPv6(text: string): boolean {
  const scheme = text.slice(0, 5).toLowerCase();
  let start = scheme === 'sips:' ? 5 : scheme.startsWith('sip:') ? 4 : -1;
  if (start === -1) return false;
  let end = start;
  while (end < text.length && text[end] !== ';' && text[end] !== '?') end++;
  const at = text.lastIndexOf('@', end - 1);
  if (at >= start) start = at + 1;
  const host = text.slice(start, end);
  if (host.indexOf(':') === host.lastIndexOf(':')) return false;
  return checkIPv6(host, 0, host.length) === -1;
}

/**
 * RFC 3261 §25.1: rfc1123-date = wkday "," SP date1 SP time SP "GMT", ABNF strings in any
 * case; the last group is the zone, so a date in another zone can be named.
 */
const RFC1123_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (\S+)$/i;

/**
 * Date: an rfc1123-date in GMT (RFC 3261 §20.17, §25.1). RFC 4475 §3.1.2.12 (baddate) lets a
 * receiver ignore a bad Date, so the issue is SHOULD-level: the value says nothing usable.
 * @internal
 */
export function dateIssues(message: SipMessage): Issue[] {
  const issues: Issue[] = [];
  for (const field of getHeaders(message, 'Date')) {
    const zone = RFC1123_DATE.exec(field.value)?.[1];
    if (zone !== undefined && zone.toUpperCase() === 'GMT') continue;
    const what =
      zone === undefined
        ? `"${field.value}" is not an rfc1123-date (e.g. "Sat, 13 Nov 2010 23:29:00 GMT")`
        : `"${field.value}" is in ${zone}, not GMT`;
    issues.push(
      makeIssue({
        code: 'INVALID_DATE',
        severity: 'SHOULD',
        header: 'Date',
        source: 'RFC 3261 §20.17, §25.1; RFC 4475 §3.1.2.12',
        problem: `Date ${what}; a receiver may ignore it`,
      }),
    );
  }
  return issues;
}

/**
 * One SHOULD issue per leniency a parsed message needed (its `leniencies`), so a message read
 * through the interop profile never passes as clean.
 * @internal
 */
export function leniencyIssues(message: SipMessage): Issue[] {
  const leniencies = (message as { readonly leniencies?: unknown }).leniencies;
  if (!Array.isArray(leniencies) || leniencies.length === 0) return [];
  const issues: Issue[] = [];
  for (const used of leniencies as readonly Leniency[]) {
    const row = LENIENCIES.find((entry) => entry.code === used.code);
    if (row === undefined) continue;
    const times = used.count > 1 ? `, ${used.count} times` : '';
    issues.push(
      makeIssue({
        code: 'LENIENT_SYNTAX',
        severity: 'SHOULD',
        source: row.source,
        offset: used.offset,
        problem: `Parsed leniently (${row.code}, option ${row.option}): ${row.what} at byte ${used.offset}${times}; strict parsing refuses it with ${row.refused}`,
      }),
    );
  }
  return issues;
}
