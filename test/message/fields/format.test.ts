import { describe, expect, it } from 'vitest';
import {
  formatNameAddr,
  formatUri,
  type NameAddr,
  parseNameAddr,
  parseUri,
  splitHeaderList,
} from '../../../src/message/fields/index.js';
import { parseDatagram } from '../../../src/parse/index.js';
import { readCorpus } from '../../helpers/corpus.js';
import { nameAddrShape, uriShape } from '../../helpers/shapes.js';
import { sharedAvailable } from '../../helpers/shared.js';

describe('formatUri', () => {
  it('writes the parts back, escaping what each part may not hold', () => {
    const uri = parseUri(
      'SIP:Alice%40Home:p%3Ass@Example.COM:5070;Transport=TCP;lr?Subject=a%20b&X=1',
    );
    expect(formatUri(uri)).toBe(
      'sip:Alice%40Home:p%3Ass@example.com:5070;transport=TCP;lr?Subject=a%20b&X=1',
    );
    expect(uriShape(parseUri(formatUri(uri)))).toEqual(uriShape(uri));
  });

  it('escapes non-ASCII user text as UTF-8 and keeps IPv6 references', () => {
    const uri = parseUri('sip:j%C3%BCrgen%25@[2001:db8::1]');
    expect(formatUri(uri)).toBe('sip:j%C3%BCrgen%25@[2001:db8::1]');
  });

  it('writes other schemes as they were', () => {
    expect(formatUri(parseUri('tel:+1-201-555-0123;phone-context=example.com'))).toBe(
      'tel:+1-201-555-0123;phone-context=example.com',
    );
  });
});

describe('formatNameAddr', () => {
  it('writes token and quoted display names, the URI in <> and the parameters', () => {
    expect(formatNameAddr(parseNameAddr('Bob <sip:bob@biloxi.com>;tag=a6c85cf'))).toBe(
      'Bob <sip:bob@biloxi.com>;tag=a6c85cf',
    );
    expect(formatNameAddr(parseNameAddr('"J \\"R\\"" <sip:j@e.com>;x="a b";lr'))).toBe(
      '"J \\"R\\"" <sip:j@e.com>;x="a b";lr',
    );
    expect(formatNameAddr(parseNameAddr('sip:a@b.com;tag=1'))).toBe('<sip:a@b.com>;tag=1');
    expect(formatNameAddr(parseNameAddr('"" <sip:a@b.com>'))).toBe('"" <sip:a@b.com>');
    expect(formatNameAddr(parseNameAddr('*'))).toBe('*');
  });
});

const CORPORA = [
  ['corpus/real', '.sip'],
  ['corpus/rfc4475', '.dat'],
  ['corpus/rfc5118', '.dat'],
] as const;
const ADDRESS_HEADERS = ['From', 'To', 'Contact', 'Route', 'Record-Route', 'Reply-To'];

describe.skipIf(!sharedAvailable('corpus'))('format round trips over the corpora', () => {
  it('parse(format(x)) equals x for every URI and name-addr that parses', () => {
    let uris = 0;
    let nameAddrs = 0;
    for (const [folder, extension] of CORPORA) {
      for (const file of readCorpus(folder, extension)) {
        let message: ReturnType<typeof parseDatagram>;
        try {
          message = parseDatagram(file.bytes);
        } catch {
          continue; // files meant to fail
        }
        if (message.type === 'request') {
          try {
            const uri = parseUri(message.uri);
            expect(uriShape(parseUri(formatUri(uri))), file.name).toEqual(uriShape(uri));
            uris++;
          } catch (error) {
            if (error instanceof Error && error.name === 'AssertionError') throw error;
          }
        }
        for (const field of message.headers) {
          if (!ADDRESS_HEADERS.includes(field.name)) continue;
          let values: NameAddr[];
          try {
            values = splitHeaderList(field.value).map(parseNameAddr);
          } catch {
            continue; // malformed on purpose
          }
          for (const value of values) {
            const text = formatNameAddr(value);
            expect(nameAddrShape(parseNameAddr(text)), `${file.name}: ${text}`).toEqual(
              nameAddrShape(value),
            );
            nameAddrs++;
          }
        }
      }
    }
    expect(uris).toBeGreaterThan(50);
    expect(nameAddrs).toBeGreaterThan(200);
  });
});
