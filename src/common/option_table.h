// A daemon's options as data (docs/CONVENTIONS "Options as data"): every flag is described
// once — its name, value name, help, checks and the field of the options struct it sets —
// in an OptionTable. The command line (cli/daemon_commands.cc registers every daemon's
// table with CLI11), `--help` and the flag tables in docs/ all come from that one list, and
// the field's initial value in a default-constructed struct is the documented default.
//
// A bigger command composes tables: nested() turns a spec of a part (the scheduler's
// SchedulerOptions) into a spec of the whole (`borealis dev`'s DevOptions), so the part's
// flag keeps its one description.
//
// Thread-safety: plain values; build tables once and read them from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace borealis {

// Where a parsed value goes: a string or int field, or a bool field set by a bare switch.
using OptionField = std::variant<std::string*, int*, bool*>;

template <class Options>
struct OptionSpec {
  std::string_view flag;        // "--http-port"
  std::string_view value_name;  // "N"; unused for a switch
  std::string_view help;
  std::function<OptionField(Options&)> field;
  bool required = false;
  // How the default reads in help and docs; "" = the field's value in `Options{}`.
  std::string_view default_text = {};
  // Accepted values, checked while parsing (an int field's range, a string's choices).
  std::optional<std::pair<int, int>> range = {};
  std::vector<std::string> choices = {};
};

template <class Options>
using OptionTable = std::vector<OptionSpec<Options>>;

// The field `member` of Options, for OptionSpec::field.
template <class Options, class T>
std::function<OptionField(Options&)> option_field(T Options::*member) {
  return [member](Options& o) -> OptionField { return &(o.*member); };
}

// `spec` of a part, setting that part of a whole: `nested(spec, &DevOptions::scheduler)`.
template <class Whole, class Part>
OptionSpec<Whole> nested(const OptionSpec<Part>& spec, Part Whole::*part) {
  OptionSpec<Whole> out{spec.flag,     spec.value_name,   spec.help,  nullptr,
                        spec.required, spec.default_text, spec.range, spec.choices};
  out.field = [inner = spec.field, part](Whole& whole) { return inner(whole.*part); };
  return out;
}

// The spec of `flag` in `table`; a flag that is not there is a bug of the caller.
template <class Options>
const OptionSpec<Options>& option_spec(const OptionTable<Options>& table, std::string_view flag) {
  for (const auto& spec : table)
    if (spec.flag == flag) return spec;
  check_failed("option_spec", __FILE__, __LINE__, "no option " + std::string(flag));
}

// The default as help and docs show it: "required", the spec's default_text, or the
// field's value in a default-constructed Options ("" for a switch).
template <class Options>
std::string option_default_text(const OptionSpec<Options>& spec) {
  if (spec.required) return "required";
  if (!spec.default_text.empty()) return std::string(spec.default_text);
  Options defaults{};
  struct Text {
    std::string operator()(std::string* s) const { return *s; }
    std::string operator()(int* i) const { return std::to_string(*i); }
    std::string operator()(bool*) const { return ""; }
  };
  return std::visit(Text{}, spec.field(defaults));
}

// "--http-port N", or "--flag" for a switch.
template <class Options>
std::string option_usage(const OptionSpec<Options>& spec) {
  Options probe{};
  if (std::holds_alternative<bool*>(spec.field(probe))) return std::string(spec.flag);
  return std::string(spec.flag) + " " + std::string(spec.value_name);
}

// The table in Markdown, for the docs: | flag | default | what |.
template <class Options>
std::string options_markdown(const OptionTable<Options>& table) {
  std::string out = "| flag | default | what |\n|---|---|---|\n";
  for (const auto& spec : table) {
    out += "| `" + option_usage(spec) + "` | " + option_default_text(spec) + " | " +
           std::string(spec.help) + " |\n";
  }
  return out;
}

}  // namespace borealis
