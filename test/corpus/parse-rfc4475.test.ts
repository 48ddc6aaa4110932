/**
 * The parser over RFC 4475's torture messages, read in place from ../shared/corpus/rfc4475
 * (exact archive bytes). Each file is one UDP datagram (RFC 4475 §3 tests a UDP receiver), so
 * it goes through parseDatagram. The table below says for each file what must happen:
 * - `parse`: it parses, with the values the case is about;
 * - `reject`: parseDatagram throws that code at that offset;
 * - `accessor-rejects`: it parses (RFC 4475 lets the parser accept it) but the named accessors
 *   throw, so the element rejects it when it reads those values;
 * - `semantic`: it parses, and the validator flags it (test/corpus/validate-rfc4475.test.ts).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type NameAddr, parseUri, type Uri } from '../../src/message/fields/index.js';
import {
  type DatagramOptions,
  type ParsedMessage,
  ParseError,
  parseDatagram,
} from '../../src/parse/index.js';
import { readCorpus, readTsv } from '../helpers/corpus.js';
import { sharedAvailable } from '../helpers/shared.js';

interface Parses {
  /** The start line as the message reports it: `METHOD URI VERSION` or `VERSION CODE REASON`. */
  readonly start: string;
  readonly callId: string | undefined;
  /** Body byte length. */
  readonly body: number;
  /** Values the case is about, read from the message … */
  readonly read?: (message: ParsedMessage) => Record<string, unknown>;
  /** … and what they must be. */
  readonly values?: Record<string, unknown>;
}

type Expectation =
  | ({ readonly kind: 'parse' } & Parses)
  | ({ readonly kind: 'semantic' } & Parses)
  | ({
      readonly kind: 'accessor-rejects';
      /** accessor name → `CODE@offset` it throws. */
      readonly rejects: Readonly<Record<string, string>>;
    } & Parses)
  | { readonly kind: 'reject'; readonly error: string };

function nameAddr(value: NameAddr | undefined): Record<string, unknown> {
  if (value === undefined) return { absent: true };
  if (value.wildcard) return { wildcard: true };
  return {
    displayName: value.displayName,
    uri: value.uriText,
    params: [...value.params],
    tag: value.tag,
  };
}

function sipUri(text: string): Record<string, unknown> {
  const uri: Uri = parseUri(text);
  if (uri.kind !== 'sip') return { kind: uri.kind, scheme: uri.scheme };
  return {
    user: uri.user,
    host: uri.host,
    port: uri.port,
    params: [...uri.params],
    headers: [...uri.headers],
  };
}

function header(message: ParsedMessage, name: string): string[] {
  return message.headers.filter((field) => field.name === name).map((field) => field.value);
}

const SDP_150 = 150;

const EXPECTED: Readonly<Record<string, Expectation>> = {
  // §3.1.1.1: folding, LWS around colons, compact and long names mixed, empty Subject
  'wsinv.dat': {
    kind: 'parse',
    start: 'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
    callId: 'wsinv.ndaksdj@192.0.2.1',
    body: SDP_150,
    read: (message) => ({
      names: message.headers.map((field) => field.name),
      maxForwards: message.maxForwards,
      cseq: message.cseq,
      subject: header(message, 'Subject'),
      newFangled: header(message, 'NewFangledHeader'),
      unusual: header(message, 'UnknownHeaderWithUnusualValue'),
      via: message.via.map((via) => [via.transport, via.host, via.branch]),
      to: nameAddr(message.to),
      from: nameAddr(message.from),
      contact: message.contact.map(nameAddr),
      route: message.route.map(nameAddr),
    }),
    values: {
      names: [
        'To',
        'From',
        'Max-Forwards',
        'Call-ID',
        'Content-Length',
        'CSeq',
        'Via',
        'Subject',
        'NewFangledHeader',
        'UnknownHeaderWithUnusualValue',
        'Content-Type',
        'Route',
        'Via',
        'Contact',
      ],
      maxForwards: 68,
      cseq: { seq: 9, method: 'INVITE' },
      subject: [''],
      newFangled: ['newfangled value continued newfangled value'],
      unusual: [';;,,;;,;'],
      via: [
        ['UDP', '192.0.2.2', '390skdjuw'],
        ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
        ['UDP', '192.168.255.111', 'z9hG4bK30239'],
      ],
      to: {
        displayName: undefined,
        uri: 'sip:vivekg@chair-dnrc.example.com',
        params: [['tag', '1918181833n']],
        tag: '1918181833n',
      },
      from: {
        displayName: 'J Rosenberg \\"',
        uri: 'sip:jdrosen@example.com',
        params: [['tag', '98asjd8']],
        tag: '98asjd8',
      },
      contact: [
        {
          displayName: 'Quoted string ""',
          uri: 'sip:jdrosen@example.com',
          params: [
            ['newparam', 'newvalue'],
            ['secondparam', undefined],
            ['q', '0.33'],
          ],
          tag: undefined,
        },
      ],
      route: [
        {
          displayName: undefined,
          uri: 'sip:services.example.com;lr;unknownwith=value;unknown-no-value',
          params: [],
          tag: undefined,
        },
      ],
    },
  },
  // §3.1.1.2: every token character in the method, raw NUL/BEL/DEL in a quoted display name, raw UTF-8
  'intmeth.dat': {
    kind: 'parse',
    start:
      "!interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0",
    callId: 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
    body: 0,
    read: (message) => ({
      method: message.type === 'request' && message.method,
      cseq: message.cseq,
      toDisplayName: message.to?.wildcard === false && message.to.displayName,
      fromParam: message.from?.wildcard === false && message.from.params.get("fromparam''~+*_!.-%"),
      extension: header(message, "extensionHeader-!.%*+_`'~"),
      requestUri: message.type === 'request' && sipUri(message.uri),
      branch: message.via[0]?.branch,
    }),
    values: {
      method: "!interesting-Method0123456789_*+`.%indeed'~",
      cseq: { seq: 139122385, method: "!interesting-Method0123456789_*+`.%indeed'~" },
      toDisplayName: 'BEL:\x07 NUL:\x00 DEL:\x7f',
      fromParam: 'работающий',
      extension: ['\uFEFF大停電'],
      requestUri: {
        user: "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
        host: 'example.com',
        port: undefined,
        params: [],
        headers: [],
      },
      branch: "z9hG4bK-.!%66*_+`'~",
    },
  },
  // §3.1.1.3: %HH unescaped exactly once, folded Contact, compact C
  'esc01.dat': {
    kind: 'parse',
    start: 'INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0',
    callId: 'esc01.239409asdfakjkn23onasd0-3234',
    body: SDP_150,
    read: (message) => ({
      requestUser:
        message.type === 'request' && message.requestUri.kind === 'sip' && message.requestUri.user,
      to: message.to?.wildcard === false && sipUri(message.to.uriText),
      fromUser: message.from?.wildcard === false && sipUri(message.from.uriText)['user'],
      contact: message.contact.map((value) => !value.wildcard && sipUri(value.uriText)),
      contentType: message.contentType?.subtype,
    }),
    values: {
      requestUser: 'sips:user@example.com',
      to: { user: 'user', host: 'example.com', port: undefined, params: [], headers: [] },
      fromUser: 'I have spaces',
      contact: [
        {
          user: 'caller',
          host: 'host5.example.net',
          port: undefined,
          params: [
            ['lr', undefined],
            ['name', 'value%41'],
          ],
          headers: [],
        },
      ],
      contentType: 'sdp',
    },
  },
  // §3.1.1.4: %00 kept, not truncated; two distinct bindings
  'escnull.dat': {
    kind: 'parse',
    start: 'REGISTER sip:example.com SIP/2.0',
    callId: 'escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
    body: 0,
    read: (message) => ({
      toUser: message.to?.wildcard === false && sipUri(message.to.uriText)['user'],
      contactUsers: message.contact.map(
        (value) => !value.wildcard && sipUri(value.uriText)['user'],
      ),
      contentLength: message.contentLength,
    }),
    values: { toUser: 'null-\x00-null', contactUsers: ['\x00', '\x00\x00'], contentLength: 0 },
  },
  // §3.1.1.5: % that is not an escape; C%6Fntact is an unknown header
  'esc02.dat': {
    kind: 'parse',
    start: 'RE%47IST%45R sip:registrar.example.com SIP/2.0',
    callId: 'esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
    body: 0,
    read: (message) => ({
      method: message.type === 'request' && message.method,
      toDisplayName: message.to?.wildcard === false && message.to.displayName,
      contacts: message.contact.length,
      unknown: header(message, 'C%6Fntact'),
      branch: message.via[0]?.branch,
    }),
    values: {
      method: 'RE%47IST%45R',
      toDisplayName: '%Z%45',
      contacts: 2,
      unknown: ['<sip:alias2@host2.example.com>'],
      branch: 'z9hG4bK209%fzsnel234',
    },
  },
  // §3.1.1.6: no LWS between display name and "<"
  'lwsdisp.dat': {
    kind: 'parse',
    start: 'OPTIONS sip:user@example.com SIP/2.0',
    callId: 'lwsdisp.1234abcd@funky.example.com',
    body: 0,
    read: (message) => ({ from: nameAddr(message.from) }),
    values: {
      from: {
        displayName: 'caller',
        uri: 'sip:caller@example.com',
        params: [['tag', '323']],
        tag: '323',
      },
    },
  },
  // §3.1.1.7: long values everywhere; 34 Via values with odd spellings of the name
  'longreq.dat': {
    kind: 'parse',
    start: 'INVITE sip:user@example.com SIP/2.0',
    callId:
      'longreq.onereallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallylongcallid',
    body: SDP_150,
    read: (message) => ({
      raw: message.raw.length,
      vias: message.via.length,
      lastReceived: message.via.at(-1)?.received,
      viaHosts: message.via.map((via) => via.host).join(' '),
      toDisplayName: message.to?.wildcard === false && message.to.displayName,
      toPort: message.to?.wildcard === false && sipUri(message.to.uriText)['port'],
    }),
    values: {
      raw: 3515,
      vias: 34,
      lastReceived: '192.0.2.5',
      viaHosts: [
        ...Array.from({ length: 33 }, (_, index) => `sip${33 - index}.example.com`),
        'host.example.com',
      ].join(' '),
      toDisplayName:
        'I have a user name of extremeextremeextremeextremeextremeextremeextremeextremeextremeextreme proportion',
      toPort: 6000,
    },
  },
  // §3.1.1.8: a REGISTER with Content-Length 0, then 450 octets to ignore
  'dblreq.dat': {
    kind: 'parse',
    start: 'REGISTER sip:example.com SIP/2.0',
    callId: 'dblreq.0ha0isndaksdj99sdfafnl3lk233412',
    body: 0,
    read: (message) => ({ raw: message.raw.length, contentLength: message.contentLength }),
    values: { raw: 750 - 450, contentLength: 0 },
  },
  // §3.1.1.9: ";" in the user part
  'semiuri.dat': {
    kind: 'parse',
    start: 'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
    callId: 'semiuri.0ha0isndaksdj',
    body: 0,
    read: (message) => ({ requestUri: message.type === 'request' && sipUri(message.uri) }),
    values: {
      requestUri: {
        user: 'user;par=u@example.net',
        host: 'example.com',
        port: undefined,
        params: [],
        headers: [],
      },
    },
  },
  // §3.1.1.10: five transports, one unknown
  'transports.dat': {
    kind: 'parse',
    start: 'OPTIONS sip:user@example.com SIP/2.0',
    callId: 'transports.kijh4akdnaqjkwendsasfdj',
    body: 0,
    read: (message) => ({ transports: message.via.map((via) => via.transport) }),
    values: { transports: ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP'] },
  },
  // §3.1.1.11: a multipart body with NUL bytes, framed by Content-Length only
  'mpart01.dat': {
    kind: 'parse',
    start: 'MESSAGE sip:kumiko@example.org SIP/2.0',
    callId: '3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..',
    body: 553,
    read: (message) => ({
      contentType: message.contentType && [
        message.contentType.type,
        message.contentType.subtype,
        [...message.contentType.params],
      ],
      nulBytes: message.body.filter((byte) => byte === 0).length,
      sha256: createHash('sha256').update(message.body).digest('hex'),
      rport: message.via[0]?.rport,
    }),
    values: {
      contentType: ['multipart', 'mixed', [['boundary', '7a9cbec02ceef655']]],
      nulBytes: 2,
      // computed from the archive member's bytes after the empty line
      sha256: 'fe819b3fdccb4dbb4dc3be33fed48e7196401676b993cb42201dc0e38f43d88c',
      rport: true,
    },
  },
  // §3.1.1.12: raw UTF-8 and symbols in the Reason-Phrase
  'unreason.dat': {
    kind: 'parse',
    start: 'SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое',
    callId: 'unreason.1234ksdfak3j2erwedfsASdf',
    body: 154,
    read: (message) => ({ status: message.type === 'response' && message.status }),
    values: { status: 200 },
  },
  // §3.1.1.13: the SP after the code, then nothing
  'noreason.dat': {
    kind: 'parse',
    start: 'SIP/2.0 100 ',
    callId: 'noreason.asndj203insdf99223ndf',
    body: 0,
    read: (message) => ({ reason: message.type === 'response' && message.reason }),
    values: { reason: '' },
  },
  // §3.1.2.1: empty Via and Contact list elements and parameters
  'badinv01.dat': {
    kind: 'accessor-rejects',
    start: 'INVITE sip:user@example.com SIP/2.0',
    callId: 'badinv01.0ha0isndaksdjasdf3234nas',
    body: 152,
    rejects: { via: 'INVALID_HEADER_VALUE@221', contact: 'INVALID_PARAMETER@261' },
  },
  // §3.1.2.2: Content-Length 9999 for 154 octets
  'clerr.dat': { kind: 'reject', error: 'CONTENT_LENGTH_EXCEEDS_DATAGRAM@336' },
  // §3.1.2.3: Content-Length -999, at its "-"
  'ncl.dat': { kind: 'reject', error: 'INVALID_CONTENT_LENGTH@326' },
  // §3.1.2.4: overlarge CSeq (reject 400), Max-Forwards, Expires; no overflow
  'scalar02.dat': {
    kind: 'accessor-rejects',
    start: 'REGISTER sip:example.com SIP/2.0',
    callId: 'scalar02.23o0pd9vanlq3wnrlnewofjas9ui32',
    body: 0,
    rejects: {
      cseq: 'NUMBER_OUT_OF_RANGE@174',
      maxForwards: 'NUMBER_OUT_OF_RANGE@269',
      expires: 'NUMBER_OUT_OF_RANGE@283',
    },
  },
  // §3.1.2.5: overlarge CSeq in a response
  'scalarlg.dat': {
    kind: 'accessor-rejects',
    start: 'SIP/2.0 503 Service Unavailable',
    callId: 'scalarlg.noase0of0234hn2qofoaf0232aewf2394r',
    body: 0,
    rejects: { cseq: 'NUMBER_OUT_OF_RANGE@198' },
  },
  // §3.1.2.6: the To display name's quote never closes
  'quotbal.dat': {
    kind: 'accessor-rejects',
    start: 'INVITE sip:user@example.com SIP/2.0',
    callId: 'quotbal.aksdj',
    body: 152,
    rejects: { to: 'INVALID_QUOTED_STRING@41' },
  },
  // §3.1.2.7: "<" opens the Request-URI
  'ltgtruri.dat': { kind: 'reject', error: 'INVALID_REQUEST_URI@7' },
  // §3.1.2.8: an SP inside the Request-URI ("sip:user@example.com; lr")
  'lwsruri.dat': { kind: 'reject', error: 'INVALID_REQUEST_URI@28' },
  // §3.1.2.9: two SPs after the method
  'lwsstart.dat': { kind: 'reject', error: 'INVALID_START_LINE@7' },
  // §3.1.2.10: two SPs after SIP/2.0: the first of them
  'trws.dat': { kind: 'reject', error: 'INVALID_START_LINE@45' },
  // §3.1.2.11: ?headers in the Request-URI: read it and it is refused
  'escruri.dat': {
    kind: 'accessor-rejects',
    start: 'INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0',
    callId: 'escruri.23940-asdfhj-aje3br-234q098w-fawerh2q-h4n5',
    body: SDP_150,
    rejects: { requestUri: 'INVALID_REQUEST_URI@27' },
  },
  // §3.1.2.12: Date in EST, not GMT. An element may ignore it: the parser keeps it byte-exact
  // and validate flags it (SHOULD INVALID_DATE, RFC 3261 §20.17)
  'baddate.dat': {
    kind: 'semantic',
    start: 'INVITE sip:user@example.com SIP/2.0',
    callId: 'baddate.239423mnsadf3j23lj42--sedfnm234',
    body: SDP_150,
    read: (message) => ({ date: header(message, 'Date') }),
    values: { date: ['Fri, 01 Jan 2010 16:00:00 EST'] },
  },
  // §3.1.2.13: an addr-spec Contact with ?headers must be in <>
  'regbadct.dat': {
    kind: 'accessor-rejects',
    start: 'REGISTER sip:example.com SIP/2.0',
    callId: 'regbadct.k345asrl3fdbv@10.0.0.1',
    body: 0,
    rejects: { contact: 'INVALID_NAME_ADDR@265' },
  },
  // §3.1.2.14: spaces inside <>
  'badaspec.dat': {
    kind: 'accessor-rejects',
    start: 'OPTIONS sip:user@example.org SIP/2.0',
    callId: 'badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3',
    body: 0,
    rejects: { to: 'INVALID_URI@206' },
  },
  // §3.1.2.15: the file ends after "l: 0" CRLF: the header section never closes (331 bytes).
  // With allowUnterminatedHeaders it parses and From/To are refused: see the test below.
  'baddn.dat': { kind: 'reject', error: 'INCOMPLETE_MESSAGE@331' },
  // §3.1.2.16: SIP/7.0 is reported, the validator answers 505
  'badvers.dat': {
    kind: 'semantic',
    start: 'OPTIONS sip:t.watson@example.org SIP/7.0',
    callId: 'badvers.31417@c.example.com',
    body: 0,
  },
  // §3.1.2.17, §3.1.2.18: CSeq method differs from the request method
  'mismatch01.dat': {
    kind: 'semantic',
    start: 'OPTIONS sip:user@example.com SIP/2.0',
    callId: 'mismatch01.dj0234sxdfl3',
    body: 0,
    read: (message) => ({ cseq: message.cseq }),
    values: { cseq: { seq: 8, method: 'INVITE' } },
  },
  'mismatch02.dat': {
    kind: 'semantic',
    start: 'NEWMETHOD sip:user@example.com SIP/2.0',
    callId: 'mismatch02.dj0234sxdfl3',
    body: 138,
    read: (message) => ({ cseq: message.cseq }),
    values: { cseq: { seq: 8, method: 'INVITE' } },
  },
  // §3.1.2.19: status code 4294967301
  'bigcode.dat': { kind: 'reject', error: 'INVALID_STATUS_CODE@8' },
  // §3.2.1: branch is exactly the magic cookie
  'badbranch.dat': {
    kind: 'parse',
    start: 'OPTIONS sip:user@example.com SIP/2.0',
    callId: 'badbranch.sadonfo23i420jv0as0derf3j3n',
    body: 0,
    read: (message) => ({ branch: message.via[0]?.branch }),
    values: { branch: 'z9hG4bK' },
  },
  // §3.3.1: no Call-ID, From, To, Max-Forwards
  'insuf.dat': {
    kind: 'semantic',
    start: 'INVITE sip:user@example.com SIP/2.0',
    callId: undefined,
    body: 152,
    read: (message) => ({ from: message.from, to: message.to, maxForwards: message.maxForwards }),
    values: { from: undefined, to: undefined, maxForwards: undefined },
  },
  // §3.3.2, §3.3.3: schemes other than sip kept opaque
  'unkscm.dat': {
    kind: 'parse',
    start: 'OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0',
    callId: 'unkscm.nasdfasser0q239nwsdfasdkl34',
    body: 0,
    read: (message) => ({ requestUri: message.type === 'request' && message.requestUri }),
    values: {
      requestUri: {
        kind: 'opaque',
        scheme: 'nobodyknowsthisscheme',
        raw: 'nobodyKnowsThisScheme:totallyopaquecontent',
      },
    },
  },
  'novelsc.dat': {
    kind: 'parse',
    start: 'OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0',
    callId: 'novelsc.asdfasser0q239nwsdfasdkl34',
    body: 0,
    read: (message) => ({ requestUri: message.type === 'request' && message.requestUri }),
    values: {
      requestUri: { kind: 'opaque', scheme: 'soap.beep', raw: 'soap.beep://192.0.2.103:3002' },
    },
  },
  // §3.3.4: unknown schemes in To, From, Contact; a registrar refuses (validator)
  'unksm2.dat': {
    kind: 'semantic',
    start: 'REGISTER sip:example.com SIP/2.0',
    callId: 'unksm2.daksdj@hyphenated-host.example.com',
    body: 0,
    read: (message) => ({
      to: message.to?.wildcard === false && message.to.uriText,
      from: message.from?.wildcard === false && message.from.uriText,
      contact: message.contact.map((value) => !value.wildcard && value.uriText),
    }),
    values: { to: 'isbn:2983792873', from: 'http://www.example.com', contact: ['name:John_Smith'] },
  },
  // §3.3.5: unknown option tags, for a 420 with Unsupported
  'bext01.dat': {
    kind: 'parse',
    start: 'OPTIONS sip:user@example.com SIP/2.0',
    callId: 'bext01.0ha0isndaksdj',
    body: 0,
    read: (message) => ({
      require: message.require,
      proxyRequire: header(message, 'Proxy-Require'),
    }),
    values: {
      require: ['nothingSupportsThis', 'nothingSupportsThisEither'],
      proxyRequire: ['noProxiesSupportThis, norDoAnyProxiesSupportThis'],
    },
  },
  // §3.3.6: unknown Content-Type, for a 415
  'invut.dat': {
    kind: 'parse',
    start: 'INVITE sip:user@example.com SIP/2.0',
    callId: 'invut.0ha0isndaksdjadsfij34n23d',
    body: 40,
    read: (message) => ({
      contentType:
        message.contentType && `${message.contentType.type}/${message.contentType.subtype}`,
    }),
    values: { contentType: 'application/unknownformat' },
  },
  // §3.3.7: unknown Authorization scheme kept opaque; "Content-Length:0" with no space
  'regaut01.dat': {
    kind: 'parse',
    start: 'REGISTER sip:example.com SIP/2.0',
    callId: 'regaut01.0ha0isndaksdj',
    body: 0,
    read: (message) => ({
      authorization: header(message, 'Authorization'),
      contentLength: message.contentLength,
    }),
    values: { authorization: ['NoOneKnowsThisScheme opaque-data=here'], contentLength: 0 },
  },
  // §3.3.8: single-valued headers repeated
  'multi01.dat': {
    kind: 'semantic',
    start: 'INVITE sip:user@company.com SIP/2.0',
    callId: 'multi01.98asdh@192.0.2.1',
    body: 154,
    read: (message) => ({ callIds: header(message, 'Call-ID'), cseqs: header(message, 'CSeq') }),
    values: {
      callIds: ['multi01.98asdh@192.0.2.1', 'multi01.98asdh@192.0.2.2'],
      cseqs: ['5 INVITE', '59 INVITE'],
    },
  },
  // §3.3.9: Content-Length 13 and 5: a datagram keeps the rest of itself, the validator refuses
  'mcl01.dat': {
    kind: 'semantic',
    start: 'OPTIONS sip:user@example.com SIP/2.0',
    callId: 'mcl01.fhn2323orihawfdoa3o4r52o3irsdf',
    body: 67,
    read: (message) => ({ contentLengths: header(message, 'Content-Length') }),
    values: { contentLengths: ['13', '5'] },
  },
  // §3.3.10: a broadcast sent-by, for the transport layer to drop
  'bcast.dat': {
    kind: 'parse',
    start: 'SIP/2.0 200 OK',
    callId: 'bcast.0384840201234ksdfak3j2erwedfsASdf',
    body: 154,
    read: (message) => ({ hosts: message.via.map((via) => via.host) }),
    values: { hosts: ['192.0.2.198', '255.255.255.255'] },
  },
  // §3.3.11: Max-Forwards 0 is legal
  'zeromf.dat': {
    kind: 'parse',
    start: 'OPTIONS sip:user@example.com SIP/2.0',
    callId: 'zeromf.jfasdlfnm2o2l43r5u0asdfas',
    body: 0,
    read: (message) => ({ maxForwards: message.maxForwards }),
    values: { maxForwards: 0 },
  },
  // §3.3.12: without <>, ;unknownparam belongs to the Contact header
  'cparam01.dat': {
    kind: 'parse',
    start: 'REGISTER sip:example.com SIP/2.0',
    callId: 'cparam01.70710@saturn.example.com',
    body: 0,
    read: (message) => ({ contact: message.contact.map(nameAddr) }),
    values: {
      contact: [
        {
          displayName: undefined,
          uri: 'sip:+19725552222@gw1.example.net',
          params: [['unknownparam', undefined]],
          tag: undefined,
        },
      ],
    },
  },
  // §3.3.13: inside <>, ;unknownparam belongs to the URI
  'cparam02.dat': {
    kind: 'parse',
    start: 'REGISTER sip:example.com SIP/2.0',
    callId: 'cparam02.70710@saturn.example.com',
    body: 0,
    read: (message) => ({ contact: message.contact.map(nameAddr) }),
    values: {
      contact: [
        {
          displayName: undefined,
          uri: 'sip:+19725552222@gw1.example.net;unknownparam',
          params: [],
          tag: undefined,
        },
      ],
    },
  },
  // §3.3.14: an escaped header in a Contact URI, compact M and L
  'regescrt.dat': {
    kind: 'parse',
    start: 'REGISTER sip:example.com SIP/2.0',
    callId: 'regescrt.k345asrl3fdbv@192.0.2.1',
    body: 0,
    read: (message) => ({
      contact: message.contact.map((value) => !value.wildcard && sipUri(value.uriText)['headers']),
    }),
    values: { contact: [[['Route', '<sip:sip.example.com>']]] },
  },
  // §3.3.15: an Accept without application/sdp, for a 406
  'sdp01.dat': {
    kind: 'parse',
    start: 'INVITE sip:user@example.com SIP/2.0',
    callId: 'sdp01.ndaksdj9342dasdd',
    body: SDP_150,
    read: (message) => ({ accept: header(message, 'Accept') }),
    values: { accept: ['text/nobodyKnowsThis'] },
  },
  // §3.4.1: RFC 2543 syntax: no branch, no tag, no Max-Forwards, no Content-Length (the rest of the datagram)
  'inv2543.dat': {
    kind: 'parse',
    start: 'INVITE sip:UserB@example.com SIP/2.0',
    callId: 'inv2543.1717@ift.client.example.com',
    body: 105,
    read: (message) => ({
      branch: message.via[0]?.branch,
      fromTag: message.from?.wildcard === false && message.from.tag,
      maxForwards: message.maxForwards,
      contentLength: message.contentLength,
    }),
    values: {
      branch: undefined,
      fromTag: undefined,
      maxForwards: undefined,
      contentLength: undefined,
    },
  },
  // not an RFC 4475 case: the Request-Line has no SIP-Version (where its SP should be)
  'test.dat': { kind: 'reject', error: 'INVALID_START_LINE@26' },
};

function startLine(message: ParsedMessage): string {
  return message.type === 'request'
    ? `${message.method} ${message.uri} ${message.version}`
    : `${message.version} ${message.status} ${message.reason}`;
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

/** What actually happens to a file, in the shape of its expectation. */
function outcome(bytes: Uint8Array, expected: Expectation, options?: DatagramOptions): unknown {
  let message: ParsedMessage;
  try {
    message = parseDatagram(bytes, options);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { kind: 'reject', error: `${error.code}@${error.offset}` };
  }
  if (expected.kind === 'reject') return { kind: 'parse', start: startLine(message) };
  const actual: Record<string, unknown> = {
    kind: expected.kind,
    start: startLine(message),
    callId: message.callId,
    body: message.body.length,
  };
  if (expected.read !== undefined) actual['values'] = expected.read(message);
  if (expected.kind === 'accessor-rejects') {
    actual['rejects'] = Object.fromEntries(
      Object.keys(expected.rejects).map((name) => [
        name,
        errorAt(() => (message as unknown as Record<string, unknown>)[name]),
      ]),
    );
  }
  return actual;
}

function expectedOutcome(expected: Expectation): unknown {
  if (expected.kind === 'reject') return expected;
  const { read: _read, values, ...rest } = expected;
  return values === undefined ? rest : { ...rest, values };
}

function matches(actual: unknown, wanted: unknown): boolean {
  try {
    expect(actual).toEqual(wanted);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!sharedAvailable('corpus/rfc4475'))('parser over RFC 4475', () => {
  const files = readCorpus('corpus/rfc4475', '.dat');
  const index = readTsv('corpus/rfc4475/INDEX.tsv');

  it('has an expectation for exactly the 50 files (49 RFC messages and the extra test.dat)', () => {
    expect(files).toHaveLength(50);
    expect(Object.keys(EXPECTED).sort()).toEqual(files.map((file) => file.name));
  });

  it.each(files.map((file) => [file.name, file.bytes] as const))('%s', (name, bytes) => {
    const expected = EXPECTED[name];
    if (expected === undefined) throw new Error(`no expectation for ${name}`);
    expect(outcome(bytes, expected)).toEqual(expectedOutcome(expected));
  });

  it('parses every valid and valid-but-odd message of INDEX.tsv without an accessor refusing it', () => {
    const valid = index.filter(
      (row) => row['expected'] === 'valid' || row['expected'] === 'valid-but-odd',
    );
    expect(valid).toHaveLength(26);
    for (const row of valid) expect(EXPECTED[row['name'] ?? '']?.kind, row['name']).toBe('parse');
  });

  it('rejects or refuses (accessor or validator) every invalid message of INDEX.tsv', () => {
    const invalid = index.filter(
      (row) => row['expected'] === 'invalid-syntax' || row['expected'] === 'semantically-invalid',
    );
    expect(invalid).toHaveLength(24);
    for (const row of invalid) {
      const kind = EXPECTED[row['name'] ?? '']?.kind;
      expect(['reject', 'accessor-rejects', 'semantic'], row['name']).toContain(kind);
    }
  });

  it('baddn.dat with allowUnterminatedHeaders: parses, and From and To refuse the unquoted commas', () => {
    const file = files.find((entry) => entry.name === 'baddn.dat');
    if (file === undefined) throw new Error('baddn.dat missing');
    const expected: Expectation = {
      kind: 'accessor-rejects',
      start: 'OPTIONS sip:t.watson@example.org SIP/2.0',
      callId: 'baddn.31415@c.example.com',
      body: 0,
      rejects: { from: 'INVALID_NAME_ADDR@139', to: 'INVALID_NAME_ADDR@201' },
    };
    expect(outcome(file.bytes, expected, { allowUnterminatedHeaders: true })).toEqual(
      expectedOutcome(expected),
    );
  });

  it('under the interop profile: only lwsstart, trws and baddn change, each read through its reported leniency', () => {
    const changed: Record<string, string[]> = {};
    for (const file of files) {
      const expected = EXPECTED[file.name];
      if (expected === undefined) throw new Error(file.name);
      const interop = outcome(file.bytes, expected, { profile: 'interop' });
      if (matches(interop, expectedOutcome(expected))) continue;
      const message = parseDatagram(file.bytes, { profile: 'interop' });
      changed[file.name] = message.leniencies.map((used) => `${used.code}@${used.offset}`);
    }
    // the strict refusals were INVALID_START_LINE@7, @45 and INCOMPLETE_MESSAGE@331
    expect(changed).toEqual({
      'baddn.dat': ['UNTERMINATED_HEADERS@331'],
      'lwsstart.dat': ['REQUEST_LINE_SPACES@7'],
      'trws.dat': ['REQUEST_LINE_SPACES@45'],
    });
  });

  it('reports the conformance count', () => {
    let asExpected = 0;
    for (const file of files) {
      const expected = EXPECTED[file.name];
      if (
        expected !== undefined &&
        matches(outcome(file.bytes, expected), expectedOutcome(expected))
      )
        asExpected++;
    }
    console.log(
      `RFC 4475: ${asExpected}/${files.length} files as expected (49 RFC messages + test.dat)`,
    );
    expect(asExpected).toBe(files.length);
  });
});
