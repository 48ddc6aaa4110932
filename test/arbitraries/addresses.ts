/**
 * fast-check generators of parsed URIs and name-addrs (the structured forms parseUri and
 * parseNameAddr return), for the format/parse round trips and the request builders.
 */
import fc from 'fast-check';
import type { NameAddr, SipUri } from '../../src/message/index.js';
import { hostArbitrary, tokenArbitrary } from './requests.js';

/** Text of any Unicode characters but CR and LF (which no quoted-string or escape keeps). */
const textArbitrary = (minLength: number): fc.Arbitrary<string> =>
  fc
    .string({ unit: 'grapheme', minLength, maxLength: 8 })
    .map((text) => text.replace(/[\r\n]/g, ''))
    .filter((text) => text.length >= minLength);

/** A host: a name, an IPv4 address or an IPv6 reference. */
const anyHostArbitrary: fc.Arbitrary<string> = fc.oneof(
  hostArbitrary,
  fc.nat(0xffff).map((n) => `[2001:db8::${n.toString(16)}]`),
);

const lowerToken = tokenArbitrary.map((token) => token.toLowerCase());

/**
 * A SIP or SIPS URI as parseUri returns it (without `raw`, which the caller fills): any text
 * in user, password, parameter values and headers, which formatUri must escape.
 * @param options - `requestUri`: no headers part and no method parameter (RFC 3261 §19.1.1)
 */
export function sipUriPartsArbitrary(
  options: { requestUri?: boolean; withUser?: boolean } = {},
): fc.Arbitrary<Omit<SipUri, 'raw'>> {
  return fc
    .record({
      scheme: fc.constantFrom('sip' as const, 'sips' as const),
      user:
        options.withUser === false
          ? fc.constant(undefined)
          : fc.option(textArbitrary(1), { nil: undefined }),
      password: fc.option(textArbitrary(0), { nil: undefined }),
      host: anyHostArbitrary,
      port: fc.option(fc.nat(65535), { nil: undefined }),
      params: fc.uniqueArray(
        fc.tuple(
          fc.oneof(
            lowerToken,
            textArbitrary(1).map((text) => text.toLowerCase()),
          ),
          fc.option(textArbitrary(1), { nil: undefined }),
        ),
        { maxLength: 3, selector: ([name]) => name },
      ),
      headers: options.requestUri
        ? fc.constant([] as [string, string][])
        : fc.uniqueArray(fc.tuple(textArbitrary(1), textArbitrary(0)), {
            maxLength: 2,
            selector: ([name]) => name,
          }),
    })
    .map((parts) => ({
      kind: 'sip' as const,
      scheme: parts.scheme,
      ...(parts.user !== undefined && { user: parts.user }),
      ...(parts.user !== undefined && parts.password !== undefined && { password: parts.password }),
      host: parts.host,
      ...(parts.port !== undefined && { port: parts.port }),
      params: new Map(
        parts.params.filter(
          ([name]) => !(options.requestUri && name === 'method') && name === name.toLowerCase(),
        ),
      ),
      headers: new Map(parts.headers),
    }));
}

/** A name-addr as parseNameAddr returns it, without its URI texts. */
export const nameAddrPartsArbitrary: fc.Arbitrary<{
  displayName: string | undefined;
  uri: Omit<SipUri, 'raw'>;
  params: Map<string, string | undefined>;
  tag: string | undefined;
}> = fc.record({
  displayName: fc.option(textArbitrary(0), { nil: undefined }),
  uri: sipUriPartsArbitrary(),
  params: fc
    .uniqueArray(
      fc.tuple(
        lowerToken.filter((name) => name !== 'tag'),
        fc.option(fc.oneof(tokenArbitrary, textArbitrary(0)), { nil: undefined }),
      ),
      { maxLength: 3, selector: ([name]) => name },
    )
    .map((entries) => new Map(entries)),
  tag: fc.option(tokenArbitrary, { nil: undefined }),
});

/** The NameAddr value of generated parts (URI `raw` and `uriText` set to `text`). */
export function nameAddrOf(
  parts: {
    displayName: string | undefined;
    uri: Omit<SipUri, 'raw'>;
    params: Map<string, string | undefined>;
    tag: string | undefined;
  },
  text = '',
): NameAddr {
  const params = new Map(parts.params);
  if (parts.tag !== undefined) params.set('tag', parts.tag);
  return {
    wildcard: false,
    ...(parts.displayName !== undefined && { displayName: parts.displayName }),
    uri: { ...parts.uri, raw: text },
    uriText: text,
    params,
    ...(parts.tag !== undefined && { tag: parts.tag }),
  };
}
