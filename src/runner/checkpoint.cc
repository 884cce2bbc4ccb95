#include "runner/checkpoint.h"

#include "runner/diag.h"

namespace borealis::runner {

Result<std::vector<Record>> read_checkpoint(const std::string& path, Env& env) {
  BOREALIS_ASSIGN_OR_RETURN(std::string text, env.read_file(path, size_t{64} << 20));
  auto records = taskcontract::parse_checkpoint(text);
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
  last_error_ = append(taskcontract::format_record(record), terminal);
  if (!last_error_.ok()) diag("checkpoint write failed: %s", last_error_.message().c_str());
}

}  // namespace borealis::runner
