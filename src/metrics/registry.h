// A set of named metrics, each a family of instruments told apart by label values, that
// renders as exposition Families (exposition.h). Register every metric once, at start;
// then look a child up once and keep the reference (it lives as long as the registry), or
// look it up per use: the lookup takes a mutex and a map search, without allocating once
// the child exists.
//
// Names are constants of the code: an invalid or repeated name, or a lookup with the
// wrong number of label values, is a bug and aborts with a message.
//
// Thread-safety: every method, from any thread.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/exposition.h"
#include "metrics/instruments.h"

namespace borealis::metrics {

namespace detail {

// Orders label-value tuples; compares stored ones with looked-up string_views too.
struct ValuesLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::vector<std::string> label_names);
  virtual ~FamilyBase() = default;
  virtual Family collect() const = 0;
  const std::string& name() const { return name_; }

 protected:
  void check_arity(size_t n) const;
  Labels labels_of(const std::vector<std::string>& values) const;

  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  mutable std::mutex mu_;
};

}  // namespace detail

// The children of one metric, by label values (in the order of its label names).
template <typename Metric>
class MetricFamily : public detail::FamilyBase {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;
  MetricFamily(std::string name, std::string help, std::vector<std::string> label_names,
               Factory make)
      : FamilyBase(std::move(name), std::move(help), std::move(label_names)),
        make_(std::move(make)) {}

  // The child with these label values, made on first use.
  Metric& with(std::initializer_list<std::string_view> values) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Metric& with(std::span<const std::string_view> values) {
    check_arity(values.size());
    std::lock_guard lock(mu_);
    auto it = children_.find(values);
    if (it == children_.end())
      it = children_.emplace(std::vector<std::string>(values.begin(), values.end()), make_()).first;
    return *it->second;
  }

  Family collect() const override;

 private:
  Factory make_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, detail::ValuesLess> children_;
};

using CounterFamily = MetricFamily<Counter>;
using GaugeFamily = MetricFamily<Gauge>;
using HistogramFamily = MetricFamily<Histogram>;
template <>
Family MetricFamily<Counter>::collect() const;
template <>
Family MetricFamily<Gauge>::collect() const;
template <>
Family MetricFamily<Histogram>::collect() const;

class Registry {
 public:
  // `name` follows Prometheus' conventions: a counter's ends in "_total", units are base
  // units in the name ("_seconds", "_bytes").
  CounterFamily& counters(std::string name, std::string help, std::vector<std::string> labels);
  GaugeFamily& gauges(std::string name, std::string help, std::vector<std::string> labels);
  HistogramFamily& histograms(std::string name, std::string help, std::vector<std::string> labels,
                              std::span<const double> upper_bounds);
  // Metrics without labels.
  Counter& counter(std::string name, std::string help);
  Gauge& gauge(std::string name, std::string help);
  Histogram& histogram(std::string name, std::string help, std::span<const double> upper_bounds);

  // Every metric, in registration order; children sorted by label values.
  std::vector<Family> collect() const;

 private:
  template <typename F>
  F& add(std::unique_ptr<F> family);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<detail::FamilyBase>> families_;
};

}  // namespace borealis::metrics
