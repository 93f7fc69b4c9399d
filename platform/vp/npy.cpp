#include "npy.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>

#include "atomic_file.h"

namespace ant {

namespace {

// The header is a Python dict literal written by NumPy, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
// Read by a flat scan (no regular expression: libstdc++'s recurses per character and a long,
// legal header overflows the stack). Returns the value text of `key`: "(...)" with its
// parentheses, "'...'" with its quotes, or a bare word; empty when the key is absent.
std::string header_value(const std::string& header, const std::string& key)
{
    const std::string quoted = "'" + key + "'";
    size_t at = header.find(quoted);
    if (at == std::string::npos)
        return {};
    at += quoted.size();
    auto skip_spaces = [&] {
        while (at < header.size() && (header[at] == ' ' || header[at] == '\t'))
            ++at;
    };
    skip_spaces();
    if (at >= header.size() || header[at] != ':')
        return {};
    ++at;
    skip_spaces();
    if (at >= header.size())
        return {};
    const char open = header[at];
    if (open == '(' || open == '\'') {
        const size_t close = header.find(open == '(' ? ')' : '\'', at + 1);
        return close == std::string::npos ? std::string() : header.substr(at, close + 1 - at);
    }
    size_t end = at;
    while (end < header.size() && std::isalnum(static_cast<unsigned char>(header[end])))
        ++end;
    return header.substr(at, end - at);
}

// One entry of the shape tuple: decimal digits with optional surrounding spaces, nothing
// else (NumPy writes plain integers; "1e5", "1L" or "1abc" are not a dimension).
bool parse_dimension(const std::string& item, int64_t& d)
{
    const size_t first = item.find_first_not_of(" \t");
    const size_t last = item.find_last_not_of(" \t");
    if (first == std::string::npos)
        return false;
    const std::string digits = item.substr(first, last + 1 - first);
    if (digits.empty() || digits.size() > 18 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
        return false;
    d = std::stoll(digits);
    return true;
}

}  // namespace

dense_tensor load_npy(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw npy_error(path + ": cannot open file");
    return read_npy(in, path);
}

dense_tensor read_npy(std::istream& in, const std::string& path)
{
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
    if (shape.size() < 2 || shape.front() != '(')
        throw npy_error(path + ": header has no shape");
    shape = shape.substr(1, shape.size() - 2);
    std::vector<int64_t> dims;
    size_t from = 0;
    while (from <= shape.size()) {
        size_t comma = shape.find(',', from);
        if (comma == std::string::npos)
            comma = shape.size();
        const std::string item = shape.substr(from, comma - from);
        from = comma + 1;
        if (item.find_first_not_of(" \t") == std::string::npos) {
            if (comma == shape.size())
                break;  // "(3,)": the tuple's trailing comma
            throw npy_error(path + ": bad shape (" + shape + ")");
        }
        int64_t d = 0;
        if (!parse_dimension(item, d))
            throw npy_error(path + ": bad shape entry '" + item + "'");
        dims.push_back(d);
    }
    // Check the shape against the bytes actually present before allocating anything.
    const std::streampos data_start = in.tellg();
    in.seekg(0, std::ios::end);
    const std::streampos data_end = in.tellg();
    if (data_start < 0 || data_end < data_start)
        throw npy_error(path + ": cannot determine the data size");
    const uint64_t available = uint64_t(data_end - data_start);
    in.seekg(data_start);
    uint64_t elements = 1;
    for (int64_t d : dims) {
        if (d != 0 && elements > available / uint64_t(d))
            throw npy_error(path + ": shape (" + shape + ") needs more data than the file holds");
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
