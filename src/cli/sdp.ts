/**
 * A minimal SDP answer (RFC 3264 §6) for the demo responder: it accepts the first audio
 * stream of the offer with PCMU (payload 0) on a port nothing listens on, which is enough for
 * signalling tests. With no offer it sends an offer of its own (RFC 3261 §13.3.1.4).
 */
export function sdpAnswer(offer: string | undefined, address: string, sessionId: number): string {
  const ipVersion = address.includes(':') ? 'IP6' : 'IP4';
  const offeredAudio = offer?.split(/\r?\n/).find((line) => line.startsWith('m=audio '));
  const payloads = offeredAudio?.split(' ').slice(3) ?? ['0'];
  const payload = payloads.includes('0') ? '0' : (payloads[0] ?? '0');
  const lines = [
    'v=0',
    `o=sipwire ${sessionId} ${sessionId} IN ${ipVersion} ${address}`,
    's=sipwire demo',
    `c=IN ${ipVersion} ${address}`,
    't=0 0',
    `m=audio 40000 RTP/AVP ${payload}`,
  ];
  if (payload === '0') lines.push('a=rtpmap:0 PCMU/8000');
  lines.push('a=sendrecv');
  return `${lines.join('\r\n')}\r\n`;
}
