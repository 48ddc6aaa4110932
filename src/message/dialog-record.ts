/**
 * The dialog record (RFC 3261 §12): a small immutable value made from a dialog-creating
 * request and its response, from either side (§12.1.1 UAS, §12.1.2 UAC), and the requests
 * built inside it (§12.2.1.1): BYE, re-INVITE, the ACK of a 2xx, and the rest.
 */
import { isProvisional, isSuccess, StatusCode, StatusCodeError } from '../codes/index.js';
import { article, type BuildRequestOptions, buildRequest, type SentBy } from './build-request.js';
import { formatUri } from './fields/format.js';
import { type NameAddr, parseCSeq, parseNameAddr, type Uri } from './fields/index.js';
import { getHeader, getHeaderValues } from './headers.js';
import { methodRules } from './methods.js';
import { composeError } from './request-parts.js';
import type { SipRequest, SipResponse } from './types.js';

/** The state of a dialog (RFC 3261 §12): the fields that route and identify its requests. */
export interface Dialog {
  /** Call-ID of the dialog ID. */
  readonly callId: string;
  /** This side's tag: the From tag of a UAC, the To tag a UAS put in its response. */
  readonly localTag: string;
  /** The peer's tag; empty when the peer sent none (an RFC 2543 UAC, §12.1.1). */
  readonly remoteTag: string;
  /** This side's URI, as written: the From URI of a UAC, the To URI of a UAS. */
  readonly localUri: string;
  /** The peer's URI, as written. */
  readonly remoteUri: string;
  /** Where requests go: the URI of the peer's Contact (§12.1.1, §12.1.2). */
  readonly remoteTarget: string;
  /** Route values in the order requests carry them: Record-Route of the request (UAS), reversed from the response (UAC). */
  readonly routeSet: readonly string[];
  /** The CSeq number of this side's last request; undefined until a UAS sends one (§12.1.1). */
  readonly localCSeq: number | undefined;
  /** The CSeq number of the peer's last request; undefined for a UAC until one arrives (§12.1.2). */
  readonly remoteCSeq: number | undefined;
  /** Whether the dialog was made over TLS with a SIPS Request-URI (§12.1.1, §12.1.2). */
  readonly secure: boolean;
  /** `early` when made from a 101–199 response, `confirmed` from a 2xx (§12.1). */
  readonly state: 'early' | 'confirmed';
}

/** Options of `buildInDialogRequest`: `via` is required, every other field optional. */
export interface InDialogRequestOptions {
  /** The Via's transport and sent-by. */
  readonly via: SentBy;
  /**
   * The Via branch (`z9hG4bK…`).
   * @defaultValue a fresh one
   */
  readonly branch?: string;
  /**
   * The CSeq number.
   * @defaultValue the dialog's local CSeq plus one (1 when it has none); for ACK, the local CSeq itself
   */
  readonly cseq?: number;
  /** The Contact value; required by a target refresh request (re-INVITE, SUBSCRIBE, NOTIFY, REFER). */
  readonly contact?: string;
  /** See {@link BuildRequestOptions.maxForwards}. */
  readonly maxForwards?: number;
  /** See {@link BuildRequestOptions.headers}. */
  readonly headers?: BuildRequestOptions['headers'];
  /** See {@link BuildRequestOptions.body}. */
  readonly body?: Uint8Array | string;
  /** See {@link BuildRequestOptions.contentType}. */
  readonly contentType?: string;
}

/** What `buildInDialogRequest` returns: the request, and the dialog with its local CSeq moved on. */
export interface InDialogRequest {
  /** The request, frozen. */
  readonly request: SipRequest;
  /** The dialog after it: its local CSeq is the request's (unchanged for ACK). */
  readonly dialog: Dialog;
}

const SUBJECT = 'dialog';

/** One name-addr header of a message, parsed; MISSING_HEADER when absent or malformed. */
function addressOf(
  message: SipRequest | SipResponse,
  header: string,
  subject: string,
): NameAddr & { wildcard: false } {
  const value = getHeader(message, header);
  let parsed: NameAddr | undefined;
  try {
    parsed = value === undefined ? undefined : parseNameAddr(value);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || parsed.wildcard) {
    const which = message.type === 'request' ? 'request' : 'response';
    throw composeError(
      'MISSING_HEADER',
      subject,
      `the ${which} has no usable ${header}`,
      'RFC 3261 §8.1.1',
      {
        header,
      },
    );
  }
  return parsed;
}

/**
 * The CSeq number of a message.
 * @internal
 */
export function cseqNumberOf(message: SipRequest | SipResponse, subject: string): number {
  try {
    return parseCSeq(getHeader(message, 'CSeq') ?? '').seq;
  } catch (error) {
    throw composeError(
      'MISSING_HEADER',
      subject,
      `the ${message.type} has no usable CSeq`,
      'RFC 3261 §8.1.1.5',
      {
        header: 'CSeq',
        cause: error,
      },
    );
  }
}

/** The route set from Record-Route, in order or reversed (§12.1.1, §12.1.2). */
function routeSetOf(message: SipRequest | SipResponse, reverse: boolean): string[] {
  let values: string[];
  try {
    values = getHeaderValues(message, 'Record-Route');
    for (const value of values) parseNameAddr(value);
  } catch (error) {
    throw composeError(
      'MISSING_HEADER',
      SUBJECT,
      `the ${message.type} has a malformed Record-Route`,
      'RFC 3261 §20.30',
      {
        header: 'Record-Route',
        cause: error,
      },
    );
  }
  return reverse ? values.reverse() : values;
}

/** The URI of the first Contact; NO_DIALOG when there is none (§12.1.1: remote target). */
function remoteTargetOf(message: SipRequest | SipResponse): string {
  try {
    const first = getHeaderValues(message, 'Contact')[0];
    const parsed = first === undefined ? undefined : parseNameAddr(first);
    if (parsed !== undefined && !parsed.wildcard) return parsed.uriText;
  } catch {
    // reported below
  }
  throw composeError(
    'NO_DIALOG',
    SUBJECT,
    `the ${message.type} has no usable Contact, so no remote target`,
    'RFC 3261 §12.1.1, §12.1.2',
    {
      header: 'Contact',
    },
  );
}

/** Whether a response can make a dialog: 101–199 (early) or 2xx (confirmed), to a dialog-creating method. */
function dialogState(request: SipRequest, response: SipResponse): 'early' | 'confirmed' {
  if (request.method !== 'INVITE' && !methodRules(request.method).createsDialog) {
    throw composeError(
      'NO_DIALOG',
      SUBJECT,
      `${article(request.method)} ${request.method} does not create a dialog`,
      'RFC 3261 §12.1',
    );
  }
  let state: 'early' | 'confirmed' | undefined;
  try {
    if (isSuccess(response.status)) state = 'confirmed';
    else if (isProvisional(response.status) && response.status !== StatusCode.TRYING)
      state = 'early';
  } catch (error) {
    if (!(error instanceof StatusCodeError)) throw error;
  }
  if (state === undefined) {
    throw composeError(
      'NO_DIALOG',
      SUBJECT,
      `a ${String(response.status)} response does not create a dialog; only 101–199 and 2xx do`,
      'RFC 3261 §12.1',
    );
  }
  const callId = getHeader(request, 'Call-ID');
  if (callId === undefined || getHeader(response, 'Call-ID') !== callId) {
    throw composeError(
      'NO_DIALOG',
      SUBJECT,
      "the response does not carry the request's Call-ID",
      'RFC 3261 §8.2.6.2',
      {
        header: 'Call-ID',
      },
    );
  }
  return state;
}

function isSips(uri: string): boolean {
  return uri.slice(0, 5).toLowerCase() === 'sips:';
}

/**
 * The dialog of a UAC (RFC 3261 §12.1.2): from the request it sent and a 101–199 or 2xx
 * response with a To tag. Route set: the response's Record-Route reversed; remote target: the
 * response's Contact; local CSeq: the request's.
 * @param request - the dialog-creating request sent (INVITE, SUBSCRIBE, REFER)
 * @param response - the response received
 * @returns the dialog, frozen
 * @throws ComposeError NO_DIALOG (not 101–199/2xx, no To tag, no Contact, other Call-ID),
 * MISSING_HEADER (no usable From, To or CSeq)
 */
export function createUacDialog(request: SipRequest, response: SipResponse): Dialog {
  const state = dialogState(request, response);
  const from = addressOf(request, 'From', SUBJECT);
  const to = addressOf(response, 'To', SUBJECT);
  if (to.tag === undefined) {
    throw composeError('NO_DIALOG', SUBJECT, "the response's To has no tag", 'RFC 3261 §12.1.2', {
      header: 'To',
    });
  }
  if (from.tag === undefined) {
    throw composeError(
      'MISSING_HEADER',
      SUBJECT,
      "the request's From has no tag",
      'RFC 3261 §8.1.1.3',
      {
        header: 'From',
      },
    );
  }
  return Object.freeze({
    callId: getHeader(request, 'Call-ID') ?? '',
    localTag: from.tag,
    remoteTag: to.tag,
    localUri: from.uriText,
    remoteUri: to.uriText,
    remoteTarget: remoteTargetOf(response),
    routeSet: Object.freeze(routeSetOf(response, true)),
    localCSeq: cseqNumberOf(request, SUBJECT),
    remoteCSeq: undefined,
    // RFC 3261 §12.1.2: secure when the request went over TLS with a SIPS Request-URI; a SIPS
    // Request-URI is sent over TLS only (§26.2.2), so the URI tells
    secure: isSips(request.uri),
    state,
  });
}

/**
 * The dialog of a UAS (RFC 3261 §12.1.1): from the request received and the 101–199 or 2xx
 * response it sent (which carries its To tag). Route set: the request's Record-Route in
 * order; remote target: the request's Contact; remote CSeq: the request's; local CSeq empty.
 * @param request - the dialog-creating request received
 * @param response - the response sent, e.g. from `buildResponse`
 * @returns the dialog, frozen
 * @throws ComposeError NO_DIALOG, MISSING_HEADER as `createUacDialog`
 */
export function createUasDialog(request: SipRequest, response: SipResponse): Dialog {
  const state = dialogState(request, response);
  const from = addressOf(request, 'From', SUBJECT);
  const to = addressOf(response, 'To', SUBJECT);
  if (to.tag === undefined) {
    throw composeError('NO_DIALOG', SUBJECT, "the response's To has no tag", 'RFC 3261 §12.1.1', {
      header: 'To',
    });
  }
  return Object.freeze({
    callId: getHeader(request, 'Call-ID') ?? '',
    localTag: to.tag,
    // RFC 3261 §12.1.1: the remote tag is the From tag, null when there is none
    remoteTag: from.tag ?? '',
    localUri: to.uriText,
    remoteUri: from.uriText,
    remoteTarget: remoteTargetOf(request),
    routeSet: Object.freeze(routeSetOf(request, false)),
    localCSeq: undefined,
    remoteCSeq: cseqNumberOf(request, SUBJECT),
    secure: isSips(request.uri),
    state,
  });
}

/**
 * The dialog with another local CSeq number, e.g. after a request built elsewhere.
 * @param dialog - the dialog
 * @param cseq - the new local CSeq, 0 to 2^31-1
 * @returns a new frozen dialog; `dialog` is unchanged
 * @throws ComposeError INVALID_OPTION when `cseq` is out of range
 */
export function withLocalCSeq(dialog: Dialog, cseq: number): Dialog {
  if (!Number.isInteger(cseq) || cseq < 0 || cseq > CSEQ_MAX) {
    throw composeError(
      'INVALID_OPTION',
      SUBJECT,
      `the CSeq ${String(cseq)} is not an integer from 0 to 2^31-1`,
      'RFC 3261 §8.1.1.5',
    );
  }
  return Object.freeze({ ...dialog, localCSeq: cseq });
}

const CSEQ_MAX = 2 ** 31 - 1;

/**
 * RFC 3261 §12.2.1.1: the Request-URI and Route of a request in the dialog. Empty route set:
 * the remote target, no Route. Loose routing (the first route has `lr`): the remote target and
 * the route set. Strict routing: the first route's URI (without the parameters a Request-URI
 * may not carry) and the rest of the route set with the remote target appended.
 * @internal
 */
export function routeRequest(dialog: Dialog): { requestUri: string; route: string[] } {
  const first = dialog.routeSet[0];
  if (first === undefined) return { requestUri: dialog.remoteTarget, route: [] };
  const parsed = parseNameAddr(first);
  if (parsed.wildcard) return { requestUri: dialog.remoteTarget, route: [...dialog.routeSet] };
  if (parsed.uri.kind === 'sip' && parsed.uri.params.has('lr')) {
    return { requestUri: dialog.remoteTarget, route: [...dialog.routeSet] };
  }
  return {
    requestUri: requestUriOf(parsed.uri),
    route: [...dialog.routeSet.slice(1), `<${dialog.remoteTarget}>`],
  };
}

/** RFC 3261 §19.1.1 Table 1: `method` and the headers part are not allowed in a Request-URI. */
function requestUriOf(uri: Uri): string {
  if (uri.kind !== 'sip') return uri.raw;
  const params = new Map(uri.params);
  params.delete('method');
  return formatUri({ ...uri, params, headers: new Map() });
}

/**
 * Builds a request inside a dialog (RFC 3261 §12.2.1.1): To is the remote URI and tag, From
 * the local URI and tag, the Call-ID the dialog's, the CSeq the local one plus one (ACK keeps
 * it); the Request-URI and Route follow the route set, loose or strict. BYE, re-INVITE, INFO,
 * UPDATE, NOTIFY, REFER, PRACK and the ACK of a 2xx are built this way.
 * @param dialog - from `createUacDialog` or `createUasDialog`
 * @param method - the method token
 * @param options - see {@link InDialogRequestOptions}; `via` is required
 * @returns the request, and the dialog with its local CSeq set to the request's
 * @throws ComposeError as `buildRequest`; INVALID_OPTION for an ACK in a dialog without a local CSeq
 * @example
 * ```ts
 * const dialog = createUacDialog(invite, ok);
 * const { request: bye, dialog: next } = buildInDialogRequest(dialog, 'BYE', { via });
 * ```
 */
export function buildInDialogRequest(
  dialog: Dialog,
  method: string,
  options: InDialogRequestOptions,
): InDialogRequest {
  const increments = methodRules(method).incrementsCSeq;
  const base = dialog.localCSeq;
  const cseq = options.cseq ?? (increments ? (base === undefined ? 1 : base + 1) : base);
  if (cseq === undefined) {
    throw composeError(
      'INVALID_OPTION',
      `${method} request`,
      'the dialog has no local CSeq for it to reuse',
      'RFC 3261 §13.2.2.4',
      { header: 'CSeq', advice: 'pass options.cseq' },
    );
  }
  const { requestUri, route } = routeRequest(dialog);
  const to = `<${dialog.remoteUri}>${dialog.remoteTag === '' ? '' : `;tag=${dialog.remoteTag}`}`;
  const request = buildRequest(method, requestUri, {
    via: options.via,
    ...(options.branch !== undefined && { branch: options.branch }),
    from: `<${dialog.localUri}>`,
    fromTag: dialog.localTag,
    to,
    callId: dialog.callId,
    cseq,
    route,
    ...(options.contact !== undefined && { contact: options.contact }),
    ...(options.maxForwards !== undefined && { maxForwards: options.maxForwards }),
    ...(options.headers !== undefined && { headers: options.headers }),
    ...(options.body !== undefined && { body: options.body }),
    ...(options.contentType !== undefined && { contentType: options.contentType }),
  });
  const next = increments && cseq !== dialog.localCSeq ? withLocalCSeq(dialog, cseq) : dialog;
  return Object.freeze({ request, dialog: next });
}

/**
 * The dialog's remote target replaced by a target refresh's Contact (RFC 3261 §12.2.1.2).
 * @internal
 */
export function withRemoteTargetOf(dialog: Dialog, message: SipRequest | SipResponse): Dialog {
  const target = remoteTargetOf(message);
  return target === dialog.remoteTarget
    ? dialog
    : Object.freeze({ ...dialog, remoteTarget: target });
}
