#include "taskcontract/json_lite.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "common/enum_names.h"
#include "common/strings.h"

namespace borealis::taskcontract::json {

namespace {

constexpr int kMaxDepth = 64;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Value> document() {
    Value v;
    skip_space();
    BOREALIS_RETURN_IF_ERROR(value(&v, 0));
    skip_space();
    if (pos_ != text_.size()) return error("unexpected text after the JSON value");
    return v;
  }

 private:
  Status error(std::string_view what) const {
    auto [line, column] = line_col(text_, pos_);
    return invalid_argument("line " + std::to_string(line) + ", column " + std::to_string(column) +
                            ": " + std::string(what));
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status value(Value* out, int depth) {
    if (depth > kMaxDepth) return error("nested too deeply");
    if (pos_ >= text_.size()) return error("expected a value, found the end of the text");
    char c = text_[pos_];
    switch (c) {
      case '{':
        return object(out, depth);
      case '[':
        return array(out, depth);
      case '"':
        out->type = Value::Type::kString;
        return string(&out->string);
      case 't':
      case 'f':
        if (consume("true")) {
          out->type = Value::Type::kBool;
          out->boolean = true;
          return Status();
        }
        if (consume("false")) {
          out->type = Value::Type::kBool;
          return Status();
        }
        return error("unexpected character");
      case 'n':
        if (consume("null")) return Status();
        return error("unexpected character");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number(out);
        return error("unexpected character");
    }
  }

  Status object(Value* out, int depth) {
    out->type = Value::Type::kObject;
    ++pos_;  // '{'
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return Status();
    }
    while (true) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return error("expected a string key");
      std::string key;
      BOREALIS_RETURN_IF_ERROR(string(&key));
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return error("expected ':'");
      ++pos_;
      skip_space();
      Value v;
      BOREALIS_RETURN_IF_ERROR(value(&v, depth + 1));
      out->object.emplace_back(std::move(key), std::move(v));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return Status();
      }
      return error("expected ',' or '}'");
    }
  }

  Status array(Value* out, int depth) {
    out->type = Value::Type::kArray;
    ++pos_;  // '['
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return Status();
    }
    while (true) {
      skip_space();
      Value v;
      BOREALIS_RETURN_IF_ERROR(value(&v, depth + 1));
      out->array.push_back(std::move(v));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return Status();
      }
      return error("expected ',' or ']'");
    }
  }

  static void append_utf8(std::string* out, uint32_t cp) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool hex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_ + i];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    pos_ += 4;
    *out = v;
    return true;
  }

  Status string(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) return error("unterminated string");
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return Status();
      }
      if (static_cast<unsigned char>(c) < 0x20) return error("control character in a string");
      if (c != '\\') {
        out->push_back(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) return error("unterminated string");
      char e = text_[pos_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(&cp)) return error("bad \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (!consume("\\u") || !hex4(&low) || low < 0xDC00 || low > 0xDFFF)
              return error("unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return error("unpaired surrogate in \\u escape");
          }
          append_utf8(out, cp);
          break;
        }
        default:
          --pos_;
          return error("bad escape in a string");
      }
    }
  }

  Status number(Value* out) {
    size_t begin = pos_;
    if (text_[pos_] == '-') ++pos_;
    auto digits = [&] {
      size_t b = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - b;
    };
    size_t int_begin = pos_;
    if (digits() == 0) return error("expected digits");
    if (text_[int_begin] == '0' && pos_ - int_begin > 1) {
      pos_ = int_begin;
      return error("leading zero in a number");
    }
    bool integral = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      integral = false;
      if (digits() == 0) return error("expected digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      integral = false;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return error("expected digits in the exponent");
    }
    std::string_view num = text_.substr(begin, pos_ - begin);
    out->type = Value::Type::kNumber;
    if (integral) {
      int64_t i = 0;
      auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), i);
      if (ec == std::errc() && p == num.data() + num.size()) {
        out->is_integer = true;
        out->integer = i;
        out->number = static_cast<double>(i);
        return Status();
      }
    }
    // strtod needs a terminated string; numbers are short.
    std::string copy(num);
    out->number = std::strtod(copy.c_str(), nullptr);
    if (!std::isfinite(out->number)) return error("number out of range");
    return Status();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Value::Value() = default;
Value::~Value() = default;
Value::Value(const Value&) = default;
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(const Value&) = default;
Value& Value::operator=(Value&&) noexcept = default;

const Value* Value::find(std::string_view key) const {
  for (const auto& [k, v] : object)
    if (k == key) return &v;
  return nullptr;
}

namespace {
// Indexed by Value::Type.
constexpr std::array<std::string_view, 6> kTypeNames = {"null",     "a boolean", "a number",
                                                        "a string", "an array",  "an object"};
}  // namespace

std::string_view type_name(Value::Type type) { return enum_name(kTypeNames, type); }

Result<Value> parse(std::string_view text) { return Parser(text).document(); }

void append_quoted(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (u < 0x20 || u == 0x7F) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

size_t quoted_size(std::string_view s) {
  size_t n = 2;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t')
      n += 2;
    else if (u < 0x20 || u == 0x7F)
      n += 6;
    else
      n += 1;
  }
  return n;
}

}  // namespace borealis::taskcontract::json
