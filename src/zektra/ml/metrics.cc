#include "zektra/ml/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace zektra::ml {

double RocAuc(const std::vector<int64_t>& labels, const std::vector<double>& scores) {
  const size_t n = labels.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0;
  size_t positives = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    double mean_rank = (static_cast<double>(i) + static_cast<double>(j - 1)) / 2.0 + 1.0;
    for (size_t t = i; t < j; ++t) {
      if (labels[order[t]] == 1) positive_rank_sum += mean_rank, ++positives;
    }
    i = j;
  }
  const size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return -1;
  double u = positive_rank_sum - static_cast<double>(positives) * static_cast<double>(positives + 1) / 2.0;
  return u / (static_cast<double>(positives) * static_cast<double>(negatives));
}

ClassificationMetrics Classification(const std::vector<int64_t>& truth, const std::vector<double>& probs,
                                     size_t classes) {
  ClassificationMetrics m;
  m.rows = truth.size();
  m.confusion.assign(classes, std::vector<uint64_t>(classes, 0));
  if (m.rows == 0) return m;
  const bool binary_column = classes == 2 && probs.size() == truth.size();
  const size_t width = binary_column ? 1 : classes;
  std::vector<double> p(classes);
  std::vector<double> scores;
  size_t correct = 0;
  double loss = 0;
  for (size_t i = 0; i < m.rows; ++i) {
    if (binary_column) {
      p[1] = probs[i];
      p[0] = 1.0 - probs[i];
    } else {
      for (size_t c = 0; c < classes; ++c) p[c] = probs[i * width + c];
    }
    size_t predicted = static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
    if (classes == 2) predicted = p[1] >= 0.5 ? 1 : 0;
    size_t t = static_cast<size_t>(truth[i]);
    correct += predicted == t;
    m.confusion[t][predicted] += 1;
    loss -= std::log(std::clamp(p[t], 1e-15, 1.0 - 1e-15));
    if (classes == 2) scores.push_back(p[1]);
  }
  m.accuracy = static_cast<double>(correct) / static_cast<double>(m.rows);
  m.log_loss = loss / static_cast<double>(m.rows);
  if (classes == 2) m.auc = RocAuc(truth, scores);
  return m;
}

RegressionMetrics Regression(const std::vector<double>& truth, const std::vector<double>& predicted) {
  RegressionMetrics m;
  m.rows = truth.size();
  if (m.rows == 0) return m;
  double mean = std::accumulate(truth.begin(), truth.end(), 0.0) / static_cast<double>(m.rows);
  double ss_res = 0, ss_tot = 0;
  for (size_t i = 0; i < m.rows; ++i) {
    ss_res += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
    ss_tot += (truth[i] - mean) * (truth[i] - mean);
  }
  m.mse = ss_res / static_cast<double>(m.rows);
  m.r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : 0.0;
  return m;
}

}  // namespace zektra::ml
