// What every contestant reads from a parsed message, written into one reusable object so the
// timed loops allocate nothing of their own: the start line, Call-ID, CSeq number and method,
// the top Via's branch and the To tag (what a transaction layer needs), plus the body.

/** A fresh sink; every field is overwritten by each read. */
export function createSink() {
  return {
    type: '',
    status: 0,
    reason: '',
    method: '',
    uri: undefined,
    callId: '',
    seq: 0,
    cseqMethod: '',
    branch: '',
    toTag: '',
    body: undefined,
  };
}

/** Fills the sink with values no contestant produces, so a read that is skipped shows up. */
export function poisonSink(sink) {
  sink.type = '\u0000';
  sink.status = -1;
  sink.reason = '\u0000';
  sink.method = '\u0000';
  sink.uri = '\u0000';
  sink.callId = '\u0000';
  sink.seq = -1;
  sink.cseqMethod = '\u0000';
  sink.branch = '\u0000';
  sink.toTag = '\u0000';
  sink.body = '\u0000';
}
