#include "atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <unistd.h>

namespace ant {

void write_file_atomically(const std::string& path, const std::string& contents)
{
    const std::string tmp = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw file_error(path + ": cannot write (" + std::strerror(errno) + ")");
        out.write(contents.data(), std::streamsize(contents.size()));
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            throw file_error(path + ": write failed");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        std::remove(tmp.c_str());
        throw file_error(path + ": cannot rename into place (" + why + ")");
    }
}

}  // namespace ant
