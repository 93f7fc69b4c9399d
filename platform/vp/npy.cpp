#include "npy.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "atomic_file.h"

namespace ant {

namespace {

std::string header_value(const std::string& header, const std::string& key)
{
    const std::regex re("'" + key + "'\\s*:\\s*(\\([^)]*\\)|'[^']*'|True|False)");
    std::smatch m;
    if (!std::regex_search(header, m, re))
        return {};
    return m[1];
}

}  // namespace

dense_tensor load_npy(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw npy_error(path + ": cannot open file");
    char magic[8];
    if (!in.read(magic, 8) || std::string(magic, 6) != "\x93NUMPY")
        throw npy_error(path + ": not a .npy file (bad magic)");
    const int major = static_cast<unsigned char>(magic[6]);
    uint32_t header_len = 0;
    if (major == 1) {
        unsigned char b[2];
        if (!in.read(reinterpret_cast<char*>(b), 2))
            throw npy_error(path + ": truncated header");
        header_len = b[0] | (uint32_t(b[1]) << 8);
    } else if (major == 2 || major == 3) {
        unsigned char b[4];
        if (!in.read(reinterpret_cast<char*>(b), 4))
            throw npy_error(path + ": truncated header");
        header_len = b[0] | (uint32_t(b[1]) << 8) | (uint32_t(b[2]) << 16) | (uint32_t(b[3]) << 24);
    } else {
        throw npy_error(path + ": unsupported .npy format version " + std::to_string(major));
    }
    if (header_len > (1u << 20))
        throw npy_error(path + ": header too large");
    std::string header(header_len, '\0');
    if (!in.read(header.data(), header_len))
        throw npy_error(path + ": truncated header");

    const std::string descr = header_value(header, "descr");
    if (descr != "'<f4'" && descr != "'=f4'")
        throw npy_error(path + ": dtype " + (descr.empty() ? std::string("?") : descr) +
                        " is not float32 ('<f4')");
    if (header_value(header, "fortran_order") != "False")
        throw npy_error(path + ": Fortran-ordered arrays are not supported");
    std::string shape = header_value(header, "shape");
    if (shape.size() < 2)
        throw npy_error(path + ": header has no shape");
    shape = shape.substr(1, shape.size() - 2);
    std::vector<int64_t> dims;
    std::stringstream ss(shape);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.find_first_not_of(" ") == std::string::npos)
            continue;
        try {
            size_t used = 0;
            const long long d = std::stoll(item, &used);
            if (d < 0)
                throw std::invalid_argument("negative");
            dims.push_back(d);
        } catch (const std::exception&) {
            throw npy_error(path + ": bad shape entry '" + item + "'");
        }
    }
    // Check the shape against the bytes actually present before allocating anything.
    const std::streampos data_start = in.tellg();
    in.seekg(0, std::ios::end);
    const uint64_t available = uint64_t(in.tellg() - data_start);
    in.seekg(data_start);
    uint64_t elements = 1;
    for (int64_t d : dims) {
        if (d != 0 && elements > available / uint64_t(d))
            throw npy_error(path + ": shape " + shape + " needs more data than the file holds");
        elements *= uint64_t(d);
    }
    if (elements * sizeof(float) > available)
        throw npy_error(path + ": data shorter than its shape (" + shape + ") needs");
    dense_tensor t(dims);
    const std::streamsize bytes = std::streamsize(t.elements() * sizeof(float));
    if (!in.read(reinterpret_cast<char*>(t.data.data()), bytes))
        throw npy_error(path + ": data shorter than its shape " + t.shape_string() + " needs");
    return t;
}

void save_npy(const std::string& path, const dense_tensor& t) { write_file_atomically(path, npy_bytes(t)); }

std::string npy_bytes(const dense_tensor& t)
{
    std::string shape = "(";
    for (size_t i = 0; i < t.shape.size(); ++i)
        shape += std::to_string(t.shape[i]) + (t.shape.size() == 1 ? "," : (i + 1 < t.shape.size() ? ", " : ""));
    shape += ")";
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    // Pad so that the data starts on a 64-byte boundary, newline-terminated.
    const size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
    bytes.push_back(char(header.size() & 0xff));
    bytes.push_back(char(header.size() >> 8));
    bytes += header;
    bytes.append(reinterpret_cast<const char*>(t.data.data()), t.data.size() * sizeof(float));
    return bytes;
}

}  // namespace ant
