// Deterministic random sparse tensors for built-in workloads: each element is non-zero
// with the given density, values uniform in +-[0.5, 1.5) so that no kept value is zero.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor.h"

namespace ant {

dense_tensor random_sparse(std::vector<int64_t> shape, double density, uint64_t seed);

}  // namespace ant
