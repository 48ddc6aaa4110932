/* GNU oSIP (libosip2's parser, libosipparser2): osip_message_parse() on one whole message, then
 * the fields are read through its getters. See driver.h for the protocol. */
#include <osipparser2/osip_parser.h>

#include "driver.h"

static void driver_init(void) { parser_init(); }

static volatile unsigned long sink;

static int read_message(const char *data, size_t length, struct reading *r, int copy) {
  osip_message_t *sip;
  if (osip_message_init(&sip) != 0) return -1;
  int result = -1;
  if (osip_message_parse(sip, data, length) == 0 && sip->call_id != NULL) {
    r->is_response = MSG_IS_RESPONSE(sip);
    if (r->is_response) r->status = sip->status_code;
    else copy_field(r->method, sip->sip_method, copy);
    osip_call_id_t *call_id = osip_message_get_call_id(sip);
    if (copy && call_id != NULL) {
      if (call_id->host != NULL)
        snprintf(r->call_id, FIELD_MAX, "%s@%s", call_id->number, call_id->host);
      else
        copy_field(r->call_id, call_id->number, copy);
    }
    osip_cseq_t *cseq = osip_message_get_cseq(sip);
    if (cseq != NULL && cseq->number != NULL) {
      r->seq = strtoul(cseq->number, NULL, 10);
      copy_field(r->cseq_method, cseq->method, copy);
    }
    osip_via_t *via = NULL;
    if (osip_message_get_via(sip, 0, &via) >= 0 && via != NULL) {
      osip_generic_param_t *branch = NULL;
      osip_via_param_get_byname(via, "branch", &branch);
      if (branch != NULL) copy_field(r->branch, branch->gvalue, copy);
    }
    osip_to_t *to = osip_message_get_to(sip);
    if (to != NULL) {
      osip_generic_param_t *tag = NULL;
      osip_to_get_tag(to, &tag);
      if (tag != NULL) copy_field(r->to_tag, tag->gvalue, copy);
    }
    osip_body_t *body = NULL;
    r->body_length = 0;
    for (int i = 0; osip_message_get_body(sip, i, &body) >= 0 && body != NULL; i++) {
      r->body_length += (long)body->length;
      body = NULL;
    }
    sink += r->seq + (unsigned long)r->body_length;
    result = 0;
  }
  osip_message_free(sip);
  return result;
}
