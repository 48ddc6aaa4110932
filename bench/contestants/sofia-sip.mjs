// sofia-sip (C, libsofia-sip-ua): msg_make() with the SIP message class on each message, then
// the sip_t fields, through bench/native/sofia-sip.c (built at run time; see lib/native.mjs).

import { nativeContestant } from '../lib/native.mjs';

export const contestant = nativeContestant({
  id: 'sofia-sip',
  pkg: 'sofia-sip-ua',
  source: 'sofia-sip.c',
  api: 'msg_make(sip_default_mclass(), 0, bytes, length) + sip_object() fields (C, cc -O2)',
});
