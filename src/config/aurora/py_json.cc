#include "config/aurora/py_json.h"

namespace py = pybind11;

namespace borealis::config {

Result<json::value> json_from_python(py::handle value, const std::string& path) {
  PyObject* o = value.ptr();
  if (o == Py_None) return json::value(nullptr);
  if (PyBool_Check(o)) return json::value(o == Py_True);
  if (PyLong_Check(o)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow != 0) return invalid_argument(path + ": integer out of range");
    return json::value(static_cast<int64_t>(v));
  }
  if (PyFloat_Check(o)) return json::value(PyFloat_AsDouble(o));
  if (PyUnicode_Check(o)) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(o, &size);
    if (data == nullptr) {
      PyErr_Clear();
      return invalid_argument(path + ": string is not valid UTF-8");
    }
    return json::value(json::string_view(data, static_cast<size_t>(size)));
  }
  if (PyDict_Check(o)) {
    json::object out;
    PyObject* key = nullptr;
    PyObject* item = nullptr;
    Py_ssize_t pos = 0;
    while (PyDict_Next(o, &pos, &key, &item)) {
      std::string k = py::str(key).cast<std::string>();
      std::string sub = path.empty() ? k : path + "." + k;
      BOREALIS_ASSIGN_OR_RETURN(json::value v, json_from_python(item, sub));
      out[k] = std::move(v);
    }
    return json::value(std::move(out));
  }
  if (PyList_Check(o) || PyTuple_Check(o)) {
    json::array out;
    py::sequence seq = py::reinterpret_borrow<py::sequence>(value);
    for (size_t i = 0; i < seq.size(); ++i) {
      BOREALIS_ASSIGN_OR_RETURN(json::value v,
                                json_from_python(seq[i], path + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(v));
    }
    return json::value(std::move(out));
  }
  return invalid_argument(path + ": a " + std::string(Py_TYPE(o)->tp_name) +
                          " cannot be written as JSON");
}

py::object python_from_json(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return py::none();
    case json::kind::bool_:
      return py::bool_(value.get_bool());
    case json::kind::int64:
      return py::int_(value.get_int64());
    case json::kind::uint64:
      return py::int_(value.get_uint64());
    case json::kind::double_:
      return py::float_(value.get_double());
    case json::kind::string:
      return py::str(value.get_string().data(), value.get_string().size());
    case json::kind::array: {
      py::list out;
      for (const auto& v : value.get_array()) out.append(python_from_json(v));
      return out;
    }
    case json::kind::object: {
      py::dict out;
      for (const auto& kv : value.get_object()) {
        if (kv.value().is_null()) continue;
        out[py::str(kv.key().data(), kv.key().size())] = python_from_json(kv.value());
      }
      return out;
    }
  }
  return py::none();
}

}  // namespace borealis::config
