// The oracle: textbook convolution and matrix-product loops over dense NCHW float arrays,
// written straight from the formulas and kept free of anything the models use (no CSR, no
// index ranges), so that agreeing with it means something.
#pragma once

#include <cstddef>
#include <vector>

namespace ant::reference {

struct conv_shape {
    int n, c, k, h, w, r, s;
    int stride_h, stride_w, pad_h, pad_w;
    int ho() const { return (h + 2 * pad_h - r) / stride_h + 1; }
    int wo() const { return (w + 2 * pad_w - s) / stride_w + 1; }
};

// O[n][k][y][x] = sum_c,r,s W[k][c][r][s] * A[n][c][y*st + r - p][x*st + s - p]
inline std::vector<float> conv_forward(const conv_shape& d, const std::vector<float>& act,
                                       const std::vector<float>& wgt)
{
    std::vector<double> out(size_t(d.n) * d.k * d.ho() * d.wo(), 0.0);
    for (int n = 0; n < d.n; ++n)
        for (int k = 0; k < d.k; ++k)
            for (int y = 0; y < d.ho(); ++y)
                for (int x = 0; x < d.wo(); ++x) {
                    double sum = 0;
                    for (int c = 0; c < d.c; ++c)
                        for (int r = 0; r < d.r; ++r)
                            for (int s = 0; s < d.s; ++s) {
                                int iy = y * d.stride_h + r - d.pad_h;
                                int ix = x * d.stride_w + s - d.pad_w;
                                if (iy < 0 || iy >= d.h || ix < 0 || ix >= d.w)
                                    continue;
                                sum += double(wgt[((size_t(k) * d.c + c) * d.r + r) * d.s + s]) *
                                       act[((size_t(n) * d.c + c) * d.h + iy) * d.w + ix];
                            }
                    out[((size_t(n) * d.k + k) * d.ho() + y) * d.wo() + x] = sum;
                }
    return std::vector<float>(out.begin(), out.end());
}

// dA[n][c][iy][ix] = sum over (k, r, s, y, x) with iy = y*st + r - p of W * dO
inline std::vector<float> conv_backward_data(const conv_shape& d, const std::vector<float>& grad,
                                             const std::vector<float>& wgt)
{
    std::vector<double> out(size_t(d.n) * d.c * d.h * d.w, 0.0);
    for (int n = 0; n < d.n; ++n)
        for (int k = 0; k < d.k; ++k)
            for (int y = 0; y < d.ho(); ++y)
                for (int x = 0; x < d.wo(); ++x) {
                    double g = grad[((size_t(n) * d.k + k) * d.ho() + y) * d.wo() + x];
                    for (int c = 0; c < d.c; ++c)
                        for (int r = 0; r < d.r; ++r)
                            for (int s = 0; s < d.s; ++s) {
                                int iy = y * d.stride_h + r - d.pad_h;
                                int ix = x * d.stride_w + s - d.pad_w;
                                if (iy < 0 || iy >= d.h || ix < 0 || ix >= d.w)
                                    continue;
                                out[((size_t(n) * d.c + c) * d.h + iy) * d.w + ix] +=
                                    g * wgt[((size_t(k) * d.c + c) * d.r + r) * d.s + s];
                            }
                }
    return std::vector<float>(out.begin(), out.end());
}

// dW[k][c][r][s] = sum over (n, y, x) of dO[n][k][y][x] * A[n][c][y*st + r - p][x*st + s - p]
inline std::vector<float> conv_backward_weight(const conv_shape& d, const std::vector<float>& act,
                                               const std::vector<float>& grad)
{
    std::vector<double> out(size_t(d.k) * d.c * d.r * d.s, 0.0);
    for (int n = 0; n < d.n; ++n)
        for (int k = 0; k < d.k; ++k)
            for (int y = 0; y < d.ho(); ++y)
                for (int x = 0; x < d.wo(); ++x) {
                    double g = grad[((size_t(n) * d.k + k) * d.ho() + y) * d.wo() + x];
                    for (int c = 0; c < d.c; ++c)
                        for (int r = 0; r < d.r; ++r)
                            for (int s = 0; s < d.s; ++s) {
                                int iy = y * d.stride_h + r - d.pad_h;
                                int ix = x * d.stride_w + s - d.pad_w;
                                if (iy < 0 || iy >= d.h || ix < 0 || ix >= d.w)
                                    continue;
                                out[((size_t(k) * d.c + c) * d.r + r) * d.s + s] +=
                                    g * act[((size_t(n) * d.c + c) * d.h + iy) * d.w + ix];
                            }
                }
    return std::vector<float>(out.begin(), out.end());
}

// C[m][n] = sum_k A[m][k] * B[k][n]
inline std::vector<float> matmul(int m, int k, int n, const std::vector<float>& a,
                                 const std::vector<float>& b)
{
    std::vector<float> out(size_t(m) * n);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            double sum = 0;
            for (int t = 0; t < k; ++t)
                sum += double(a[size_t(i) * k + t]) * b[size_t(t) * n + j];
            out[size_t(i) * n + j] = float(sum);
        }
    return out;
}

}  // namespace ant::reference
