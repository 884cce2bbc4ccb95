#include "taskcontract/checkpoint_record.h"

#include "taskcontract/json_lite.h"

namespace borealis::taskcontract {

namespace {

using Record = CheckpointRecord;

void append_int_field(std::string* out, std::string_view key, int64_t v) {
  out->append(",\"").append(key).append("\":").append(std::to_string(v));
}

void append_str_field(std::string* out, std::string_view key, std::string_view v) {
  out->append(",\"").append(key).append("\":");
  json::append_quoted(out, v);
}

Result<int64_t> int_field(const json::Value& obj, std::string_view key, bool required) {
  const json::Value* v = obj.find(key);
  if (!v) {
    if (required) return invalid_argument(std::string(key) + ": is required");
    return int64_t{0};
  }
  if (v->type != json::Value::Type::kNumber || !v->is_integer)
    return invalid_argument(std::string(key) + ": expected an integer");
  return v->integer;
}

Status str_field(const json::Value& obj, std::string_view key, std::string* out) {
  const json::Value* v = obj.find(key);
  if (!v) return Status();
  if (v->type != json::Value::Type::kString)
    return invalid_argument(std::string(key) + ": expected a string");
  *out = v->string;
  return Status();
}

Status require_state(const Record& r, std::string_view type) {
  if (r.state.empty())
    return invalid_argument("state: a " + std::string(type) + " record needs one");
  return Status();
}

}  // namespace

std::string format_record(const Record& r) {
  std::string out;
  out.reserve(128);
  out.append("{\"ts\":").append(std::to_string(r.ts));
  switch (r.type) {
    case Record::Type::kRunner:
      append_str_field(&out, "type", "runner");
      append_int_field(&out, "pid", r.pid);
      append_int_field(&out, "start_ticks", r.start_ticks);
      break;
    case Record::Type::kTask:
      append_str_field(&out, "type", "task");
      append_str_field(&out, "state", r.state);
      break;
    case Record::Type::kProcess:
      append_str_field(&out, "type", "process");
      append_str_field(&out, "name", r.name);
      append_int_field(&out, "run", r.run);
      append_str_field(&out, "state", r.state);
      if (r.pid != 0) append_int_field(&out, "pid", r.pid);
      if (r.exit_code) append_int_field(&out, "exit_code", *r.exit_code);
      if (r.signal) append_int_field(&out, "signal", *r.signal);
      break;
    case Record::Type::kOther:
      append_str_field(&out, "type", "other");
      break;
  }
  if (!r.message.empty()) append_str_field(&out, "message", r.message);
  out.append("}\n");
  return out;
}

Result<Record> parse_record(std::string_view line) {
  auto doc = json::parse(line);
  if (!doc.ok()) return doc.status();
  if (doc->type != json::Value::Type::kObject) return invalid_argument("expected an object");
  Record r;
  std::string type;
  BOREALIS_RETURN_IF_ERROR(str_field(*doc, "type", &type));
  if (type.empty()) return invalid_argument("type: is required");
  BOREALIS_ASSIGN_OR_RETURN(r.ts, int_field(*doc, "ts", true));
  BOREALIS_RETURN_IF_ERROR(str_field(*doc, "message", &r.message));
  if (type == "runner") {
    r.type = Record::Type::kRunner;
    BOREALIS_ASSIGN_OR_RETURN(r.pid, int_field(*doc, "pid", true));
    if (r.pid <= 0) return invalid_argument("pid: a runner record needs a positive pid");
    BOREALIS_ASSIGN_OR_RETURN(r.start_ticks, int_field(*doc, "start_ticks", false));
  } else if (type == "task") {
    r.type = Record::Type::kTask;
    BOREALIS_RETURN_IF_ERROR(str_field(*doc, "state", &r.state));
    BOREALIS_RETURN_IF_ERROR(require_state(r, type));
  } else if (type == "process") {
    r.type = Record::Type::kProcess;
    BOREALIS_RETURN_IF_ERROR(str_field(*doc, "name", &r.name));
    BOREALIS_RETURN_IF_ERROR(str_field(*doc, "state", &r.state));
    BOREALIS_RETURN_IF_ERROR(require_state(r, type));
    BOREALIS_ASSIGN_OR_RETURN(r.run, int_field(*doc, "run", true));
    BOREALIS_ASSIGN_OR_RETURN(r.pid, int_field(*doc, "pid", false));
    if (doc->find("exit_code")) {
      BOREALIS_ASSIGN_OR_RETURN(r.exit_code, int_field(*doc, "exit_code", true));
    }
    if (doc->find("signal")) {
      BOREALIS_ASSIGN_OR_RETURN(r.signal, int_field(*doc, "signal", true));
    }
  } else {
    // A newer runner's record: readers skip what they do not know.
    r.type = Record::Type::kOther;
  }
  return r;
}

Result<std::vector<Record>> parse_checkpoint(std::string_view text) {
  std::vector<Record> out;
  size_t pos = 0, line_no = 1;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) break;  // a line still being written
    auto r = parse_record(text.substr(pos, nl - pos));
    if (!r.ok()) return r.status().with_context("line " + std::to_string(line_no));
    out.push_back(std::move(r).value());
    pos = nl + 1;
    ++line_no;
  }
  return out;
}

}  // namespace borealis::taskcontract
