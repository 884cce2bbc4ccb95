#include "config/aurora/interpreter.h"

// pybind11 first: it includes Python.h, which must precede standard headers.
#include <pybind11/embed.h>
#include <pybind11/stl.h>

// Needs Python.h before it.
#include <marshal.h>

#include <mutex>

#include "config/aurora/dsl_bundle.h"
#include "config/aurora/py_json.h"
#include "taskcontract/runtime_refs.h"
#include "template/template.h"

namespace py = pybind11;

#if defined(__SANITIZE_ADDRESS__)
// CPython is never finalised (see Interpreter): what it allocated is still in use at exit,
// but referenced from its mmapped object arenas, which LeakSanitizer does not scan. Leaks
// whose allocation went through libpython are therefore not ours to report.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpython3.11\n"; }
#endif

namespace borealis::config {

namespace {

py::tuple ref_components(const tmpl::Ref& ref) {
  py::tuple out(ref.path.size());
  for (size_t i = 0; i < ref.path.size(); ++i) {
    bool is_index = ref.path[i].kind == tmpl::RefComponent::Kind::kIndex;
    out[i] = py::make_tuple(is_index, ref.path[i].text);
  }
  return out;
}

}  // namespace

}  // namespace borealis::config

// The template engine as seen from Python (module _borealis_tmpl). Engine errors become
// ValueError; an exception raised by the Python resolver is carried around the engine
// (which never sees an exception) and raised again once it returns.
PYBIND11_EMBEDDED_MODULE(_borealis_tmpl, m) {
  using borealis::config::ref_components;
  namespace tmpl = borealis::tmpl;

  m.def("parse_ref", [](const std::string& text) {
    auto ref = tmpl::Ref::parse(text);
    if (!ref.ok()) throw py::value_error(ref.status().message());
    py::tuple components = ref_components(*ref);
    return components;
  });

  m.def("references", [](const std::string& text) {
    auto refs = tmpl::references(text);
    if (!refs.ok()) throw py::value_error(refs.status().message());
    py::list out;
    for (const auto& r : *refs) out.append(r.to_string());
    return out;
  });

  // The one list of runtime references (taskcontract/runtime_refs.h): the loader leaves
  // them in place for the runner to bind.
  m.def("is_runtime_reference", [](const std::string& address) {
    return borealis::taskcontract::is_runtime_reference(address);
  });

  m.def("interpolate", [](const std::string& text, const py::function& resolver) {
    std::optional<py::error_already_set> pending;
    tmpl::Resolver resolve = [&](const tmpl::Ref& ref) -> std::optional<std::string> {
      if (pending) return std::nullopt;
      try {
        py::object found = resolver(ref_components(ref), ref.to_string());
        if (found.is_none()) return std::nullopt;
        return found.cast<std::string>();
      } catch (py::error_already_set& e) {
        pending.emplace(std::move(e));
        return std::nullopt;
      }
    };
    auto result = tmpl::interpolate(text, resolve);
    if (pending) throw std::move(*pending);
    if (!result.ok()) throw py::value_error(result.status().message());
    py::list unbound;
    for (const auto& r : result->unbound) unbound.append(r.to_string());
    return py::make_tuple(result->text, unbound);
  });
}

namespace borealis::config {

namespace {

// The process-wide interpreter. Leaked on purpose: CPython is never finalised, so the
// Python objects held here must never be destroyed either.
class Interpreter {
 public:
  static Interpreter& instance() {
    static Interpreter* it = new Interpreter();
    return *it;
  }

  // Runs fn with the GIL held and the interpreter started; Python errors become Status.
  template <typename T, typename Fn>
  Result<T> call(Fn&& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_.ok()) return started_;
    py::gil_scoped_acquire gil;
    try {
      return fn(*this);
    } catch (py::error_already_set& e) {
      return internal_error(std::string("the Aurora DSL failed: ") + e.what());
    } catch (const std::exception& e) {
      return internal_error(std::string("the Aurora DSL failed: ") + e.what());
    }
  }

  py::object load_file;
  py::object load_document;
  py::object run_tests;

 private:
  Interpreter() { started_ = start(); }

  Status start() {
    // UTF-8 whatever the locale (configs, paths and messages are UTF-8).
    PyPreConfig preconfig;
    PyPreConfig_InitIsolatedConfig(&preconfig);
    preconfig.utf8_mode = 1;
    PyStatus pre = Py_PreInitialize(&preconfig);
    if (PyStatus_Exception(pre))
      return internal_error(std::string("cannot start the Python interpreter: ") +
                            (pre.err_msg != nullptr ? pre.err_msg : "pre-initialisation failed"));
    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.site_import = 0;              // no site-packages: start fast, stay hermetic
    config.install_signal_handlers = 0;  // SIGINT stays the CLI's
    config.write_bytecode = 0;
    try {
      py::initialize_interpreter(&config, 0, nullptr, false);
    } catch (const std::exception& e) {
      return internal_error(std::string("cannot start the Python interpreter: ") + e.what());
    }
    Status st;
    try {
      st = load_bundle();
    } catch (py::error_already_set& e) {
      st = internal_error(std::string("cannot load the Aurora DSL: ") + e.what());
    }
    // Let any thread take the GIL from now on.
    PyEval_SaveThread();
    return st;
  }

  // The bundled bytecode when it was compiled by this Python version, else the source.
  static py::object module_code(const DslModule& m) {
    if (kDslBytecodeVersion[0] == PY_MAJOR_VERSION && kDslBytecodeVersion[1] == PY_MINOR_VERSION) {
      PyObject* code =
          PyMarshal_ReadObjectFromString(m.bytecode, static_cast<Py_ssize_t>(m.bytecode_size));
      if (code != nullptr && PyCode_Check(code)) return py::reinterpret_steal<py::object>(code);
      Py_XDECREF(code);
      PyErr_Clear();
    }
    std::string source(m.source, m.source_size);
    PyObject* code = Py_CompileString(source.c_str(), (std::string("<borealis>/") + m.path).c_str(),
                                      Py_file_input);
    if (code == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(code);
  }

  // Executes the bundled DSL modules, in dependency order, as real modules.
  Status load_bundle() {
    py::module_ sys = py::module_::import("sys");
    py::dict modules = sys.attr("modules");
    for (size_t i = 0; i < kDslModuleCount; ++i) {
      const DslModule& m = kDslModules[i];
      py::module_ mod = py::reinterpret_borrow<py::module_>(PyImport_AddModule(m.name));
      if (!mod) throw py::error_already_set();
      std::string qualified = m.name;
      std::string package = m.is_package ? qualified : qualified.substr(0, qualified.rfind('.'));
      mod.attr("__file__") = std::string("<borealis>/") + m.path;
      mod.attr("__package__") = package;
      if (m.is_package) mod.attr("__path__") = py::list();
      py::object code = module_code(m);
      py::object done = py::reinterpret_steal<py::object>(
          PyEval_EvalCode(code.ptr(), mod.attr("__dict__").ptr(), mod.attr("__dict__").ptr()));
      if (!done) throw py::error_already_set();
      if (!m.is_package) {
        py::object parent = modules[py::str(package)];
        parent.attr(py::str(qualified.substr(package.size() + 1))) = mod;
      }
    }
    py::module_ loader = py::module_::import("borealis_aurora.loader");
    load_file = loader.attr("load_file");
    load_document = loader.attr("load_document");
    run_tests = loader.attr("run_tests");
    return Status();
  }

  std::mutex mu_;
  Status started_;
};

py::list python_bindings(const Bindings& bindings) {
  py::list out;
  for (const auto& [name, value] : bindings) out.append(py::make_tuple(name, value));
  return out;
}

std::string string_field(const py::handle& dict, const char* key) {
  py::object v = dict[py::str(key)];
  return v.is_none() ? std::string() : v.cast<std::string>();
}

Result<RawLoad> read_result(const py::object& result) {
  RawLoad out;
  py::object error = result["error"];
  if (!error.is_none()) {
    std::string file = string_field(error, "file");
    int64_t line = error["line"].cast<int64_t>();
    std::string where = line > 0 ? file + ":" + std::to_string(line) : file;
    out.file_error = where + ": " + string_field(error, "message");
    return out;
  }
  for (py::handle item : result["jobs"]) {
    RawJob job;
    job.cluster = string_field(item, "cluster");
    job.role = string_field(item, "role");
    job.environment = string_field(item, "environment");
    job.name = string_field(item, "name");
    py::object job_error = item["error"];
    if (!job_error.is_none()) {
      job.error = job_error.cast<std::string>();
      job.error_path = string_field(item, "path");
    } else {
      BOREALIS_ASSIGN_OR_RETURN(job.job, json_from_python(item["job"], ""));
    }
    out.jobs.push_back(std::move(job));
  }
  return out;
}

}  // namespace

Result<RawLoad> run_aurora_source(const std::string& filename, const std::string& text,
                                  const Bindings& bindings, const json::value& manage_context) {
  return Interpreter::instance().call<RawLoad>([&](Interpreter& it) {
    py::object result =
        it.load_file(filename, text, python_bindings(bindings), python_from_json(manage_context));
    return read_result(result);
  });
}

Result<RawLoad> run_aurora_document(const std::string& filename, const json::value& document,
                                    const Bindings& bindings) {
  return Interpreter::instance().call<RawLoad>([&](Interpreter& it) {
    py::object result =
        it.load_document(filename, python_from_json(document), python_bindings(bindings));
    return read_result(result);
  });
}

Result<std::vector<std::pair<std::string, std::string>>> run_python_tests(
    const std::string& filename, const std::string& source) {
  using Out = std::vector<std::pair<std::string, std::string>>;
  return Interpreter::instance().call<Out>([&](Interpreter& it) -> Result<Out> {
    py::object results = it.run_tests(filename, source);
    return results.cast<Out>();
  });
}

}  // namespace borealis::config
