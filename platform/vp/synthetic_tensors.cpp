#include "synthetic_tensors.h"

#include <random>

namespace ant {

dense_tensor random_sparse(std::vector<int64_t> shape, double density, uint64_t seed)
{
    dense_tensor t(std::move(shape));
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (float& x : t.data) {
        if (u(rng) < density) {
            const double v = 0.5 + u(rng);
            x = float(u(rng) < 0.5 ? -v : v);
        }
    }
    return t;
}

}  // namespace ant
