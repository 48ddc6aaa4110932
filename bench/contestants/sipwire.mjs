// sipwire, from the built package (npm run build → dist/, through the ./parse and ./message
// entries): parseDatagram() for one message per call, createParser().push() for the byte
// stream, buildResponse() + serialize() for responses. With SIPWIRE_BASELINE_DIST set to
// another build's dist folder, `sipwire baseline` is the same adapter over that build, so a
// change is measured side by side with the peers in one run.

import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const baseline = process.env.SIPWIRE_BASELINE_DIST;
const dist =
  process.env.SIPWIRE_CONTESTANT === 'sipwire baseline' && baseline !== undefined
    ? resolve(baseline)
    : new URL('../../dist/', import.meta.url).pathname;
const { buildResponse, serialize } = await import(
  pathToFileURL(join(dist, 'message', 'index.js')).href
);
const { createParser, parseDatagram } = await import(
  pathToFileURL(join(dist, 'parse', 'index.js')).href
);

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
  id: process.env.SIPWIRE_CONTESTANT === 'sipwire baseline' ? 'sipwire baseline' : 'sipwire',
  version: require('../../package.json').version,
  role: process.env.SIPWIRE_CONTESTANT === 'sipwire baseline' ? 'baseline' : 'subject',
  bodyEncoding: 'bytes',
  // It derives the To tag from the request by default; the check asks only that one is added
  takesToTag: false,
  api: {
    parse: 'parseDatagram(bytes) + lazy accessors (callId, cseq, branch, toTag)',
    stream: 'createParser().push(chunk) → messages, same reads',
    build:
      'buildResponse(request, code, { contact, allow, supported, headers, body, contentType }) + serialize() → Uint8Array (To tag derived from the request)',
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
  buildResponse(request, plan) {
    // One options object per plan, made once, as a server keeps its Allow, Supported and
    // Contact in its configuration. No toTag: the default one, derived from the request
    // (RFC 3261 §8.2.6.2, §8.2.7), is how a UAS calls it.
    return serialize(buildResponse(request, plan.status, optionsFor(plan)).response);
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
