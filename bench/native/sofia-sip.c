/* sofia-sip (libsofia-sip-ua): msg_make() parses one whole message with the SIP message class,
 * then the fields are read from the sip_t it fills. See driver.h for the protocol. */
#include <sofia-sip/msg.h>
#include <sofia-sip/msg_mclass.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>

#include "driver.h"

static msg_mclass_t const *mclass;

static void driver_init(void) { mclass = sip_default_mclass(); }

static volatile unsigned long sink;

static int read_message(const char *data, size_t length, struct reading *r, int copy) {
  msg_t *msg = msg_make(mclass, 0, data, (ssize_t)length);
  if (msg == NULL) return -1;
  sip_t const *sip = sip_object(msg);
  int result = -1;
  if (sip != NULL && (sip->sip_request != NULL || sip->sip_status != NULL) &&
      sip->sip_call_id != NULL && sip->sip_error == NULL) {
    r->is_response = sip->sip_status != NULL;
    if (sip->sip_status != NULL) r->status = sip->sip_status->st_status;
    else copy_field(r->method, sip->sip_request->rq_method_name, copy);
    copy_field(r->call_id, sip->sip_call_id->i_id, copy);
    if (sip->sip_cseq != NULL) {
      r->seq = sip->sip_cseq->cs_seq;
      copy_field(r->cseq_method, sip->sip_cseq->cs_method_name, copy);
    }
    if (sip->sip_via != NULL) copy_field(r->branch, sip->sip_via->v_branch, copy);
    if (sip->sip_to != NULL) copy_field(r->to_tag, sip->sip_to->a_tag, copy);
    r->body_length = sip->sip_payload != NULL ? (long)sip->sip_payload->pl_len : 0;
    sink += r->seq + (unsigned long)r->body_length;
    result = 0;
  }
  msg_destroy(msg);
  return result;
}
