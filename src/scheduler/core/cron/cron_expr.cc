// The cron grammar, per field:  list := item (',' item)*
//   item := '*' ['/' step] | value ['-' value ['/' step]]      value := number | name
// Ranges do not wrap (5-1 is refused, as in Vixie cron); a step needs `*` or a range.
#include "scheduler/core/cron/cron_expr.h"

#include <array>
#include <cctype>
#include <optional>
#include <vector>

namespace borealis::scheduler::cron {
namespace {

struct FieldSpec {
  const char* name;
  unsigned min;
  unsigned max;  // largest value written (7 for the day of week, read as Sunday)
  const std::array<const char*, 12>* names = nullptr;  // names[i] means min + i
};

constexpr std::array<const char*, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<const char*, 12> kDayNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

constexpr std::array<FieldSpec, 5> kFields = {{
    {"minute", 0, 59},
    {"hour", 0, 23},
    {"day of month", 1, 31},
    {"month", 1, 12, &kMonthNames},
    {"day of week", 0, 7, &kDayNames},
}};

// Reads one field's text; `offset` is where it starts in the whole schedule.
class FieldParser {
 public:
  FieldParser(const FieldSpec& spec, size_t index, std::string_view text, size_t offset)
      : spec_(spec), index_(index), text_(text), offset_(offset) {}

  // The set of values, as bits [0, max].
  Result<std::vector<bool>> parse() {
    std::vector<bool> bits(spec_.max + 1, false);
    while (true) {
      BOREALIS_RETURN_IF_ERROR(parse_item(bits));
      if (pos_ == text_.size()) return bits;
      if (text_[pos_] != ',') return error_here("expected ',', '-' or '/'");
      ++pos_;
    }
  }

 private:
  Status parse_item(std::vector<bool>& bits) {
    if (pos_ == text_.size() || text_[pos_] == ',') return error_here("empty list element");
    unsigned lo = spec_.min;
    unsigned hi = spec_.max == 7 ? 6 : spec_.max;  // `*` in the day of week is 0-6
    bool star = text_[pos_] == '*';
    bool range = star;
    if (star) {
      ++pos_;
    } else {
      BOREALIS_ASSIGN_OR_RETURN(lo, parse_value());
      hi = lo;
      if (pos_ < text_.size() && text_[pos_] == '-') {
        ++pos_;
        size_t at = pos_;
        BOREALIS_ASSIGN_OR_RETURN(hi, parse_value());
        if (hi < lo)
          return error_at(at, std::to_string(lo) + "-" + std::to_string(hi) +
                                  " is a range that runs backwards");
        range = true;
      }
    }
    unsigned step = 1;
    if (pos_ < text_.size() && text_[pos_] == '/') {
      if (!range) return error_here("a step needs '*' or a range before it");
      ++pos_;
      size_t at = pos_;
      BOREALIS_ASSIGN_OR_RETURN(step, parse_number());
      unsigned span = spec_.max - spec_.min + 1;
      if (step == 0 || step > span)
        return error_at(
            at, "step " + std::to_string(step) + " must be between 1 and " + std::to_string(span));
    }
    for (unsigned v = lo; v <= hi; v += step) bits[v] = true;
    return Status();
  }

  // A number or (in the month and weekday fields) a three-letter name.
  Result<unsigned> parse_value() {
    size_t at = pos_;
    if (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) {
      if (spec_.names == nullptr) return error_here("names are allowed only for months and days");
      std::string word;
      while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_])))
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(text_[pos_++])));
      for (size_t i = 0; i < spec_.names->size(); ++i)
        if ((*spec_.names)[i] != nullptr && word == (*spec_.names)[i])
          return spec_.min + static_cast<unsigned>(i);
      return error_at(at, "'" + word.substr(0, 16) + "' is not a " + spec_.name + " name");
    }
    BOREALIS_ASSIGN_OR_RETURN(unsigned v, parse_number());
    if (v < spec_.min || v > spec_.max)
      return error_at(at, std::to_string(v) + " is out of range " + std::to_string(spec_.min) +
                              "-" + std::to_string(spec_.max));
    return v;
  }

  // Digits only; more than three of them is never a valid value.
  Result<unsigned> parse_number() {
    size_t at = pos_;
    unsigned v = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      if (pos_ - at == 3) return error_at(at, "number too large");
      v = v * 10 + static_cast<unsigned>(text_[pos_++] - '0');
    }
    if (pos_ == at) return error_here("expected a number");
    return v;
  }

  Status error_here(const std::string& what) const { return error_at(pos_, what); }
  Status error_at(size_t pos, const std::string& what) const {
    std::string found = pos < text_.size() ? "'" + std::string(1, text_[pos]) + "'" : "the end";
    return invalid_argument("field " + std::to_string(index_ + 1) + " (" + spec_.name +
                            ") at character " + std::to_string(offset_ + pos + 1) + " (" + found +
                            "): " + what);
  }

  const FieldSpec& spec_;
  size_t index_;
  std::string_view text_;
  size_t offset_;
  size_t pos_ = 0;
};

template <size_t N>
std::bitset<N> to_bits(const std::vector<bool>& v) {
  std::bitset<N> b;
  for (size_t i = 0; i < v.size() && i < N; ++i) b[i] = v[i];
  return b;
}

// Largest day each month ever has (29 for February: leap years).
constexpr std::array<unsigned, 13> kMaxDays = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// Some month in the schedule has one of its days: otherwise it never fires.
bool some_day_exists(const CronExpr& e) {
  if (!e.day_of_week_star && !e.day_of_month_star) return true;  // OR: some weekday will do
  if (e.day_of_week_star && e.day_of_month_star) return true;
  if (!e.day_of_week_star) return e.days_of_week.any();  // day of month is `*`
  for (unsigned m = 1; m <= 12; ++m)
    for (unsigned d = 1; d <= kMaxDays[m]; ++d)
      if (e.months[m] && e.days_of_month[d]) return true;
  return false;
}

Status schedule_error(std::string_view text, const Status& why) {
  return invalid_argument("cron schedule '" + std::string(text) + "': " + why.message());
}

}  // namespace

bool CronExpr::matches_day(unsigned month, unsigned day, unsigned weekday) const {
  if (!months[month]) return false;
  bool dom = days_of_month[day];
  bool dow = days_of_week[weekday];
  if (day_of_month_star || day_of_week_star) return dom && dow;
  return dom || dow;
}

Result<CronExpr> parse_cron(std::string_view text) {
  if (text.size() > kMaxCronExprBytes)
    return invalid_argument("cron schedule is " + std::to_string(text.size()) +
                            " bytes, longer than " + std::to_string(kMaxCronExprBytes));
  if (!text.empty() && text[0] == '@')
    return schedule_error(text,
                          invalid_argument("macros such as @hourly are not supported (nor by "
                                           "Aurora): write the five fields, e.g. '0 * * * *'"));
  std::vector<std::pair<std::string_view, size_t>> fields;  // text, offset
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    fields.emplace_back(text.substr(start, i - start), start);
  }
  if (fields.size() != kFields.size())
    return schedule_error(text, invalid_argument("has " + std::to_string(fields.size()) +
                                                 " fields; a schedule has 5: minute hour "
                                                 "day-of-month month day-of-week"));
  std::array<std::vector<bool>, 5> bits;
  for (size_t f = 0; f < kFields.size(); ++f) {
    auto parsed = FieldParser(kFields[f], f, fields[f].first, fields[f].second).parse();
    if (!parsed.ok()) return schedule_error(text, parsed.status());
    bits[f] = std::move(*parsed);
  }
  if (bits[4][7]) bits[4][0] = true;  // 7 is Sunday too
  CronExpr e;
  e.minutes = to_bits<60>(bits[0]);
  e.hours = to_bits<24>(bits[1]);
  e.days_of_month = to_bits<32>(bits[2]);
  e.months = to_bits<13>(bits[3]);
  e.days_of_week = to_bits<7>(bits[4]);
  e.day_of_month_star = fields[2].first[0] == '*';
  e.day_of_week_star = fields[4].first[0] == '*';
  e.text = std::string(text);
  if (!some_day_exists(e))
    return schedule_error(text, invalid_argument("never fires: none of its months has any of "
                                                 "its days of the month"));
  return e;
}

}  // namespace borealis::scheduler::cron
