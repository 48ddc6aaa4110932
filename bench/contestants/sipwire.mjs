// sipwire, from the built package (npm run build → dist/, through the ./parse and ./message
// entries): parseDatagram() for one message per call, createParser().push() for the byte
// stream, buildResponse() + serialize() for responses.

import { createRequire } from 'node:module';
import { buildResponse, serialize } from '../../dist/message/index.js';
import { createParser, parseDatagram } from '../../dist/parse/index.js';

const require = createRequire(import.meta.url);

function readCore(message, sink) {
  if (message.type === 'response') {
    sink.type = 'response';
    sink.status = message.status;
    sink.reason = message.reason;
  } else {
    sink.type = 'request';
    sink.method = message.method;
    sink.uri = message.uri;
  }
  sink.callId = message.callId;
  sink.body = message.body;
}

function readRest(message, sink) {
  const cseq = message.cseq;
  sink.seq = cseq.seq;
  sink.cseqMethod = cseq.method;
  // branch and toTag read just that parameter (topVia / to parse and check the whole value).
  sink.branch = message.branch;
  sink.toTag = message.toTag;
}

export const contestant = {
  id: 'sipwire',
  version: require('../../package.json').version,
  role: 'subject',
  bodyEncoding: 'bytes',
  api: {
    parse: 'parseDatagram(bytes) + lazy accessors (callId, cseq, branch, toTag)',
    stream: 'createParser().push(chunk) → messages, same reads',
    build: 'buildResponse(request, code, { toTag }) + serialize() → Uint8Array',
  },
  notApplicable: {},
  decode(bytes) {
    return parseDatagram(bytes);
  },
  readCore,
  readRest,
  createStream(onMessage) {
    const parser = createParser();
    return {
      push(chunk) {
        const messages = parser.push(chunk);
        for (let i = 0; i < messages.length; i++) onMessage(messages[i]);
      },
      end() {
        parser.end();
      },
    };
  },
  prepareRequest(bytes) {
    return parseDatagram(bytes);
  },
  buildResponse(request, status, _reason, toTag) {
    // RFC 3261 §8.2.6.2: a tag is only added when the request's To has none; buildResponse
    // rejects a toTag that would replace one (TO_TAG_CONFLICT).
    const options = request.toTag === undefined ? { toTag } : undefined;
    return serialize(buildResponse(request, status, options).response);
  },
};
