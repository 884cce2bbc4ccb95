#include "api/backups.h"

#include "api/field_table.h"

namespace borealis::api {
namespace {

const FieldTable<BackupEntry> kEntryFields = {{"name", &BackupEntry::name, Presence::kRequired},
                                              {"size_bytes", &BackupEntry::size_bytes},
                                              {"created_ms", &BackupEntry::created_ms}};

Status read_entry(FieldReader& r, BackupEntry* e) { return read_fields(r, e, kEntryFields); }

// {"<field>": BackupEntry}.
Status read_entry_field(FieldReader& r, const char* field, BackupEntry* e) {
  return nested_object(
      r, field, [&](FieldReader& entry) { return read_entry(entry, e); }, true);
}

}  // namespace

json::object encode(const BackupList& l) {
  return json::object{{"dir", l.dir}, {"backups", encode_list(l.backups, kEntryFields)}};
}

template <>
Result<BackupList> decode<BackupList>(const json::value& v) {
  return read_message<BackupList>(v, "backup list", [](FieldReader& r, BackupList* l) {
    BOREALIS_RETURN_IF_ERROR(r.get("dir", &l->dir));
    return read_list(r, "backups", &l->backups, read_entry, true);
  });
}

json::object encode(const BackupTaken& t) {
  return json::object{{"backup", encode_fields(t.backup, kEntryFields)}};
}

template <>
Result<BackupTaken> decode<BackupTaken>(const json::value& v) {
  return read_message<BackupTaken>(v, "backup", [](FieldReader& r, BackupTaken* t) {
    return read_entry_field(r, "backup", &t->backup);
  });
}

json::object encode(const BackupRestored& b) {
  return json::object{{"restored", encode_fields(b.restored, kEntryFields)},
                      {"message", b.message}};
}

template <>
Result<BackupRestored> decode<BackupRestored>(const json::value& v) {
  return read_message<BackupRestored>(v, "restore", [](FieldReader& r, BackupRestored* b) {
    BOREALIS_RETURN_IF_ERROR(read_entry_field(r, "restored", &b->restored));
    return r.get("message", &b->message);
  });
}

}  // namespace borealis::api
