#include "zektra/field/extension.h"

#include <vector>

namespace zektra {

void BatchInverse(std::span<Fp2> values) { BatchInverseGeneric(values); }

}  // namespace zektra
