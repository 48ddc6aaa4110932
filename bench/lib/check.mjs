// Correctness before speed. A wrong start line (status or method), Call-ID or body length is
// fatal: the contestant is marked and left out of every ratio. Other differences (CSeq, top
// Via branch, To tag) are counted and reported but do not exclude it.

import { readMessage } from './reference.mjs';

const EXAMPLES_KEPT = 3;

/** A tally of problems with the first few examples. */
export function createTally() {
  return { checked: 0, fatal: 0, minor: 0, rejectedMalformed: 0, examples: [] };
}

function note(tally, level, text) {
  if (level === 'fatal') tally.fatal++;
  else tally.minor++;
  if (tally.examples.length < EXAMPLES_KEPT) tally.examples.push(`${level}: ${text}`);
}

/** Byte length of a body as the contestant returned it. */
export function bodyByteLength(body, encoding) {
  if (body === undefined || body === null) return 0;
  if (encoding === 'bytes') return body.byteLength;
  if (encoding === 'latin1') return body.length;
  return Buffer.byteLength(body, 'utf8');
}

function normaliseTag(tag) {
  return tag === undefined || tag === null || tag === '' ? undefined : String(tag);
}

/**
 * Compares what a contestant read (its sink) with the expected values of message `index`.
 * Bounds read only the body, so only the body is compared for them. `restError` is what the
 * contestant threw while reading CSeq, Via and To, if it did.
 */
export function compareReading(tally, index, sink, expect, contestant, restError) {
  tally.checked++;
  const where =
    expect.label === undefined ? `message ${index}` : `message ${index} (${expect.label})`;
  const length = bodyByteLength(sink.body, contestant.bodyEncoding);
  if (length !== expect.bodyByteLength) {
    note(tally, 'fatal', `${where}: body ${length} bytes, expected ${expect.bodyByteLength}`);
  }
  if (contestant.role === 'bound') return;
  if (sink.type !== expect.type) {
    note(tally, 'fatal', `${where}: read a ${sink.type}, expected a ${expect.type}`);
  } else if (expect.type === 'response' && Number(sink.status) !== expect.status) {
    note(tally, 'fatal', `${where}: status ${sink.status}, expected ${expect.status}`);
  } else if (expect.type === 'request' && sink.method !== expect.method) {
    note(tally, 'fatal', `${where}: method ${sink.method}, expected ${expect.method}`);
  }
  if (sink.callId !== expect.callId) {
    note(
      tally,
      'fatal',
      `${where}: Call-ID ${JSON.stringify(sink.callId)}, expected ${expect.callId}`,
    );
  }
  if (restError !== undefined) {
    const text = restError instanceof Error ? restError.message : String(restError);
    note(tally, 'minor', `${where}: threw reading CSeq, Via or To: ${text.slice(0, 120)}`);
    return;
  }
  if (Number(sink.seq) !== expect.seq || sink.cseqMethod !== expect.cseqMethod) {
    note(
      tally,
      'minor',
      `${where}: CSeq ${sink.seq} ${sink.cseqMethod}, expected ${expect.seq} ${expect.cseqMethod}`,
    );
  }
  if (sink.branch !== expect.branch) {
    note(
      tally,
      'minor',
      `${where}: top Via branch ${JSON.stringify(sink.branch)}, expected ${expect.branch}`,
    );
  }
  if (normaliseTag(sink.toTag) !== expect.toTag) {
    note(
      tally,
      'minor',
      `${where}: To tag ${JSON.stringify(sink.toTag)}, expected ${expect.toTag}`,
    );
  }
}

/**
 * Records a message the contestant threw on or never delivered. Rejecting a message the corpus
 * marks malformed is allowed and only counted.
 */
export function noteFailure(tally, index, error, malformed) {
  tally.checked++;
  if (malformed !== undefined) {
    tally.rejectedMalformed++;
    return;
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  note(tally, 'fatal', `message ${index}: ${text.slice(0, 160)}`);
}

/**
 * Checks a built response against the request it answers (RFC 3261 §8.2.6): status, Call-ID
 * and a Content-Length that matches the body are fatal; CSeq, the Via list and the To tag are
 * minor. With `content` (planContent), a body of another length or a missing header is fatal.
 * @param {Uint8Array} output the serialized response
 * @param {Uint8Array} requestBytes the request it answers
 */
export function compareResponse(tally, index, output, requestBytes, status, toTag, content) {
  tally.checked++;
  const where = `request ${index}`;
  let response;
  let request;
  try {
    request = readMessage(requestBytes);
    response = readMessage(output);
  } catch (error) {
    note(tally, 'fatal', `${where}: response unreadable (${error.message})`);
    return;
  }
  const actualBody = output.byteLength - (Buffer.from(output).indexOf('\r\n\r\n') + 4);
  if (response.status !== status) {
    note(tally, 'fatal', `${where}: status ${response.status}, expected ${status}`);
  }
  if (response.callId !== request.callId) {
    note(tally, 'fatal', `${where}: Call-ID ${response.callId}, expected ${request.callId}`);
  }
  if (response.contentLength !== actualBody) {
    note(
      tally,
      'fatal',
      `${where}: Content-Length ${response.contentLength}, body ${actualBody} bytes`,
    );
  }
  if (content !== undefined) {
    if (actualBody !== content.bodyByteLength) {
      note(
        tally,
        'fatal',
        `${where}: body ${actualBody} bytes, expected ${content.bodyByteLength}`,
      );
    }
    const names = new Set(response.fields.map((field) => field.name));
    const missing = content.names.filter((name) => !names.has(name));
    if (missing.length > 0) note(tally, 'fatal', `${where}: no ${missing.join(', ')}`);
  }
  if (response.seq !== request.seq || response.cseqMethod !== request.cseqMethod) {
    note(
      tally,
      'minor',
      `${where}: CSeq ${response.seq} ${response.cseqMethod}, expected ${request.seq} ${request.cseqMethod}`,
    );
  }
  if (response.viaCount !== request.viaCount || response.branch !== request.branch) {
    note(
      tally,
      'minor',
      `${where}: ${response.viaCount} Via (top ${response.branch}), expected ${request.viaCount} (top ${request.branch})`,
    );
  }
  // RFC 3261 §8.2.6.2: keep the request's To tag, or add one to every response but 100.
  const expectedTag = request.toTag ?? (status > 100 ? toTag : undefined);
  if (request.toTag === undefined && toTag === undefined && status > 100) {
    if (response.toTag === undefined) note(tally, 'minor', `${where}: no To tag added`);
  } else if (response.toTag !== expectedTag) {
    note(tally, 'minor', `${where}: To tag ${response.toTag}, expected ${expectedTag}`);
  }
}
