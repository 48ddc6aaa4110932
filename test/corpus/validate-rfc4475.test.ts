/**
 * validate over RFC 4475, read in place from ../shared/corpus/rfc4475. Every semantically
 * invalid message is flagged with the named issue, and no valid message gets a MUST issue.
 * Messages the datagram parser already refuses (invalid syntax) are the parser's business and
 * are listed here only so the map covers the whole corpus.
 */
import { describe, expect, it } from 'vitest';
import { type Issue, validate } from '../../src/message/index.js';
import { parseDatagram } from '../../src/parse/index.js';
import { readCorpus, readTsv } from '../helpers/corpus.js';
import { sharedAvailable } from '../helpers/shared.js';

/** `SEVERITY CODE [HEADER]` of each issue, or 'parse fails'. */
type Expectation = readonly string[] | 'parse fails';

const EXPECTED: Readonly<Record<string, Expectation>> = {
  // 3.1.1 valid messages: nothing to say
  'wsinv.dat': [],
  'intmeth.dat': [],
  'esc01.dat': [],
  'escnull.dat': [],
  'esc02.dat': [],
  'lwsdisp.dat': [],
  'longreq.dat': [],
  'dblreq.dat': [],
  'semiuri.dat': [],
  'transports.dat': [],
  'mpart01.dat': [],
  // a 200 to INVITE: RFC 3261 §13.3.1.4 recommends Allow and Supported
  'unreason.dat': [
    'SHOULD MISSING_REQUIRED_HEADER Allow',
    'SHOULD MISSING_REQUIRED_HEADER Supported',
  ],
  'noreason.dat': [],
  // 3.1.2 invalid syntax: what the parser lets through, validate catches
  'badinv01.dat': ['MUST INVALID_HEADER_VALUE Via', 'MUST INVALID_HEADER_VALUE Contact'],
  'clerr.dat': 'parse fails',
  'ncl.dat': 'parse fails',
  'scalar02.dat': [
    'MUST CSEQ_OUT_OF_RANGE CSeq',
    'MUST MAX_FORWARDS_OUT_OF_RANGE Max-Forwards',
    'MUST INVALID_HEADER_VALUE Expires',
    'MUST INVALID_HEADER_VALUE Contact',
  ],
  // Also: a final response without To tag.
  'scalarlg.dat': [
    'MUST CSEQ_OUT_OF_RANGE CSeq',
    'MUST INVALID_HEADER_VALUE Retry-After',
    'MUST INVALID_HEADER_VALUE Warning',
    'MUST MISSING_TO_TAG To',
  ],
  'quotbal.dat': ['MUST INVALID_HEADER_VALUE To'],
  'ltgtruri.dat': 'parse fails',
  'lwsruri.dat': 'parse fails',
  'lwsstart.dat': 'parse fails',
  'trws.dat': 'parse fails',
  // RFC 4475 §3.1.2.11: ?headers are SIP URI syntax, but RFC 3261 §19.1.1 Table 1 does not
  // allow them in a Request-URI; the requestUri accessor refuses them, and so does validate.
  'escruri.dat': ['MUST REQUEST_URI_HEADERS'],
  // RFC 4475 §3.1.2.12: Date in EST, not GMT (RFC 3261 §20.17); a receiver may ignore it, so
  // the issue is SHOULD-level, but a validator never calls it clean.
  'baddate.dat': ['SHOULD INVALID_DATE Date'],
  'regbadct.dat': ['MUST INVALID_HEADER_VALUE Contact'],
  'badaspec.dat': ['MUST INVALID_HEADER_VALUE To'],
  'baddn.dat': 'parse fails',
  'badvers.dat': ['MUST UNSUPPORTED_VERSION'],
  'mismatch01.dat': ['MUST CSEQ_METHOD_MISMATCH CSeq'],
  'mismatch02.dat': ['MUST CSEQ_METHOD_MISMATCH CSeq'],
  'bigcode.dat': 'parse fails',
  // 3.2, 3.3 transaction and application semantics
  'badbranch.dat': [],
  'insuf.dat': [
    'MUST MISSING_MANDATORY_HEADER To',
    'MUST MISSING_MANDATORY_HEADER From',
    'MUST MISSING_MANDATORY_HEADER Call-ID',
    'MUST MISSING_MANDATORY_HEADER Max-Forwards',
  ],
  'unkscm.dat': [],
  'novelsc.dat': [],
  'unksm2.dat': ['MUST REGISTER_TO_NOT_SIP_URI To'],
  'bext01.dat': [],
  'invut.dat': [],
  'regaut01.dat': [],
  'multi01.dat': [
    'MUST REPEATED_SINGLE_HEADER Max-Forwards',
    'MUST REPEATED_SINGLE_HEADER CSeq',
    'MUST REPEATED_SINGLE_HEADER Call-ID',
    'MUST REPEATED_SINGLE_HEADER From',
    'MUST REPEATED_SINGLE_HEADER To',
  ],
  // Content-Length 13 and 5 for a 64-byte body: repeated, and both disagree with the body
  'mcl01.dat': [
    'MUST REPEATED_SINGLE_HEADER Content-Length',
    'MUST CONTENT_LENGTH_MISMATCH Content-Length',
    'MUST CONTENT_LENGTH_MISMATCH Content-Length',
  ],
  // a 200 to INVITE: RFC 3261 §13.3.1.4 recommends Allow and Supported
  'bcast.dat': ['SHOULD MISSING_REQUIRED_HEADER Allow', 'SHOULD MISSING_REQUIRED_HEADER Supported'],
  'zeromf.dat': [],
  'cparam01.dat': [],
  'cparam02.dat': [],
  'regescrt.dat': [],
  'sdp01.dat': [],
  // RFC 2543 syntax: RFC 3261 §8.1.1 makes Max-Forwards mandatory
  'inv2543.dat': ['MUST MISSING_MANDATORY_HEADER Max-Forwards'],
  // not an RFC 4475 case (no SIP-Version)
  'test.dat': 'parse fails',
};

/** The issue named for each semantically-invalid message of INDEX.tsv. */
const NAMED_ISSUE: Readonly<Record<string, string>> = {
  'mismatch01.dat': 'CSEQ_METHOD_MISMATCH',
  'mismatch02.dat': 'CSEQ_METHOD_MISMATCH',
  'insuf.dat': 'MISSING_MANDATORY_HEADER',
  'unksm2.dat': 'REGISTER_TO_NOT_SIP_URI',
  'multi01.dat': 'REPEATED_SINGLE_HEADER',
  'mcl01.dat': 'REPEATED_SINGLE_HEADER',
};

function describeIssues(issues: readonly Issue[]): string[] {
  return issues.map((issue) =>
    [issue.severity, issue.code, issue.header].filter((part) => part !== undefined).join(' '),
  );
}

function issuesOf(bytes: Uint8Array): string[] | 'parse fails' {
  let message: ReturnType<typeof parseDatagram>;
  try {
    message = parseDatagram(bytes);
  } catch {
    return 'parse fails';
  }
  return describeIssues(validate(message));
}

const available = sharedAvailable('corpus/rfc4475');

describe.skipIf(!available)('validate over RFC 4475', () => {
  // vitest still runs a skipped suite's body to collect it: read nothing when the folder is absent
  const files = available ? readCorpus('corpus/rfc4475', '.dat') : [];
  const index = available ? readTsv('corpus/rfc4475/INDEX.tsv') : [];

  it('has an expectation for exactly the files of the corpus', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(files.map((file) => file.name));
  });

  it.each(files.map((file) => [file.name, file] as const))('%s', (name, file) => {
    expect(issuesOf(file.bytes)).toEqual(EXPECTED[name]);
  });

  it('flags every semantically-invalid message with its named issue', () => {
    const invalid = index
      .filter((row) => row['expected'] === 'semantically-invalid')
      .map((row) => row['name']);
    expect(invalid.sort()).toEqual(Object.keys(NAMED_ISSUE).sort());
    for (const file of files.filter((entry) => invalid.includes(entry.name))) {
      const issues = issuesOf(file.bytes);
      expect(issues, file.name).not.toBe('parse fails');
      const named = `MUST ${NAMED_ISSUE[file.name]}`;
      expect(
        [...issues].some((issue) => issue === named || issue.startsWith(`${named} `)),
        file.name,
      ).toBe(true);
    }
  });

  it('names the RFC sections in the escruri and baddate issues', () => {
    const issueOf = (name: string): Issue | undefined => {
      const file = files.find((entry) => entry.name === name);
      if (file === undefined) throw new Error(name);
      return validate(parseDatagram(file.bytes))[0];
    };
    expect(issueOf('escruri.dat')).toMatchObject({
      code: 'REQUEST_URI_HEADERS',
      severity: 'MUST',
      source: expect.stringContaining('RFC 3261 §19.1.1'),
      message: expect.stringContaining('RFC 4475 §3.1.2.11'),
    });
    expect(issueOf('baddate.dat')).toMatchObject({
      code: 'INVALID_DATE',
      severity: 'SHOULD',
      header: 'Date',
      message: expect.stringMatching(/EST, not GMT.*RFC 3261 §20\.17.*RFC 4475 §3\.1\.2\.12/),
    });
  });

  it('gives no MUST issue to a valid message', () => {
    const valid = index.filter((row) => row['expected'] === 'valid').map((row) => row['name']);
    expect(valid.length).toBe(16);
    for (const file of files.filter((entry) => valid.includes(entry.name))) {
      const issues = issuesOf(file.bytes);
      expect(issues, file.name).not.toBe('parse fails');
      expect(
        [...issues].filter((issue) => issue.startsWith('MUST')),
        file.name,
      ).toEqual([]);
    }
  });
});
