import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/cli/server.js';
import { answerChallenge, parseDigestChallenge } from '../../src/digest/index.js';
import { parseNameAddr } from '../../src/message/fields/index.js';
import {
  getHeader,
  getHeaderValues,
  type SipRequest,
  type SipResponse,
  validate,
} from '../../src/message/index.js';
import { parseMessage } from '../../src/parse/index.js';
import { requestText, TcpPeer, UdpPeer } from './sip-client.js';

const encoder = new TextEncoder();
const OFFER =
  'v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8\r\n';

function toTag(response: SipResponse): string | undefined {
  const to = parseNameAddr(getHeader(response, 'To') ?? '');
  return to.wildcard ? undefined : to.tag;
}

/** Every response must echo its request (RFC 3261 §8.2.6.2) and pass validate. */
function expectEchoes(response: SipResponse, requestWire: string): void {
  const lines = requestWire.split('\r\n');
  const field = (name: string): string | undefined =>
    lines
      .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim();
  expect(getHeader(response, 'Call-ID')).toBe(field('Call-ID'));
  expect(getHeader(response, 'From')).toBe(field('From'));
  expect(getHeader(response, 'CSeq')).toBe(field('CSeq'));
  expect(getHeaderValues(response, 'Via')[0]).toContain(field('Via'));
  expect(getHeader(response, 'Max-Forwards')).toBeUndefined();
  const request = parseMessage(requestWire) as SipRequest;
  expect(validate(response, { request }).filter((issue) => issue.severity === 'MUST')).toEqual([]);
}

describe.each(['UDP', 'TCP'] as const)('the demo responder over %s', (transport) => {
  let server: RunningServer;
  const log: string[] = [];
  beforeAll(async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      udp: true,
      tcp: true,
      ringMs: 0,
      minExpires: 60,
      log: (line) => log.push(line),
    });
  });
  afterAll(async () => {
    await server.close();
  });

  async function exchange(wire: string, count = 1): Promise<SipResponse[]> {
    const peer =
      transport === 'UDP'
        ? await new UdpPeer(server.port).open()
        : await new TcpPeer(server.port).open();
    try {
      peer.send(wire);
      return await peer.responses(count);
    } finally {
      peer.close();
    }
  }

  it('answers OPTIONS with 200, Allow, Supported and Accept', async () => {
    const wire = requestText('OPTIONS', { transport });
    const [response] = await exchange(wire);
    expect(response?.status).toBe(200);
    expect(getHeaderValues(response as SipResponse, 'Allow')).toEqual([
      'INVITE',
      'ACK',
      'CANCEL',
      'BYE',
      'OPTIONS',
      'REGISTER',
    ]);
    expect(getHeader(response as SipResponse, 'Supported')).toBe('path');
    expect(getHeader(response as SipResponse, 'Accept')).toBe('application/sdp');
    expect(toTag(response as SipResponse)).toMatch(/^[0-9a-f]{16}$/);
    expectEchoes(response as SipResponse, wire);
  });

  it('refuses an unsupported Require with 420 listing exactly the unknown tags', async () => {
    const wire = requestText('OPTIONS', { transport, extra: ['Require: path, foo, bar'] });
    const [response] = await exchange(wire);
    expect(response?.status).toBe(420);
    expect(getHeaderValues(response as SipResponse, 'Unsupported')).toEqual(['foo', 'bar']);
    expectEchoes(response as SipResponse, wire);
  });

  it('answers a known method it does not offer with 405 and Allow', async () => {
    const [response] = await exchange(requestText('MESSAGE', { transport }));
    expect(response?.status).toBe(405);
    expect(getHeaderValues(response as SipResponse, 'Allow')).toContain('INVITE');
  });

  it('answers an unknown method with 501', async () => {
    const [response] = await exchange(requestText('FROBNICATE', { transport }));
    expect(response?.status).toBe(501);
  });

  it('answers another SIP version with 505', async () => {
    const [response] = await exchange(requestText('OPTIONS', { transport, version: 'SIP/3.0' }));
    expect(response?.status).toBe(505);
  });

  it('answers a request missing Max-Forwards with 400 naming the problem', async () => {
    const [response] = await exchange(
      requestText('OPTIONS', { transport, omit: ['Max-Forwards'] }),
    );
    expect(response?.status).toBe(400);
    expect(response?.reason).toMatch(/Max-Forwards/);
  });

  it('answers a CSeq method mismatch with 400', async () => {
    const [response] = await exchange(requestText('OPTIONS', { transport, cseq: '1 INVITE' }));
    expect(response?.status).toBe(400);
    expect(response?.reason).toMatch(/CSeq/);
  });

  it('answers a too large request with 513', async () => {
    const [response] = await exchange(
      requestText('MESSAGE', { transport, body: 'a'.repeat(20_000) }),
    );
    expect(response?.status).toBe(513);
  });

  it('runs a call: INVITE → 180, 200 with Contact and SDP (no 100: the answer is at once); ACK; BYE → 200', async () => {
    const peer =
      transport === 'UDP'
        ? await new UdpPeer(server.port).open()
        : await new TcpPeer(server.port).open();
    try {
      const invite = requestText('INVITE', {
        transport,
        callId: `call-${transport}-1@test`,
        fromTag: 'caller',
        body: OFFER,
        extra: ['Contact: <sip:alice@127.0.0.1:5999>'],
      });
      peer.send(invite);
      const responses = await peer.responses(2);
      expect(responses.map((response) => response.status)).toEqual([180, 200]);
      const [ringing, ok] = responses as [SipResponse, SipResponse];
      expect(toTag(ringing)).toBe(toTag(ok));
      expect(getHeader(ok, 'Contact')).toMatch(/^<sip:sipwire@127\.0\.0\.1:\d+/);
      expect(getHeader(ok, 'Content-Type')).toBe('application/sdp');
      expect(new TextDecoder().decode(ok.body)).toContain('m=audio 40000 RTP/AVP 0');
      expectEchoes(ok, invite);
      const tag = toTag(ok) ?? '';
      peer.send(
        requestText('ACK', {
          transport,
          callId: `call-${transport}-1@test`,
          toTag: tag,
          cseq: '1 ACK',
          fromTag: 'caller',
        }),
      );
      peer.send(
        requestText('BYE', {
          transport,
          callId: `call-${transport}-1@test`,
          toTag: tag,
          fromTag: 'caller',
          cseq: '2 BYE',
        }),
      );
      const all = await peer.responses(3);
      const bye = all.find((response) => getHeader(response, 'CSeq') === '2 BYE');
      expect(bye?.status).toBe(200);
      // the ACK matched the dialog (§13.2.2.4), so the 2xx is not retransmitted
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(peer.received.length).toBe(3);
    } finally {
      peer.close();
    }
  });

  it('answers BYE outside any dialog with 481', async () => {
    const [response] = await exchange(requestText('BYE', { transport, toTag: 'nosuchdialog' }));
    expect(response?.status).toBe(481);
  });

  it('answers a retransmitted request with the same response bytes', async () => {
    const peer =
      transport === 'UDP'
        ? await new UdpPeer(server.port).open()
        : await new TcpPeer(server.port).open();
    try {
      const wire = requestText('OPTIONS', { transport });
      peer.send(wire);
      await peer.responses(1);
      peer.send(wire);
      const [first, second] = await peer.responses(2);
      expect(first?.status).toBe(200);
      expect(toTag(second as SipResponse)).toBe(toTag(first as SipResponse));
    } finally {
      peer.close();
    }
  });

  it('registers bindings with their expiry, and refuses too brief ones with 423', async () => {
    const aor = `reg-${transport}`;
    const register = (expires: string, cseq: number): string =>
      requestText('REGISTER', {
        transport,
        callId: `${aor}@test`,
        cseq: `${cseq} REGISTER`,
        uri: 'sip:127.0.0.1',
        extra: [`Contact: <sip:${aor}@127.0.0.1:5999>`, `Expires: ${expires}`],
      }).replace('<sip:bob@127.0.0.1>', `<sip:${aor}@127.0.0.1>`);
    const [brief] = await exchange(register('10', 1));
    expect(brief?.status).toBe(423);
    expect(getHeader(brief as SipResponse, 'Min-Expires')).toBe('60');
    const [ok] = await exchange(register('120', 2));
    expect(ok?.status).toBe(200);
    const contact = parseNameAddr(getHeaderValues(ok as SipResponse, 'Contact')[0] ?? '');
    expect(contact.wildcard ? undefined : contact.params.get('expires')).toMatch(/^1(19|20)$/);
    expect(getHeader(ok as SipResponse, 'Date')).toMatch(/GMT$/);
    const [removed] = await exchange(register('0', 3));
    expect(removed?.status).toBe(200);
    expect(getHeaderValues(removed as SipResponse, 'Contact')).toEqual([]);
  });

  it('logs one line per transaction', () => {
    expect(
      log.some((line) => line.startsWith(`${transport} OPTIONS `) && line.endsWith('-> 200')),
    ).toBe(true);
  });
});

describe('the demo responder, transport specifics', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, udp: true, tcp: true, ringMs: 400 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves many requests in one TCP chunk, in order, on the same connection', async () => {
    const peer = await new TcpPeer(server.port).open();
    try {
      const wires = Array.from({ length: 20 }, (_, index) =>
        requestText('OPTIONS', { transport: 'TCP', cseq: `${index + 1} OPTIONS` }),
      );
      peer.send(wires.join(''));
      const responses = await peer.responses(20);
      expect(responses.map((response) => getHeader(response, 'CSeq'))).toEqual(
        wires.map((_, index) => `${index + 1} OPTIONS`),
      );
    } finally {
      peer.close();
    }
  });

  it('frames a request sent one byte per TCP write', async () => {
    const peer = await new TcpPeer(server.port).open();
    try {
      peer.socket.setNoDelay(true);
      const bytes = encoder.encode(requestText('OPTIONS', { transport: 'TCP' }));
      for (const byte of bytes) peer.send(new Uint8Array([byte]));
      const [response] = await peer.responses(1);
      expect(response?.status).toBe(200);
    } finally {
      peer.close();
    }
  });

  it('answers an RFC 5626 CRLFCRLF ping with a CRLF pong', async () => {
    const peer = await new TcpPeer(server.port).open();
    try {
      peer.send('\r\n\r\n');
      await peer.waitUntil(() => peer.keepAliveBytes > 0, 'a pong');
      expect(peer.keepAliveBytes).toBe(1);
    } finally {
      peer.close();
    }
  });

  it('closes a TCP connection after a framing error', async () => {
    const peer = await new TcpPeer(server.port).open();
    try {
      peer.send(
        'OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKx\r\nContent-Length: abc\r\n\r\n',
      );
      await peer.waitUntil(() => peer.closed, 'the connection to close');
    } finally {
      peer.close();
    }
  });

  it('answers the requests before a framing error in the same chunk, then closes', async () => {
    const peer = await new TcpPeer(server.port).open();
    try {
      peer.send(`${requestText('OPTIONS', { transport: 'TCP' })}GARBAGE\r\n\r\n`);
      const [response] = await peer.responses(1);
      expect(response?.status).toBe(200);
      await peer.waitUntil(() => peer.closed, 'the connection to close');
    } finally {
      peer.close();
    }
  });

  it('answers CANCEL with 200 and the ringing INVITE with 487', async () => {
    const peer = await new UdpPeer(server.port).open();
    try {
      const branch = 'z9hG4bK-cancel-me';
      peer.send(
        requestText('INVITE', {
          branch,
          callId: 'cancel@test',
          body: OFFER,
          extra: ['Contact: <sip:alice@127.0.0.1:5999>'],
        }),
      );
      await peer.responses(2);
      peer.send(requestText('CANCEL', { branch, callId: 'cancel@test', cseq: '1 CANCEL' }));
      const responses = await peer.responses(4);
      const statuses = responses.map(
        (response) => `${response.status} ${getHeader(response, 'CSeq')}`,
      );
      expect(statuses).toEqual(['100 1 INVITE', '180 1 INVITE', '200 1 CANCEL', '487 1 INVITE']);
      const [, ringing, cancelled, terminated] = responses as SipResponse[];
      expect(toTag(cancelled as SipResponse)).toBe(toTag(ringing as SipResponse));
      expect(toTag(terminated as SipResponse)).toBe(toTag(ringing as SipResponse));
    } finally {
      peer.close();
    }
  });

  it('answers CANCEL for an unknown transaction with 481', async () => {
    const peer = await new UdpPeer(server.port).open();
    try {
      peer.send(requestText('CANCEL', { branch: 'z9hG4bK-nothing', cseq: '1 CANCEL' }));
      const [response] = await peer.responses(1);
      expect(response?.status).toBe(481);
    } finally {
      peer.close();
    }
  });

  it('drops unparseable datagrams and keeps serving', async () => {
    const peer = await new UdpPeer(server.port).open();
    try {
      peer.send('this is not SIP\r\n\r\n');
      peer.send(requestText('OPTIONS'));
      const [response] = await peer.responses(1);
      expect(response?.status).toBe(200);
    } finally {
      peer.close();
    }
  });

  it('retransmits the final INVITE response over UDP until the ACK', async () => {
    const peer = await new UdpPeer(server.port).open();
    try {
      peer.send(
        requestText('INVITE', {
          callId: 'retrans@test',
          body: OFFER,
          extra: ['Contact: <sip:alice@127.0.0.1:5999>'],
        }),
      );
      // 100, 180, then 200 after 400 ms and its first retransmission T1 = 500 ms later.
      const responses = await peer.responses(4, 3000);
      expect(responses.map((response) => response.status)).toEqual([100, 180, 200, 200]);
    } finally {
      peer.close();
    }
  });
});

describe('the demo registrar with Digest authentication', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      udp: true,
      tcp: false,
      auth: { user: 'alice', password: 's3cret' },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(['MD5', 'SHA-256'] as const)(
    'challenges REGISTER with 401 and accepts a correct %s response',
    async (algorithm) => {
      const peer = await new UdpPeer(server.port).open();
      try {
        const base = {
          callId: `auth-${algorithm}@test`,
          uri: 'sip:127.0.0.1',
          extra: ['Contact: <sip:alice@127.0.0.1:5999>', 'Expires: 300'],
        };
        peer.send(requestText('REGISTER', { ...base, cseq: '1 REGISTER' }));
        const [challenge] = await peer.responses(1);
        expect(challenge?.status).toBe(401);
        const challenges = getHeaderValues(challenge as SipResponse, 'WWW-Authenticate');
        expect(challenges.map((value) => parseDigestChallenge(value).algorithm)).toEqual([
          'SHA-256',
          'MD5',
        ]);
        // the library's own client answers, choosing the asked algorithm
        const answer = await answerChallenge(
          challenges,
          { method: 'REGISTER', uri: 'sip:127.0.0.1' },
          { username: 'alice', password: 's3cret', algorithms: [algorithm] },
        );
        const authorization = `Authorization: ${answer.value}`;
        peer.send(
          requestText('REGISTER', {
            ...base,
            cseq: '2 REGISTER',
            extra: [...base.extra, authorization],
          }),
        );
        const responses = await peer.responses(2);
        expect(responses[1]?.status).toBe(200);
      } finally {
        peer.close();
      }
    },
  );

  it('refuses a wrong password with another 401', async () => {
    const peer = await new UdpPeer(server.port).open();
    try {
      const nonceHolder = server.responder.options.auth;
      expect(nonceHolder?.user).toBe('alice');
      const authorization =
        'Authorization: Digest username="alice", realm="sipwire", nonce="1.2.3", uri="sip:127.0.0.1", response="00000000000000000000000000000000"';
      peer.send(
        requestText('REGISTER', {
          uri: 'sip:127.0.0.1',
          extra: ['Contact: <sip:alice@127.0.0.1:5999>', authorization],
        }),
      );
      const [response] = await peer.responses(1);
      expect(response?.status).toBe(401);
    } finally {
      peer.close();
    }
  });
});

describe('the demo responder state', () => {
  it('stays within its caps under a flood of distinct transactions', async () => {
    const server = await startServer({
      host: '127.0.0.1',
      port: 0,
      udp: true,
      tcp: false,
      maxTransactions: 50,
      maxDialogs: 20,
    });
    const peer = await new UdpPeer(server.port).open();
    try {
      // In batches, so that loopback UDP buffers never drop what the test counts.
      for (let batch = 1; batch <= 15; batch++) {
        for (let index = 0; index < 20; index++) peer.send(requestText('OPTIONS'));
        await peer.responses(batch * 20, 5000);
      }
      expect(server.responder.stateSizes().transactions).toBeLessThanOrEqual(50);
    } finally {
      peer.close();
      await server.close();
    }
  });
});

describe('the demo responder over the server transactions, live on 127.0.0.1', () => {
  const servers: Record<'ok' | 'busy', RunningServer | undefined> = {
    ok: undefined,
    busy: undefined,
  };
  beforeAll(async () => {
    servers.ok = await startServer({ host: '127.0.0.1', port: 0, udp: true, tcp: true });
    servers.busy = await startServer({
      host: '127.0.0.1',
      port: 0,
      udp: true,
      tcp: true,
      inviteCode: 486,
    });
  });
  afterAll(async () => {
    await servers.ok?.close();
    await servers.busy?.close();
  });

  function invite(callId: string, branch: string): string {
    return requestText('INVITE', {
      callId,
      branch,
      fromTag: 'caller',
      body: OFFER,
      extra: ['Contact: <sip:alice@127.0.0.1:5999>'],
    });
  }

  const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

  it.each([
    ['a 2xx', 'ok', 200],
    ['a 486', 'busy', 486],
  ] as const)(
    'retransmits %s over UDP byte-identically until the ACK, then stops',
    async (_, which, code) => {
      const server = servers[which];
      if (server === undefined) throw new Error('no server');
      const unacked = await new UdpPeer(server.port).open();
      const acked = await new UdpPeer(server.port).open();
      try {
        unacked.send(invite(`lost-${code}@test`, `z9hG4bK-lost-${code}`));
        acked.send(invite(`acked-${code}@test`, `z9hG4bK-acked-${code}`));
        // 180, the final, and its first retransmission T1 = 500 ms later
        await acked.responses(3, 3000);
        const final = acked.received[1] as SipResponse;
        expect(final.status).toBe(code);
        expect(text(acked.raw[2])).toBe(text(acked.raw[1]));
        const tag = toTag(final) ?? '';
        acked.send(
          requestText('ACK', {
            callId: `acked-${code}@test`,
            // RFC 3261 §17.1.1.3: a non-2xx's ACK has the INVITE's branch; §13.2.2.4: a 2xx's a new one
            branch: code === 200 ? 'z9hG4bK-ack-new' : `z9hG4bK-acked-${code}`,
            fromTag: 'caller',
            toTag: tag,
            cseq: '1 ACK',
          }),
        );
        // 180, the final and three retransmissions, at T1, 3·T1 and 7·T1 (0.5, 1.5, 3.5 s)
        await unacked.responses(5, 6000);
        const finals = unacked.raw.slice(1).map(text);
        expect(new Set(finals).size).toBe(1);
        expect(finals[0]).toMatch(new RegExp(`^SIP/2.0 ${code} `));
        // the acknowledged one got nothing more: its next retransmission would have been at 1.5 s
        expect(acked.received.length).toBe(3);
      } finally {
        unacked.close();
        acked.close();
      }
    },
  );

  it('answers an OPTIONS sent twice with the same branch with the identical response', async () => {
    const server = servers.ok;
    if (server === undefined) throw new Error('no server');
    const peer = await new UdpPeer(server.port).open();
    try {
      const wire = requestText('OPTIONS', { branch: 'z9hG4bK-twice' });
      peer.send(wire);
      await peer.responses(1);
      peer.send(wire);
      await peer.responses(2);
      expect(text(peer.raw[1])).toBe(text(peer.raw[0]));
    } finally {
      peer.close();
    }
  });

  it('retransmits nothing over TCP', async () => {
    const server = servers.busy;
    if (server === undefined) throw new Error('no server');
    const peer = await new TcpPeer(server.port).open();
    try {
      peer.send(
        requestText('INVITE', {
          transport: 'TCP',
          callId: 'tcp-noack@test',
          body: OFFER,
          extra: ['Contact: <sip:alice@127.0.0.1:5999>'],
        }),
      );
      await peer.responses(2);
      // a UDP peer would have had its 486 again at 0.5 and 1.5 s
      await new Promise((resolve) => setTimeout(resolve, 1700));
      expect(peer.received.map((message) => (message as SipResponse).status)).toEqual([180, 486]);
    } finally {
      peer.close();
    }
  });
});
