// Bound 2: framing plus one UTF-8 string per line of the header section (start line included)
// — what any parser that builds a string per header pays at least.

import { contentLengthOf, createFramer, findEmptyLine } from '../lib/framing.mjs';

const LF = 0x0a;

function frame(bytes, start, emptyLine, end) {
  const lines = [];
  let lineStart = start;
  // emptyLine points at the last line's CRLF, so stop once that line is taken.
  while (lineStart < emptyLine) {
    const lineFeed = bytes.indexOf(LF, lineStart);
    lines.push(bytes.toString('utf8', lineStart, lineFeed - 1));
    lineStart = lineFeed + 1;
  }
  return { lines, body: bytes.subarray(emptyLine + 4, end) };
}

export const contestant = {
  id: 'lines bound',
  version: '',
  role: 'bound',
  bodyEncoding: 'bytes',
  api: {
    parse: 'framing bound + buffer.toString(utf8) per header line',
    stream: 'framing bound stream + buffer.toString(utf8) per header line',
  },
  notApplicable: { build: 'a bound measures framing only' },
  decode(bytes) {
    const emptyLine = findEmptyLine(bytes, 0);
    const length = contentLengthOf(bytes, 0, emptyLine);
    return frame(bytes, 0, emptyLine, length < 0 ? bytes.byteLength : emptyLine + 4 + length);
  },
  readCore(message, sink) {
    sink.body = message.body;
  },
  readRest() {},
  createStream(onMessage) {
    return createFramer((buffer, start, emptyLine, end) => {
      onMessage(frame(buffer, start, emptyLine, end));
    });
  },
};
