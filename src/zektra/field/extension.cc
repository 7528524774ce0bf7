#include "zektra/field/extension.h"

#include <vector>

namespace zektra {

void BatchInverse(std::span<Fp2> values) {
  const size_t n = values.size();
  if (n == 0) return;
  std::vector<Fp2> prefix(n);
  Fp2 acc = Fp2::One();
  for (size_t i = 0; i < n; ++i) {
    prefix[i] = acc;
    if (values[i] != Fp2::Zero()) acc *= values[i];
  }
  Fp2 inv = acc.Inverse();
  for (size_t i = n; i-- > 0;) {
    if (values[i] == Fp2::Zero()) continue;
    Fp2 vi = values[i];
    values[i] = inv * prefix[i];
    inv *= vi;
  }
}

}  // namespace zektra
