// parse_json: Boost.JSON's parser keeps the last of duplicate keys silently, so a body
// such as {"cpu": 1, "cpu": 64} would mean whatever the last writer chose. We refuse them.
//
// The fast path builds the value with a json::value_stack driven by our own handler, which
// also counts the keys the text holds; when the objects built hold fewer (a duplicate
// collapsed), a second, slower pass over the text finds the first duplicate and names it
// with its line, column and path. Well-formed documents pay one counter per object and a
// walk of the result, not a set of keys per object.
#include <boost/json/basic_parser_impl.hpp>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/strings.h"

namespace borealis {

namespace {

using boost::system::error_code;

// The parser's limits are Boost.JSON's own: only the keys are counted on top.
struct BuildHandler {
  static constexpr size_t max_array_size = json::array::max_size();
  static constexpr size_t max_object_size = json::object::max_size();
  static constexpr size_t max_string_size = json::string::max_size();
  static constexpr size_t max_key_size = json::string::max_size();

  json::value_stack st;
  size_t keys = 0;          // every key of every object in the text
  bool non_finite = false;  // a number Boost.JSON read as infinity or NaN

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(size_t n, error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_object_begin(error_code&) { return true; }
  bool on_object_end(size_t n, error_code&) {
    keys += n;
    st.push_object(n);
    return true;
  }
  bool on_string_part(json::string_view s, size_t, error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, size_t, error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_key_part(json::string_view s, size_t, error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, size_t, error_code&) {
    st.push_key(s);
    return true;
  }
  bool on_number_part(json::string_view, error_code&) { return true; }
  bool on_int64(int64_t i, json::string_view, error_code&) {
    st.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, json::string_view, error_code&) {
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, error_code& ec) {
    // JSON has no infinity or NaN, but Boost.JSON 1.81 reads "1e999" as infinity and
    // "0e3000" as NaN (found by fuzz/api_request); range checks would then see them.
    if (!std::isfinite(d)) {
      non_finite = true;
      ec = make_error_code(boost::system::errc::result_out_of_range);
      return false;
    }
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, error_code&) { return true; }
  bool on_comment(json::string_view, error_code&) { return true; }
};

// Finds the first duplicate key: a set of keys per open object, and the path to it.
struct DuplicateFinder {
  static constexpr size_t max_array_size = json::array::max_size();
  static constexpr size_t max_object_size = json::object::max_size();
  static constexpr size_t max_string_size = json::string::max_size();
  static constexpr size_t max_key_size = json::string::max_size();

  struct Frame {
    bool object = false;
    std::set<std::string, std::less<>> keys;
    std::string key;   // objects: the key of the member being read
    size_t next = 0;   // arrays: the index the next element gets
    size_t index = 0;  // arrays: the element being read
  };
  std::vector<Frame> frames;
  std::string partial_key;
  std::string duplicate;  // the path of the first duplicate, once found

  // A value starts: inside an array it is the next element.
  void value_begins() {
    if (!frames.empty() && !frames.back().object) frames.back().index = frames.back().next++;
  }
  std::string path() const {
    std::string out;
    for (const Frame& f : frames) {
      if (!f.object) {
        out += "[" + std::to_string(f.index) + "]";
      } else {
        if (!out.empty()) out += '.';
        out += f.key;
      }
    }
    return out;
  }
  bool scalar() {
    value_begins();
    return true;
  }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) {
    value_begins();
    frames.push_back(Frame{});
    return true;
  }
  bool on_array_end(size_t, error_code&) {
    frames.pop_back();
    return true;
  }
  bool on_object_begin(error_code&) {
    value_begins();
    frames.push_back(Frame{.object = true});
    return true;
  }
  bool on_object_end(size_t, error_code&) {
    frames.pop_back();
    return true;
  }
  bool on_string_part(json::string_view, size_t, error_code&) { return true; }
  bool on_string(json::string_view, size_t, error_code&) { return scalar(); }
  bool on_key_part(json::string_view s, size_t, error_code&) {
    partial_key.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, size_t, error_code& ec) {
    partial_key.append(s.data(), s.size());
    Frame& f = frames.back();
    f.key = std::move(partial_key);
    partial_key.clear();
    if (!f.keys.insert(f.key).second) {
      duplicate = path();
      ec = make_error_code(boost::system::errc::invalid_argument);
      return false;
    }
    return true;
  }
  bool on_number_part(json::string_view, error_code&) { return true; }
  bool on_int64(int64_t, json::string_view, error_code&) { return scalar(); }
  bool on_uint64(uint64_t, json::string_view, error_code&) { return scalar(); }
  bool on_double(double, json::string_view, error_code&) { return scalar(); }
  bool on_bool(bool, error_code&) { return scalar(); }
  bool on_null(error_code&) { return scalar(); }
  bool on_comment_part(json::string_view, error_code&) { return true; }
  bool on_comment(json::string_view, error_code&) { return true; }
};

size_t count_keys(const json::value& v) {
  if (v.is_object()) {
    size_t n = v.get_object().size();
    for (const auto& kv : v.get_object()) n += count_keys(kv.value());
    return n;
  }
  if (v.is_array()) {
    size_t n = 0;
    for (const auto& item : v.get_array()) n += count_keys(item);
    return n;
  }
  return 0;
}

std::string at(std::string_view text, size_t pos) {
  auto [line, col] = line_col(text, pos);
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

// Parses the whole of `text` with `handler`; the offset it stopped at, and why.
template <typename Handler>
size_t run(json::basic_parser<Handler>& p, std::string_view text, error_code& ec) {
  size_t n = p.write_some(false, text.data(), text.size(), ec);
  if (!ec && n < text.size()) ec = json::error::extra_data;
  return n;
}

Status duplicate_key_error(std::string_view text) {
  json::basic_parser<DuplicateFinder> p{json::parse_options{}};
  error_code ec;
  size_t n = run(p, text, ec);
  const std::string& path = p.handler().duplicate;
  if (path.empty())  // the fast path's count and this pass disagree: a bug, not input
    return internal_error("JSON: objects hold fewer keys than the text, but none repeats");
  return invalid_argument("duplicate key '" + p.handler().frames.back().key + "' at " +
                          at(text, n) + " (" + path + ")");
}

}  // namespace

Result<json::value> parse_json(std::string_view text) {
  json::basic_parser<BuildHandler> p{json::parse_options{}};
  p.handler().st.reset();
  error_code ec;
  size_t n = run(p, text, ec);
  if (ec && p.handler().non_finite)
    return invalid_argument("number out of range at " + at(text, n) +
                            ": JSON numbers must be finite doubles (at most about 1.8e308)");
  if (ec) return invalid_argument("malformed JSON at " + at(text, n) + ": " + ec.message());
  json::value v = p.handler().st.release();
  if (count_keys(v) != p.handler().keys) return duplicate_key_error(text);
  return v;
}

}  // namespace borealis
