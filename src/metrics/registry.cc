#include "metrics/registry.h"

#include <cstdio>
#include <cstdlib>

namespace borealis::metrics {

namespace {

[[noreturn]] void bug(const std::string& what) {
  std::fprintf(stderr, "metrics: %s\n", what.c_str());
  std::abort();
}

}  // namespace

namespace detail {

FamilyBase::FamilyBase(std::string name, std::string help, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {
  if (!valid_metric_name(name_)) bug("invalid metric name '" + name_ + "'");
  for (const std::string& l : label_names_)
    if (!valid_label_name(l) || l == "le") bug("metric " + name_ + ": invalid label '" + l + "'");
}

void FamilyBase::check_arity(size_t n) const {
  if (n != label_names_.size())
    bug("metric " + name_ + ": " + std::to_string(n) + " label values for " +
        std::to_string(label_names_.size()) + " labels");
}

Labels FamilyBase::labels_of(const std::vector<std::string>& values) const {
  Labels out;
  out.reserve(values.size() + 1);
  for (size_t i = 0; i < values.size(); ++i) out.emplace_back(label_names_[i], values[i]);
  return out;
}

}  // namespace detail

template <>
Family MetricFamily<Counter>::collect() const {
  Family f{name_, help_, MetricType::kCounter, {}};
  std::lock_guard lock(mu_);
  for (const auto& [values, c] : children_)
    f.samples.push_back({"", labels_of(values), static_cast<double>(c->value())});
  return f;
}

template <>
Family MetricFamily<Gauge>::collect() const {
  Family f{name_, help_, MetricType::kGauge, {}};
  std::lock_guard lock(mu_);
  for (const auto& [values, g] : children_)
    f.samples.push_back({"", labels_of(values), g->value()});
  return f;
}

template <>
Family MetricFamily<Histogram>::collect() const {
  Family f{name_, help_, MetricType::kHistogram, {}};
  std::lock_guard lock(mu_);
  for (const auto& [values, h] : children_) {
    Histogram::Snapshot s = h->snapshot();
    Labels labels = labels_of(values);
    for (size_t i = 0; i < s.cumulative.size(); ++i) {
      Labels with_le = labels;
      with_le.emplace_back("le",
                           i < s.upper_bounds.size() ? format_value(s.upper_bounds[i]) : "+Inf");
      f.samples.push_back({"_bucket", std::move(with_le), static_cast<double>(s.cumulative[i])});
    }
    f.samples.push_back({"_sum", labels, s.sum});
    f.samples.push_back({"_count", std::move(labels), static_cast<double>(s.count)});
  }
  return f;
}

template <typename F>
F& Registry::add(std::unique_ptr<F> family) {
  std::lock_guard lock(mu_);
  for (const auto& f : families_)
    if (f->name() == family->name()) bug("metric " + family->name() + " registered twice");
  F& out = *family;
  families_.push_back(std::move(family));
  return out;
}

CounterFamily& Registry::counters(std::string name, std::string help,
                                  std::vector<std::string> labels) {
  if (!name.ends_with("_total")) bug("counter " + name + " must end in _total");
  return add(std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(labels),
                                             [] { return std::make_unique<Counter>(); }));
}

GaugeFamily& Registry::gauges(std::string name, std::string help, std::vector<std::string> labels) {
  return add(std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(labels),
                                           [] { return std::make_unique<Gauge>(); }));
}

HistogramFamily& Registry::histograms(std::string name, std::string help,
                                      std::vector<std::string> labels,
                                      std::span<const double> upper_bounds) {
  std::vector<double> bounds(upper_bounds.begin(), upper_bounds.end());
  return add(
      std::make_unique<HistogramFamily>(std::move(name), std::move(help), std::move(labels),
                                        [bounds] { return std::make_unique<Histogram>(bounds); }));
}

Counter& Registry::counter(std::string name, std::string help) {
  return counters(std::move(name), std::move(help), {}).with({});
}

Gauge& Registry::gauge(std::string name, std::string help) {
  return gauges(std::move(name), std::move(help), {}).with({});
}

Histogram& Registry::histogram(std::string name, std::string help,
                               std::span<const double> upper_bounds) {
  return histograms(std::move(name), std::move(help), {}, upper_bounds).with({});
}

std::vector<Family> Registry::collect() const {
  std::lock_guard lock(mu_);
  std::vector<Family> out;
  out.reserve(families_.size());
  for (const auto& f : families_) out.push_back(f->collect());
  return out;
}

}  // namespace borealis::metrics
