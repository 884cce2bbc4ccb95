#include "template/template.h"

#include <algorithm>

namespace borealis::tmpl {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '&';
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<Ref> Ref::parse(std::string_view text) {
  std::string_view s = strip(text);
  auto fail = [&](size_t pos, const char* what) -> Status {
    return invalid_argument("bad reference '{{" + std::string(text) + "}}' at character " +
                            std::to_string(pos + 1) + ": " + what);
  };
  if (s.empty()) return fail(0, "empty reference");
  Ref ref;
  size_t i = 0;
  bool expect_name = true;
  while (i < s.size()) {
    char c = s[i];
    if (c == '[') {
      size_t close = s.find(']', i + 1);
      if (close == std::string_view::npos) return fail(i, "'[' without ']'");
      std::string_view idx = strip(s.substr(i + 1, close - i - 1));
      if (idx.empty()) return fail(i, "empty index");
      if (idx.find('[') != std::string_view::npos) return fail(i, "nested '['");
      if (ref.path.empty()) return fail(i, "an index needs a name before it");
      ref.path.push_back({RefComponent::Kind::kIndex, std::string(idx)});
      i = close + 1;
      expect_name = false;
      continue;
    }
    if (c == '.') {
      if (expect_name) return fail(i, "unexpected '.'");
      // "a.[b]" is read as "a[b]": some Aurora configs in the wild spell an index so.
      if (i + 1 < s.size() && s[i + 1] == '[') {
        ++i;
        continue;
      }
      expect_name = true;
      ++i;
      continue;
    }
    if (!is_name_char(c)) return fail(i, "unexpected character");
    if (!expect_name) return fail(i, "expected '.' or '[' between names");
    size_t b = i;
    while (i < s.size() && is_name_char(s[i])) ++i;
    ref.path.push_back({RefComponent::Kind::kName, std::string(s.substr(b, i - b))});
    expect_name = false;
  }
  if (expect_name) return fail(s.size() - 1, "reference ends with '.'");
  return ref;
}

std::string Ref::to_string() const {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i].kind == RefComponent::Kind::kIndex) {
      out += '[';
      out += path[i].text;
      out += ']';
    } else {
      if (i) out += '.';
      out += path[i].text;
    }
  }
  return out;
}

bool Ref::in_scope(std::string_view name) const {
  return !path.empty() && path[0].kind == RefComponent::Kind::kName && path[0].text == name;
}

Result<std::vector<Segment>> parse(std::string_view text) {
  std::vector<Segment> out;
  size_t pos = 0;
  std::string literal;
  while (pos < text.size()) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      literal.append(text.substr(pos));
      break;
    }
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      // An unmatched "{{" is plain text, as in pystachio (e.g. shell "{{" in a cmdline).
      literal.append(text.substr(pos));
      break;
    }
    size_t inner_open = text.find("{{", open + 2);
    if (inner_open != std::string_view::npos && inner_open < close) {
      return invalid_argument("nested mustache in '" + std::string(text) + "' at character " +
                              std::to_string(inner_open + 1) +
                              ": '{{' inside '{{...}}' is not allowed");
    }
    literal.append(text.substr(pos, open - pos));
    if (!literal.empty()) {
      out.push_back(Segment{false, std::move(literal), {}});
      literal.clear();
    }
    std::string_view inner = text.substr(open + 2, close - open - 2);
    auto ref = Ref::parse(inner);
    if (!ref.ok()) return ref.status();
    out.push_back(Segment{true, std::string(text.substr(open, close + 2 - open)), *ref});
    pos = close + 2;
  }
  if (!literal.empty()) out.push_back(Segment{false, std::move(literal), {}});
  return out;
}

Result<std::vector<Ref>> references(std::string_view text) {
  auto segs = parse(text);
  if (!segs.ok()) return segs.status();
  std::vector<Ref> refs;
  for (auto& s : *segs)
    if (s.is_ref) refs.push_back(std::move(s.ref));
  return refs;
}

Result<Interpolation> interpolate(std::string_view text, const Resolver& resolver, int max_depth) {
  Interpolation result;
  auto segs = parse(text);
  if (!segs.ok()) return segs.status();
  for (const Segment& seg : *segs) {
    if (!seg.is_ref) {
      result.text += seg.literal;
      continue;
    }
    std::optional<std::string> value = resolver(seg.ref);
    if (!value) {
      result.text += seg.literal;
      if (std::find(result.unbound.begin(), result.unbound.end(), seg.ref) == result.unbound.end())
        result.unbound.push_back(seg.ref);
      continue;
    }
    if (value->find("{{") != std::string::npos) {
      if (max_depth <= 0) {
        return invalid_argument("reference '{{" + seg.ref.to_string() +
                                "}}' does not resolve: its value refers back to itself");
      }
      auto inner = interpolate(*value, resolver, max_depth - 1);
      if (!inner.ok()) return inner.status();
      result.text += inner->text;
      for (auto& r : inner->unbound)
        if (std::find(result.unbound.begin(), result.unbound.end(), r) == result.unbound.end())
          result.unbound.push_back(std::move(r));
    } else {
      result.text += *value;
    }
  }
  return result;
}

Resolver map_resolver(std::map<std::string, std::string> bindings) {
  return [bindings = std::move(bindings)](const Ref& ref) -> std::optional<std::string> {
    auto it = bindings.find(ref.to_string());
    if (it == bindings.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace borealis::tmpl
