// The build workloads: which response each request gets, and what it carries.
//
// `build` is what a UAS sends: every response carries what its code needs (RFC 3261 §13.3.1.4,
// §11.2, §21.4.6, §22.1). 200 to INVITE: Contact and an SDP body (Record-Route copied, the
// response creates a dialog); 200 to OPTIONS: Allow, Supported and Server; 401 to REGISTER:
// WWW-Authenticate; BYE, alternately: 200 with two extra headers, or 405 with Allow.
// `build-bare` is the response with no options at all: INVITE 486, REGISTER 404, OPTIONS 200,
// BYE 200, so no contestant needs more than §8.2.6 copying.

const SDP =
  'v=0\r\no=uas 2890844527 2890844527 IN IP4 192.0.2.4\r\ns=-\r\nc=IN IP4 192.0.2.4\r\n' +
  't=0 0\r\nm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n' +
  'a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n';
const ALLOW = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER'];

/**
 * One response to build. `headers` are [name, value] pairs written after the copied ones;
 * `allow`, `supported`, `contact`, `body` + `contentType` are the fields a builder may take as
 * options of their own.
 */
const INVITE_200 = {
  status: 200,
  reason: 'OK',
  contact: '<sip:uas@192.0.2.4:5060;transport=udp>',
  body: SDP,
  contentType: 'application/sdp',
  headers: [],
};
const OPTIONS_200 = {
  status: 200,
  reason: 'OK',
  allow: ALLOW,
  supported: ['replaces', 'timer', '100rel'],
  headers: [['Server', 'sipwire-bench/1.0']],
};
const REGISTER_401 = {
  status: 401,
  reason: 'Unauthorized',
  headers: [
    [
      'WWW-Authenticate',
      'Digest realm="atlanta.example.com", qop="auth", nonce="84a4cc6f3082121f32b42a2187831a9e", opaque="", algorithm=SHA-256',
    ],
  ],
};
const BYE_200 = {
  status: 200,
  reason: 'OK',
  headers: [
    ['Server', 'sipwire-bench/1.0'],
    ['Reason', 'Q.850;cause=16;text="Normal call clearing"'],
  ],
};
const BYE_405 = { status: 405, reason: 'Method Not Allowed', allow: ALLOW, headers: [] };

const BARE = {
  INVITE: { status: 486, reason: 'Busy Here', headers: [] },
  REGISTER: { status: 404, reason: 'Not Found', headers: [] },
  OPTIONS: { status: 200, reason: 'OK', headers: [] },
  BYE: { status: 200, reason: 'OK', headers: [] },
};

/** The plan of the n-th buildable request of a corpus, for workload `build` or `build-bare`. */
export function buildPlan(workload, method, n) {
  if (workload === 'build-bare') return BARE[method];
  switch (method) {
    case 'INVITE':
      return INVITE_200;
    case 'OPTIONS':
      return OPTIONS_200;
    case 'REGISTER':
      return REGISTER_401;
    case 'BYE':
      return n % 2 === 0 ? BYE_200 : BYE_405;
    default:
      return undefined;
  }
}

/** The header names (lower case) and body a plan's response must carry, for the check. */
export function planContent(plan) {
  const names = plan.headers.map(([name]) => name.toLowerCase());
  if (plan.contact !== undefined) names.push('contact');
  if (plan.allow !== undefined) names.push('allow');
  if (plan.supported !== undefined) names.push('supported');
  if (plan.contentType !== undefined) names.push('content-type');
  return { names, bodyByteLength: plan.body === undefined ? 0 : Buffer.byteLength(plan.body) };
}

/** The To tag a contestant adds when its API takes one (RFC 3261 §8.2.6.2). */
export const BUILD_TO_TAG = 'b3nch7ag';

/** True when the build workloads answer this request (ACK never gets a response). */
export function isBuildable(expect) {
  return expect.type === 'request' && BARE[expect.method] !== undefined;
}
