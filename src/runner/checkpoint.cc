#include "runner/checkpoint.h"

#include "runner/diag.h"
#include "runner/json_lite.h"

namespace borealis::runner {

namespace {

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
  BOREALIS_ASSIGN_OR_RETURN(r.ts, int_field(*doc, "ts", true));
  BOREALIS_RETURN_IF_ERROR(str_field(*doc, "message", &r.message));
  if (type == "runner") {
    r.type = Record::Type::kRunner;
    BOREALIS_ASSIGN_OR_RETURN(r.pid, int_field(*doc, "pid", true));
    BOREALIS_ASSIGN_OR_RETURN(r.start_ticks, int_field(*doc, "start_ticks", false));
  } else if (type == "task") {
    r.type = Record::Type::kTask;
    BOREALIS_RETURN_IF_ERROR(str_field(*doc, "state", &r.state));
  } else if (type == "process") {
    r.type = Record::Type::kProcess;
    BOREALIS_RETURN_IF_ERROR(str_field(*doc, "name", &r.name));
    BOREALIS_RETURN_IF_ERROR(str_field(*doc, "state", &r.state));
    BOREALIS_ASSIGN_OR_RETURN(r.run, int_field(*doc, "run", true));
    BOREALIS_ASSIGN_OR_RETURN(r.pid, int_field(*doc, "pid", false));
    if (doc->find("exit_code")) {
      BOREALIS_ASSIGN_OR_RETURN(r.exit_code, int_field(*doc, "exit_code", true));
    }
    if (doc->find("signal")) {
      BOREALIS_ASSIGN_OR_RETURN(r.signal, int_field(*doc, "signal", true));
    }
  } else {
    return invalid_argument("type: unknown record type '" + type + "'");
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

Result<std::vector<Record>> read_checkpoint(const std::string& path, Env& env) {
  BOREALIS_ASSIGN_OR_RETURN(std::string text, env.read_file(path, size_t{64} << 20));
  auto records = parse_checkpoint(text);
  if (!records.ok()) return records.status().with_context(path);
  return records;
}

Result<std::unique_ptr<CheckpointWriter>> CheckpointWriter::open_exclusive(const std::string& path,
                                                                           const Clock& wall_clock,
                                                                           Env& env) {
  auto lock = env.lock_file(path);
  if (!lock.ok()) {
    if (lock.status().code() != StatusCode::kFailedPrecondition) return lock.status();
    return failed_precondition(path + " is locked: another runner owns this sandbox");
  }
  auto info = env.stat(path);
  if (!info.ok()) return info.status();
  if (info->size != 0)
    return failed_precondition(path + " is not empty: a runner already ran in this sandbox");
  BOREALIS_ASSIGN_OR_RETURN(auto file, env.open_writable(path, Env::WriteMode::kAppend));
  return std::unique_ptr<CheckpointWriter>(
      new CheckpointWriter(env, std::move(lock).value(), std::move(file), wall_clock));
}

Status CheckpointWriter::append(const std::string& line, bool sync) {
  if (failed_line_ != 0) {
    // What did the failed write leave? Part of its line becomes a line of its own; all
    // of it is a whole record.
    BOREALIS_ASSIGN_OR_RETURN(FileInfo info, env_.stat(file_->path()));
    if (info.size > size_ && info.size != size_ + failed_line_) {
      BOREALIS_RETURN_IF_ERROR(file_->append("\n"));
      info.size += 1;
    }
    size_ = info.size;
    failed_line_ = 0;
  }
  if (Status st = file_->append(line); !st.ok()) {
    failed_line_ = line.size();
    return st;
  }
  size_ += line.size();
  return sync ? file_->sync() : Status();
}

void CheckpointWriter::write(Record record) {
  record.ts = clock_.now_ms();
  // The terminal record is the last word; make it survive a host crash.
  bool terminal = record.type == Record::Type::kTask &&
                  (record.state == "SUCCESS" || record.state == "FAILED" ||
                   record.state == "KILLED" || record.state == "LOST");
  last_error_ = append(format_record(record), terminal);
  if (!last_error_.ok()) diag("checkpoint write failed: %s", last_error_.message().c_str());
}

}  // namespace borealis::runner
