/**
 * Parsed URIs and name-addrs without their raw texts: what a format/parse round trip keeps.
 */
import type { NameAddr, Uri } from '../../src/message/index.js';

/** A URI without its `raw` text. */
export function uriShape(uri: Uri): unknown {
  const { raw: _raw, ...rest } = uri;
  return rest;
}

/** A name-addr without its URI texts. */
export function nameAddrShape(value: NameAddr): unknown {
  if (value.wildcard) return value;
  const { uri, uriText: _text, ...rest } = value;
  return { ...rest, uri: uriShape(uri) };
}
