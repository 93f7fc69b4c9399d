// Results files are written to temporary names beside their targets and renamed into place
// only when every one of them was written, so an interrupted or failed run never leaves a
// half-written file, and a command's outputs appear together or not at all.
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

// All or nothing: every file is written to its own temporary name first; only when all of
// them succeeded are they renamed into place. Targets that are directories, or two targets
// that are the same file, are refused before anything is written. SIGINT, SIGTERM or SIGHUP
// while the files are written removes the temporary files before the process ends.
void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files);

// Checks a command's output options before any work is done: (option, path) pairs, empty
// paths ignored. Throws file_error naming the option when a path is a directory, lies in a
// directory that does not exist, or names the same file as another output.
void check_output_paths(const std::vector<std::pair<std::string, std::string>>& outputs);

}  // namespace ant
