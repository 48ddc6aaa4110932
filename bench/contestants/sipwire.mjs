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
    build:
      'buildResponse(request, code, { toTag, contact, allow, supported, headers, body, contentType }) + serialize() → Uint8Array',
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
  buildResponse(request, plan, toTag) {
    // Options objects are made once per plan (a server keeps its Allow, Supported and Contact
    // in its configuration); only the To tag depends on the request.
    const options = optionsFor(plan);
    // RFC 3261 §8.2.6.2: a tag is only added when the request's To has none; buildResponse
    // rejects a toTag that would replace one (TO_TAG_CONFLICT).
    const built = buildResponse(
      request,
      plan.status,
      request.toTag === undefined ? { ...options, toTag } : options,
    );
    return serialize(built.response);
  },
};

const OPTIONS_BY_PLAN = new WeakMap();

function optionsFor(plan) {
  let options = OPTIONS_BY_PLAN.get(plan);
  if (options !== undefined) return options;
  options = {};
  if (plan.headers.length > 0) options.headers = Object.fromEntries(plan.headers);
  if (plan.contact !== undefined) options.contact = plan.contact;
  if (plan.allow !== undefined) options.allow = plan.allow;
  if (plan.supported !== undefined) options.supported = plan.supported;
  if (plan.body !== undefined) {
    options.body = plan.body;
    options.contentType = plan.contentType;
  }
  OPTIONS_BY_PLAN.set(plan, options);
  return options;
}
