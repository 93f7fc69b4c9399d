// NumPy .npy files of little-endian float32 in C order (format versions 1.0-3.0), the
// exchange format of the layer runner. Anything else is rejected with a message that names
// the file and what is wrong.
#pragma once

#include <istream>
#include <stdexcept>
#include <string>

#include "tensor.h"

namespace ant {

class npy_error : public std::runtime_error {
public:
    explicit npy_error(const std::string& what) : std::runtime_error(what) {}
};

dense_tensor load_npy(const std::string& path);

// The same from an open stream (seekable: the data size is checked before allocating);
// `name` stands for the stream in messages.
dense_tensor read_npy(std::istream& in, const std::string& name);

// Writes through a temporary file and a rename, so a failed run never leaves a
// half-written array behind.
void save_npy(const std::string& path, const dense_tensor& tensor);

// The file's bytes, for callers that commit several files together.
std::string npy_bytes(const dense_tensor& tensor);

}  // namespace ant
