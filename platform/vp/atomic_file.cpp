#include "atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <unistd.h>

namespace ant {

namespace {

std::string temporary_name(const std::string& path) { return path + ".tmp." + std::to_string(getpid()); }

void write_temporary(const std::string& path, const std::string& contents)
{
    const std::string tmp = temporary_name(path);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
        throw file_error(path + ": cannot write (" + std::strerror(errno) + ")");
    out.write(contents.data(), std::streamsize(contents.size()));
    out.flush();
    if (!out) {
        out.close();
        std::remove(tmp.c_str());
        throw file_error(path + ": write failed");
    }
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents)
{
    write_files_atomically({{path, contents}});
}

void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files)
{
    size_t written = 0;
    try {
        for (; written < files.size(); ++written)
            write_temporary(files[written].first, files[written].second);
    } catch (const file_error&) {
        for (size_t i = 0; i < written; ++i)
            std::remove(temporary_name(files[i].first).c_str());
        throw;
    }
    for (size_t i = 0; i < files.size(); ++i) {
        const std::string tmp = temporary_name(files[i].first);
        if (std::rename(tmp.c_str(), files[i].first.c_str()) != 0) {
            const std::string why = std::strerror(errno);
            for (size_t j = i; j < files.size(); ++j)
                std::remove(temporary_name(files[j].first).c_str());
            throw file_error(files[i].first + ": cannot rename into place (" + why + ")");
        }
    }
}

}  // namespace ant
