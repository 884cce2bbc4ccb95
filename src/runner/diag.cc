#include "runner/diag.h"

#include <time.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>

namespace borealis::runner {

namespace {

// UTC calendar fields from seconds since the epoch, without glibc's gmtime (which loads
// the time zone database into the heap of an otherwise idle runner).
void utc(int64_t secs, int* y, int* mo, int* d, int* h, int* mi, int* s) {
  int64_t days = secs / 86400, rem = secs % 86400;
  *h = static_cast<int>(rem / 3600);
  *mi = static_cast<int>(rem % 3600 / 60);
  *s = static_cast<int>(rem % 60);
  // Howard Hinnant's civil_from_days.
  days += 719468;
  int64_t era = days / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *mo = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*mo <= 2));
}

}  // namespace

void diag(const char* format, ...) {
  char line[1024];
  struct timespec ts {};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  int y, mo, d, h, mi, s;
  utc(ts.tv_sec, &y, &mo, &d, &h, &mi, &s);
  int n = std::snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ runner[%d] ", y,
                        mo, d, h, mi, s, ts.tv_nsec / 1'000'000, static_cast<int>(::getpid()));
  if (n < 0) return;
  va_list args;
  va_start(args, format);
  int m = std::vsnprintf(line + n, sizeof line - static_cast<size_t>(n) - 1, format, args);
  va_end(args);
  size_t len = static_cast<size_t>(n) + (m < 0 ? 0 : static_cast<size_t>(m));
  if (len > sizeof line - 2) len = sizeof line - 2;
  line[len++] = '\n';
  ssize_t ignored = ::write(2, line, len);
  (void)ignored;
}

}  // namespace borealis::runner
