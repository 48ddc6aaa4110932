/**
 * The header table: one row per header field sipwire knows, with its canonical spelling,
 * its compact form and how repeated values combine. It drives the parser (compact →
 * canonical, case-insensitive match), the serializer (canonical spelling) and the
 * validator (repeats of a single-valued header).
 */

/**
 * How a header's values combine (RFC 3261 §7.3, §7.3.1):
 * - `list`: `name HCOLON value *(COMMA value)`; may repeat and be combined with commas.
 * - `single`: at most one per message (commas inside it are not separators).
 * - `repeatable`: may repeat, but its values hold commas and MUST NOT be combined.
 */
export type HeaderKind = 'list' | 'single' | 'repeatable';

/** One row of the header table. */
export interface HeaderDefinition {
  /** Canonical spelling, as the defining RFC writes it. */
  readonly name: string;
  /** Registered compact form (RFC 3261 §7.3.3), lower case. */
  readonly compact?: string;
  readonly kind: HeaderKind;
  /** Defining document. */
  readonly source: string;
}

/** Rows sorted by canonical name. */
export const HEADER_DEFINITIONS = [
  { name: 'Accept', kind: 'list', source: 'RFC 3261 §20.1' },
  { name: 'Accept-Contact', compact: 'a', kind: 'list', source: 'RFC 3841 §12' },
  { name: 'Accept-Encoding', kind: 'list', source: 'RFC 3261 §20.2' },
  { name: 'Accept-Language', kind: 'list', source: 'RFC 3261 §20.3' },
  { name: 'Accept-Resource-Priority', kind: 'list', source: 'RFC 4412 §3.2' },
  { name: 'Alert-Info', kind: 'list', source: 'RFC 3261 §20.4' },
  { name: 'AlertMsg-Error', kind: 'single', source: 'RFC 8876 §5.2' },
  { name: 'Allow', kind: 'list', source: 'RFC 3261 §20.5' },
  { name: 'Allow-Events', compact: 'u', kind: 'list', source: 'RFC 6665 §8.2.2' },
  { name: 'Authentication-Info', kind: 'single', source: 'RFC 3261 §20.6' },
  { name: 'Authorization', kind: 'repeatable', source: 'RFC 3261 §20.7' },
  { name: 'Call-ID', compact: 'i', kind: 'single', source: 'RFC 3261 §20.8' },
  { name: 'Call-Info', kind: 'list', source: 'RFC 3261 §20.9' },
  { name: 'Contact', compact: 'm', kind: 'list', source: 'RFC 3261 §20.10' },
  { name: 'Content-Disposition', kind: 'single', source: 'RFC 3261 §20.11' },
  { name: 'Content-Encoding', compact: 'e', kind: 'list', source: 'RFC 3261 §20.12' },
  { name: 'Content-Language', kind: 'list', source: 'RFC 3261 §20.13' },
  { name: 'Content-Length', compact: 'l', kind: 'single', source: 'RFC 3261 §20.14' },
  { name: 'Content-Type', compact: 'c', kind: 'single', source: 'RFC 3261 §20.15' },
  { name: 'CSeq', kind: 'single', source: 'RFC 3261 §20.16' },
  { name: 'Date', kind: 'single', source: 'RFC 3261 §20.17' },
  { name: 'Error-Info', kind: 'list', source: 'RFC 3261 §20.18' },
  { name: 'Event', compact: 'o', kind: 'single', source: 'RFC 6665 §8.2.1' },
  { name: 'Expires', kind: 'single', source: 'RFC 3261 §20.19' },
  { name: 'Feature-Caps', kind: 'list', source: 'RFC 6809 §6' },
  { name: 'Flow-Timer', kind: 'single', source: 'RFC 5626 §11.2' },
  { name: 'From', compact: 'f', kind: 'single', source: 'RFC 3261 §20.20' },
  { name: 'Geolocation', kind: 'list', source: 'RFC 6442 §4.1' },
  { name: 'Geolocation-Error', kind: 'single', source: 'RFC 6442 §4.3' },
  { name: 'Geolocation-Routing', kind: 'single', source: 'RFC 6442 §4.2' },
  { name: 'Identity', compact: 'y', kind: 'repeatable', source: 'RFC 8224 §4' },
  { name: 'In-Reply-To', kind: 'list', source: 'RFC 3261 §20.21' },
  { name: 'Info-Package', kind: 'single', source: 'RFC 6086 §7.2' },
  { name: 'Max-Breadth', kind: 'single', source: 'RFC 5393 §5.8' },
  { name: 'Max-Forwards', kind: 'single', source: 'RFC 3261 §20.22' },
  { name: 'MIME-Version', kind: 'single', source: 'RFC 3261 §20.24' },
  { name: 'Min-Expires', kind: 'single', source: 'RFC 3261 §20.23' },
  { name: 'Min-SE', kind: 'single', source: 'RFC 4028 §5' },
  { name: 'Organization', kind: 'single', source: 'RFC 3261 §20.25' },
  { name: 'P-Asserted-Identity', kind: 'list', source: 'RFC 3325 §9.1' },
  { name: 'P-Preferred-Identity', kind: 'list', source: 'RFC 3325 §9.2' },
  { name: 'Path', kind: 'list', source: 'RFC 3327 §4' },
  { name: 'Permission-Missing', kind: 'list', source: 'RFC 5360 §5.9.3' },
  { name: 'Priority', kind: 'single', source: 'RFC 3261 §20.26' },
  { name: 'Privacy', kind: 'single', source: 'RFC 3323 §4.2' },
  { name: 'Proxy-Authenticate', kind: 'repeatable', source: 'RFC 3261 §20.27' },
  { name: 'Proxy-Authorization', kind: 'repeatable', source: 'RFC 3261 §20.28' },
  { name: 'Proxy-Require', kind: 'list', source: 'RFC 3261 §20.29' },
  { name: 'RAck', kind: 'single', source: 'RFC 3262 §7.2' },
  { name: 'Reason', kind: 'list', source: 'RFC 3326 §2' },
  { name: 'Record-Route', kind: 'list', source: 'RFC 3261 §20.30' },
  { name: 'Recv-Info', kind: 'list', source: 'RFC 6086 §7.3' },
  { name: 'Refer-To', compact: 'r', kind: 'single', source: 'RFC 3515 §2.1' },
  { name: 'Referred-By', compact: 'b', kind: 'single', source: 'RFC 3892 §3' },
  { name: 'Reject-Contact', compact: 'j', kind: 'list', source: 'RFC 3841 §12' },
  { name: 'Replaces', kind: 'single', source: 'RFC 3891 §6.1' },
  { name: 'Reply-To', kind: 'single', source: 'RFC 3261 §20.31' },
  { name: 'Request-Disposition', compact: 'd', kind: 'list', source: 'RFC 3841 §12' },
  { name: 'Require', kind: 'list', source: 'RFC 3261 §20.32' },
  { name: 'Resource-Priority', kind: 'list', source: 'RFC 4412 §3.1' },
  { name: 'Retry-After', kind: 'single', source: 'RFC 3261 §20.33' },
  { name: 'Route', kind: 'list', source: 'RFC 3261 §20.34' },
  { name: 'RSeq', kind: 'single', source: 'RFC 3262 §7.1' },
  { name: 'Security-Client', kind: 'list', source: 'RFC 3329 §2.2' },
  { name: 'Security-Server', kind: 'list', source: 'RFC 3329 §2.2' },
  { name: 'Security-Verify', kind: 'list', source: 'RFC 3329 §2.2' },
  { name: 'Server', kind: 'single', source: 'RFC 3261 §20.35' },
  { name: 'Service-Route', kind: 'list', source: 'RFC 3608 §5' },
  { name: 'Session-Expires', compact: 'x', kind: 'single', source: 'RFC 4028 §4' },
  { name: 'SIP-ETag', kind: 'single', source: 'RFC 3903 §11.3.1' },
  { name: 'SIP-If-Match', kind: 'single', source: 'RFC 3903 §11.3.2' },
  { name: 'Subject', compact: 's', kind: 'single', source: 'RFC 3261 §20.36' },
  { name: 'Subscription-State', kind: 'single', source: 'RFC 6665 §8.2.3' },
  { name: 'Supported', compact: 'k', kind: 'list', source: 'RFC 3261 §20.37' },
  { name: 'Timestamp', kind: 'single', source: 'RFC 3261 §20.38' },
  { name: 'To', compact: 't', kind: 'single', source: 'RFC 3261 §20.39' },
  { name: 'Unsupported', kind: 'list', source: 'RFC 3261 §20.40' },
  { name: 'User-Agent', kind: 'single', source: 'RFC 3261 §20.41' },
  { name: 'Via', compact: 'v', kind: 'list', source: 'RFC 3261 §20.42' },
  { name: 'Warning', kind: 'list', source: 'RFC 3261 §20.43' },
  { name: 'WWW-Authenticate', kind: 'repeatable', source: 'RFC 3261 §20.44' },
] as const;
HEADER_DEFINITIONS satisfies readonly HeaderDefinition[];

/** Canonical spelling of every header in the table. */
export type KnownHeaderName = (typeof HEADER_DEFINITIONS)[number]['name'];

const definitionByLowerName = new Map<string, HeaderDefinition>();
/**
 * The same rows under the spellings met on every call (the canonical one, lower case, the
 * compact form): found without lower-casing the name first.
 */
const definitionBySpelling = new Map<string, HeaderDefinition>();
for (const definition of HEADER_DEFINITIONS as readonly HeaderDefinition[]) {
  definitionByLowerName.set(definition.name.toLowerCase(), definition);
  if (definition.compact !== undefined) definitionByLowerName.set(definition.compact, definition);
}
for (const [spelling, definition] of definitionByLowerName) {
  definitionBySpelling.set(spelling, definition);
  definitionBySpelling.set(definition.name, definition);
}

/**
 * The table row for a header name as received: any case, long or compact form.
 * @param name - a header name, e.g. `v`, `VIA`, `Call-Id`
 * @returns the row, or undefined for a header the table does not know
 */
export function headerDefinition(name: string): HeaderDefinition | undefined {
  return definitionBySpelling.get(name) ?? definitionByLowerName.get(name.toLowerCase());
}

/**
 * The canonical spelling of a header name: `v` → `Via`, `call-id` → `Call-ID`. Names the
 * table does not know come back unchanged (they are case-insensitive all the same).
 * @param name - a header name as received
 * @returns the canonical spelling, or `name` itself
 */
export function canonicalHeaderName(name: string): string {
  return headerDefinition(name)?.name ?? name;
}

/**
 * Whether two header names denote the same header (case-insensitive, compact = long form).
 * @param a - a header name
 * @param b - another header name
 * @returns true when both name the same header
 */
export function isSameHeaderName(a: string, b: string): boolean {
  return canonicalHeaderName(a).toLowerCase() === canonicalHeaderName(b).toLowerCase();
}
