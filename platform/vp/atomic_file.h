// Results files are written to a temporary name beside the target and renamed into place,
// so an interrupted or failed run never leaves a half-written file.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ant {

class file_error : public std::runtime_error {
public:
    explicit file_error(const std::string& what) : std::runtime_error(what) {}
};

void write_file_atomically(const std::string& path, const std::string& contents);

// All or nothing: every file is written to its temporary name first; only when all of them
// succeeded are they renamed into place.
void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace ant
