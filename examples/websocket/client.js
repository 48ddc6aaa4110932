// The browser side: send a SIP request over a WebSocket, one message per WebSocket message
// (RFC 7118 §5). The example server echoes, so the page gets its request back, answers it as
// a UAS would, and gets the response back too: both directions of a round trip, in the browser.
import { StatusCode } from 'sipwire/codes';
import { buildResponse, serialize, validate } from 'sipwire/message';
import { parseMessage } from 'sipwire/parse';

const output = document.querySelector('#log');
const log = (line) => {
  output.textContent += `${line}\n`;
};

// RFC 7118 §5.2: a client that cannot know its address uses a random .invalid host in Via
// and Contact; the Via transport is WS (WSS over TLS).
const request = [
  'OPTIONS sip:echo@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK7j3kd8',
  'Max-Forwards: 70',
  'To: <sip:echo@127.0.0.1>',
  'From: <sip:alice@example.com>;tag=hy3b2',
  'Call-ID: ws-round-trip-1',
  'CSeq: 1 OPTIONS',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

const socket = new WebSocket(`ws://${location.host}/`, 'sip');
socket.binaryType = 'arraybuffer';
const result = { protocol: '', received: [] };

socket.onopen = () => {
  result.protocol = socket.protocol;
  socket.send(request); // a text frame
};

socket.onmessage = (event) => {
  // Text frames arrive as strings, binary frames as ArrayBuffer: parseMessage takes both shapes.
  const frame = typeof event.data === 'string' ? event.data : new Uint8Array(event.data);
  const message = parseMessage(frame);
  if (message.type === 'request') {
    log(`got ${message.method} ${message.uri} over ${message.via[0].transport}`);
    result.received.push(`${message.method} via ${message.via[0].transport}`);
    const { response } = buildResponse(message, StatusCode.OK, {
      allow: ['OPTIONS'],
      toTag: 'ws1',
    });
    socket.send(serialize(response)); // a binary frame
    result.request = message;
  } else {
    log(`got ${message.status} ${message.reason}`);
    result.received.push(`${message.status} ${message.reason}`);
    // MUST issues make a response wrong; SHOULD issues (here: no Accept…) are advice.
    const issues = validate(message, { request: result.request });
    result.broken = issues.filter((issue) => issue.severity === 'MUST').map((issue) => issue.code);
    for (const issue of issues) log(`${issue.severity} ${issue.code}: ${issue.message}`);
    const to = message.to; // a name-addr, or the `*` of a wildcard Contact
    result.toTag = to?.wildcard === false ? to.tag : undefined;
    delete result.request;
    socket.close(1000);
    done(result);
  }
};

socket.onerror = () => done({ error: 'WebSocket error' });

/** Shows the outcome on the page, where the example's test reads it too. */
function done(outcome) {
  document.body.dataset.result = JSON.stringify(outcome);
}
