/**
 * Compares two strings in time that depends only on the length of `expected`, never on where
 * they first differ (RFC 7616 §5.11 asks servers not to leak how much of a guess was right).
 * Every code unit is visited and the differences are or-ed together; there is no early exit.
 * @param expected - the value computed by the server
 * @param given - the value the peer sent
 * @returns true when both are equal
 * @internal
 */
export function constantTimeEqual(expected: string, given: string): boolean {
  let difference = expected.length ^ given.length;
  for (let i = 0; i < expected.length; i++) {
    // past the end of `given`, charCodeAt gives NaN, which `| 0` turns into 0 (still compared)
    difference |= expected.charCodeAt(i) ^ (given.charCodeAt(i) | 0);
  }
  return difference === 0;
}
