// The build workload: which response each request method gets. Codes were chosen so no
// contestant needs headers beyond RFC 3261 §8.2.6 copying (no 405 Allow, no 401 challenge, no
// dialog-creating 1xx/2xx to INVITE that would need Contact and Record-Route).

export const BUILD_PLAN = {
  INVITE: { status: 486, reason: 'Busy Here' },
  REGISTER: { status: 404, reason: 'Not Found' },
  OPTIONS: { status: 200, reason: 'OK' },
  BYE: { status: 200, reason: 'OK' },
};

/** The To tag a contestant adds when its API takes one (RFC 3261 §8.2.6.2). */
export const BUILD_TO_TAG = 'b3nch7ag';

/** True when the build workload answers this request (ACK never gets a response). */
export function isBuildable(expect) {
  return expect.type === 'request' && BUILD_PLAN[expect.method] !== undefined;
}
