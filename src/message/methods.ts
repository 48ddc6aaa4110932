/**
 * The method table: one row per request method sipwire builds (RFC 3261 and the extensions
 * registered with IANA), with its defining RFC, the headers a request of that method must
 * carry, and whether its 2xx creates a dialog. buildRequest and the in-dialog builder read it;
 * nothing else lists methods by hand.
 */

/** One header a method's requests must carry, with the sentence behind it. */
export interface MethodHeaderRule {
  /** Canonical header name, as in the header table. */
  readonly header: string;
  /** The RFC section that asks for it. */
  readonly source: string;
}

/** One row of the method table. */
export interface MethodDefinition {
  /** The method token, case-sensitive (RFC 3261 §7.1). */
  readonly method: string;
  /** The defining document. */
  readonly source: string;
  /** Headers every request of this method MUST carry, besides the mandatory six (§8.1.1). */
  readonly requires: readonly MethodHeaderRule[];
  /** Headers a request of this method MUST NOT carry. */
  readonly forbids: readonly MethodHeaderRule[];
  /** Whether a 2xx to it creates a dialog (RFC 3261 §12.1; RFC 6665 §4.1.2.1; RFC 3515 §2.4.4). */
  readonly createsDialog: boolean;
  /** Whether its Request-URI MUST NOT carry a user part (REGISTER, RFC 3261 §10.2). */
  readonly requestUriWithoutUser: boolean;
  /** Whether it starts a transaction of its own and takes a fresh CSeq in a dialog (not ACK, CANCEL; §12.2.1.1). */
  readonly incrementsCSeq: boolean;
}

/**
 * Rows sorted by method name. RFC 3261 §8.1.1.8: a request that can establish a dialog MUST
 * carry exactly one Contact, hence the Contact rows.
 */
export const METHOD_DEFINITIONS = [
  {
    method: 'ACK',
    source: 'RFC 3261 §13.2.2.4, §17.1.1.3',
    requires: [],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: false,
  },
  {
    method: 'BYE',
    source: 'RFC 3261 §15.1.1',
    requires: [],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'CANCEL',
    source: 'RFC 3261 §9.1',
    requires: [],
    // RFC 3261 §8.2.2.3: Require and Proxy-Require MUST NOT be used in a CANCEL
    forbids: [
      { header: 'Require', source: 'RFC 3261 §8.2.2.3' },
      { header: 'Proxy-Require', source: 'RFC 3261 §8.2.2.3' },
    ],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: false,
  },
  {
    method: 'INFO',
    source: 'RFC 6086 §4.2',
    requires: [],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'INVITE',
    source: 'RFC 3261 §13.2.1',
    requires: [{ header: 'Contact', source: 'RFC 3261 §8.1.1.8' }],
    forbids: [],
    createsDialog: true,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'MESSAGE',
    source: 'RFC 3428 §4',
    requires: [],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'NOTIFY',
    source: 'RFC 6665 §4.1.3',
    requires: [
      { header: 'Event', source: 'RFC 6665 §8.2.1' },
      { header: 'Subscription-State', source: 'RFC 6665 §4.1.3' },
      { header: 'Contact', source: 'RFC 3261 §8.1.1.8' },
    ],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'OPTIONS',
    source: 'RFC 3261 §11.1',
    requires: [],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'PRACK',
    source: 'RFC 3262 §7.1',
    requires: [{ header: 'RAck', source: 'RFC 3262 §7.2' }],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'PUBLISH',
    source: 'RFC 3903 §4',
    requires: [{ header: 'Event', source: 'RFC 3903 §4.1' }],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'REFER',
    source: 'RFC 3515 §2.4',
    requires: [
      { header: 'Refer-To', source: 'RFC 3515 §2.4.1' },
      { header: 'Contact', source: 'RFC 3261 §8.1.1.8' },
    ],
    forbids: [],
    createsDialog: true,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'REGISTER',
    source: 'RFC 3261 §10.2',
    requires: [],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: true,
    incrementsCSeq: true,
  },
  {
    method: 'SUBSCRIBE',
    source: 'RFC 6665 §4.1.2',
    requires: [
      { header: 'Event', source: 'RFC 6665 §8.2.1' },
      { header: 'Contact', source: 'RFC 3261 §8.1.1.8' },
    ],
    forbids: [],
    createsDialog: true,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
  {
    method: 'UPDATE',
    source: 'RFC 3311 §5.1',
    requires: [],
    forbids: [],
    createsDialog: false,
    requestUriWithoutUser: false,
    incrementsCSeq: true,
  },
] as const;
METHOD_DEFINITIONS satisfies readonly MethodDefinition[];

/** A method of the table. */
export type KnownMethod = (typeof METHOD_DEFINITIONS)[number]['method'];

const BY_METHOD = new Map<string, MethodDefinition>();
for (const row of METHOD_DEFINITIONS as readonly MethodDefinition[]) BY_METHOD.set(row.method, row);

/** The row for an extension method the table does not know: no extra rule. */
const EXTENSION_METHOD: Omit<MethodDefinition, 'method' | 'source'> = {
  requires: [],
  forbids: [],
  createsDialog: false,
  requestUriWithoutUser: false,
  incrementsCSeq: true,
};

/**
 * The table row of a method (case-sensitive, RFC 3261 §7.1).
 * @param method - a method token
 * @returns the row, or undefined for a method the table does not know
 */
export function methodDefinition(method: string): MethodDefinition | undefined {
  return BY_METHOD.get(method);
}

/**
 * The rules for a method: the table's row, or for an extension method a row with no rule
 * beyond RFC 3261 §8.1.1.
 * @internal
 */
export function methodRules(method: string): MethodDefinition {
  return BY_METHOD.get(method) ?? { method, source: 'RFC 3261 §8.1', ...EXTENSION_METHOD };
}
