// Bound 1: framing only. Find the empty line, read Content-Length, slice the body; no header
// is looked at beyond that, nothing is decoded, nothing is checked.

import { contentLengthOf, createFramer, findEmptyLine } from '../lib/framing.mjs';

/** What the bound "parses" a message into: only the body. */
function frame(bytes, emptyLine, end) {
  return { body: bytes.subarray(emptyLine + 4, end) };
}

export const contestant = {
  id: 'framing bound',
  version: '',
  role: 'bound',
  bodyEncoding: 'bytes',
  api: {
    parse: 'Buffer#indexOf(CRLFCRLF), Content-Length, subarray(body)',
    stream: 'the same over a chunk buffer (Buffer.concat across chunks)',
  },
  notApplicable: { build: 'a bound measures framing only' },
  decode(bytes) {
    const emptyLine = findEmptyLine(bytes, 0);
    const length = contentLengthOf(bytes, 0, emptyLine);
    return frame(bytes, emptyLine, length < 0 ? bytes.byteLength : emptyLine + 4 + length);
  },
  readCore(message, sink) {
    sink.body = message.body;
  },
  readRest() {},
  createStream(onMessage) {
    return createFramer((buffer, _start, emptyLine, end) => {
      onMessage(frame(buffer, emptyLine, end));
    });
  },
};
