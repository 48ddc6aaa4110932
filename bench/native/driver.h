/*
 * The shared half of the C parse drivers (sofia-sip.c, osip2.c): reads a corpus file, checks
 * or times one parser on it, prints the result. Each driver defines read_message(), which
 * parses one whole message and reads the same fields as the JS contestants do: start line,
 * Call-ID, CSeq number and method, top Via branch, To tag and body length.
 *
 *   driver CORPUS check                          one line per message: the fields, tab-separated
 *   driver CORPUS time WARMUP_MS MEASURE_MS START
 *                                                JSON: passes, elapsedMs, messages, bytes, peak RSS
 *
 * The corpus file is a sequence of (4-byte little-endian length, message bytes). A pass is a
 * batch of 64 messages taken round-robin from START, as bench/child.mjs times JS parsers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#define FIELD_MAX 256

struct reading {
  int is_response;
  int status;
  char method[FIELD_MAX];
  char call_id[FIELD_MAX];
  unsigned long seq;
  char cseq_method[FIELD_MAX];
  char branch[FIELD_MAX];
  char to_tag[FIELD_MAX];
  long body_length;
};

/* Parses one message and fills `r` (copying only in check mode: `copy` is 0 when timed). */
static int read_message(const char *data, size_t length, struct reading *r, int copy);
static void driver_init(void);

static void copy_field(char *to, const char *from, int copy) {
  if (!copy) return;
  if (from == NULL) {
    to[0] = '\0';
    return;
  }
  snprintf(to, FIELD_MAX, "%s", from);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s CORPUS check | time WARMUP_MS MEASURE_MS START\n", argv[0]);
    return 2;
  }
  FILE *file = fopen(argv[1], "rb");
  if (file == NULL) return 2;
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  unsigned char *all = malloc(size);
  if (all == NULL || fread(all, 1, size, file) != (size_t)size) return 2;
  fclose(file);
  size_t count = 0;
  for (long at = 0; at + 4 <= size; count++) {
    uint32_t n = all[at] | all[at + 1] << 8 | all[at + 2] << 16 | (uint32_t)all[at + 3] << 24;
    at += 4 + n;
  }
  const char **messages = malloc(count * sizeof *messages);
  size_t *lengths = malloc(count * sizeof *lengths);
  long at = 0;
  for (size_t i = 0; i < count; i++) {
    uint32_t n = all[at] | all[at + 1] << 8 | all[at + 2] << 16 | (uint32_t)all[at + 3] << 24;
    /* each message in its own buffer with a NUL after it, as a receive buffer would be */
    char *copy = malloc(n + 1);
    memcpy(copy, all + at + 4, n);
    copy[n] = '\0';
    messages[i] = copy;
    lengths[i] = n;
    at += 4 + n;
  }
  /* Results go to the original stdout; whatever a library logs there goes to /dev/null */
  FILE *out = fdopen(dup(1), "w");
  int null_fd = open("/dev/null", O_WRONLY);
  if (out == NULL || null_fd < 0 || dup2(null_fd, 1) < 0) return 2;
  driver_init();
  static struct reading r;
  if (strcmp(argv[2], "check") == 0) {
    for (size_t i = 0; i < count; i++) {
      memset(&r, 0, sizeof r);
      if (read_message(messages[i], lengths[i], &r, 1) != 0) {
        fprintf(out, "error\n");
        continue;
      }
      fprintf(out, "ok\t%s\t%d\t%s\t%s\t%lu\t%s\t%s\t%s\t%ld\n", r.is_response ? "response" : "request",
             r.status, r.method, r.call_id, r.seq, r.cseq_method, r.branch, r.to_tag, r.body_length);
    }
    fclose(out);
    return 0;
  }
  if (argc < 6 || count == 0) return 2;
  double warmup_ms = atof(argv[3]);
  double measure_ms = atof(argv[4]);
  size_t next = (size_t)atol(argv[5]) % count;
  size_t batch = count < 64 ? count : 64;
  double elapsed = 0;
  long passes = 0, failures = 0;
  double bytes = 0;
  double warmup_end = now_ms() + warmup_ms;
  for (int timed = 0; timed < 2; timed++) {
    while (timed ? (elapsed < measure_ms || passes < 3) : now_ms() < warmup_end) {
      double start = now_ms();
      for (size_t n = 0; n < batch; n++) {
        if (read_message(messages[next], lengths[next], &r, 0) != 0) failures++;
        bytes += lengths[next];
        next = next + 1 == count ? 0 : next + 1;
      }
      if (timed) {
        elapsed += now_ms() - start;
        passes++;
      }
    }
    if (!timed) bytes = 0;
  }
  /* peak resident set size, as the JS rows report theirs */
  long peak_kib = 0;
  FILE *status = fopen("/proc/self/status", "r");
  char line[256];
  while (status != NULL && fgets(line, sizeof line, status) != NULL) {
    if (strncmp(line, "VmHWM:", 6) == 0) peak_kib = atol(line + 6);
  }
  if (status != NULL) fclose(status);
  fprintf(out, "{\"passes\":%ld,\"elapsedMs\":%f,\"messagesPerPass\":%zu,\"bytes\":%.0f,\"failures\":%ld,"
         "\"peakRssBytes\":%ld}\n",
         passes, elapsed, batch, bytes, failures, peak_kib * 1024);
  fclose(out);
  return 0;
}
