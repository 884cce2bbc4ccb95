// The {{}} templating engine: one implementation for the Aurora config loader (through
// pybind11) and for the runner (binding thermos.* and mesos.* at launch).
//
// A template is text with mustache references: "python -u app.py --port={{thermos.ports[http]}}".
// A reference is a path of components: names joined by '.', and indexes in brackets
// ("a.b", "list[0]", "map[key]", "thermos.ports[http]"). Whitespace inside the braces is
// allowed around the path ("{{ a.b }}"). "a.[b]" is read as "a[b]" (Aurora configs in the
// wild use both spellings). "{{a{{b}}}}" (a mustache inside a mustache) is refused.
//
// Interpolation never throws: references a Scope cannot resolve are left in the text as
// they were and reported, so a caller decides whether "unbound" is an error (the loader,
// for everything but thermos.*/mesos.*) or expected (a partial binding).
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace borealis::tmpl {

struct RefComponent {
  enum class Kind { kName, kIndex };
  Kind kind = Kind::kName;
  std::string text;  // "ports" for a name, "http" or "0" for an index
  bool operator==(const RefComponent&) const = default;
};

struct Ref {
  std::vector<RefComponent> path;

  // Parses "a.b[c].d"; errors name the reference and the position.
  static Result<Ref> parse(std::string_view text);
  // Canonical text: "thermos.ports[http]".
  std::string to_string() const;
  // True when the first component is `name` ("thermos", "mesos").
  bool in_scope(std::string_view name) const;
  bool operator==(const Ref&) const = default;
};

struct Segment {
  bool is_ref = false;
  std::string literal;  // text when !is_ref; the original "{{...}}" text when is_ref
  Ref ref;              // when is_ref
};

// Splits a template into literal and reference segments.
Result<std::vector<Segment>> parse(std::string_view text);

// Returns every reference in `text` (in order, with repeats).
Result<std::vector<Ref>> references(std::string_view text);

// Resolves a reference to its text, or nullopt when this scope does not bind it.
using Resolver = std::function<std::optional<std::string>(const Ref&)>;

struct Interpolation {
  std::string text;          // the result; unresolved references left as written
  std::vector<Ref> unbound;  // distinct unresolved references, in first-seen order
};

// Replaces every reference the resolver binds. Resolved text is itself interpolated
// again (a value may contain references), up to `max_depth` rounds; a cycle deeper than
// that is an error naming the reference.
Result<Interpolation> interpolate(std::string_view text, const Resolver& resolver,
                                  int max_depth = 32);

// A flat scope keyed by canonical reference text: {"thermos.ports[http]": "31000"}.
Resolver map_resolver(std::map<std::string, std::string> bindings);

}  // namespace borealis::tmpl
