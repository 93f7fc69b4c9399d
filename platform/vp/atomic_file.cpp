#include "atomic_file.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ant {

namespace {

namespace fs = std::filesystem;

// Temporary files being written, for the signal handler: fixed storage, because a handler
// may only call async-signal-safe functions (unlink, signal, raise) and touch plain memory.
constexpr std::size_t max_pending = 16;
std::array<std::array<char, 4096>, max_pending> pending_names;
volatile std::sig_atomic_t pending_count = 0;
const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void remove_pending_and_die(int sig)
{
    for (std::sig_atomic_t i = 0; i < pending_count; ++i)
        ::unlink(pending_names[std::size_t(i)].data());
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// Installs the cleanup handler for the lifetime of one write_files_atomically call.
class signal_guard {
public:
    signal_guard()
    {
        pending_count = 0;
        for (std::size_t i = 0; i < std::size(cleanup_signals); ++i) {
            struct sigaction sa {};
            sa.sa_handler = remove_pending_and_die;
            sigemptyset(&sa.sa_mask);
            ::sigaction(cleanup_signals[i], &sa, &previous_[i]);
        }
    }
    ~signal_guard()
    {
        for (std::size_t i = 0; i < std::size(cleanup_signals); ++i)
            ::sigaction(cleanup_signals[i], &previous_[i], nullptr);
        pending_count = 0;
    }
    signal_guard(const signal_guard&) = delete;
    signal_guard& operator=(const signal_guard&) = delete;

private:
    struct sigaction previous_[std::size(cleanup_signals)] {};
};

std::string describe(int err) { return std::strerror(err); }

bool is_directory(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// A new, uniquely named file beside `path`, holding `contents`. Returns its name.
std::string write_temporary(const std::string& path, const std::string& contents)
{
    std::string name = path + ".tmp.XXXXXX";
    if (name.size() >= pending_names[0].size())
        throw file_error(path + ": path too long");
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        throw file_error(path + ": cannot write (" + describe(errno) + ")");
    if (pending_count < std::sig_atomic_t(max_pending)) {
        std::memcpy(pending_names[std::size_t(pending_count)].data(), name.c_str(), name.size() + 1);
        pending_count = pending_count + 1;
    }
    // mkstemp creates 0600; results files get the usual 0666 less the umask.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    bool ok = ::fchmod(fd, 0666 & ~mask) == 0;
    int err = ok ? 0 : errno;
    for (std::size_t done = 0; ok && done < contents.size();) {
        const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = false;
            err = n < 0 ? errno : EIO;
        } else {
            done += std::size_t(n);
        }
    }
    if (::close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        ::unlink(name.c_str());
        throw file_error(path + ": write failed (" + describe(err) + ")");
    }
    return name;
}

// The file a path names, for telling two spellings of one target apart from two targets.
fs::path identity(const std::string& path)
{
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? fs::path(path).lexically_normal() : p;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents)
{
    write_files_atomically({{path, contents}});
}

void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files)
{
    for (size_t i = 0; i < files.size(); ++i) {
        if (is_directory(files[i].first))
            throw file_error(files[i].first + ": is a directory");
        for (size_t j = 0; j < i; ++j)
            if (identity(files[i].first) == identity(files[j].first))
                throw file_error(files[i].first + ": named for two outputs");
    }
    signal_guard guard;
    std::vector<std::string> temporaries;
    try {
        for (const auto& [path, contents] : files)
            temporaries.push_back(write_temporary(path, contents));
    } catch (const file_error&) {
        for (const std::string& t : temporaries)
            ::unlink(t.c_str());
        throw;
    }
    for (size_t i = 0; i < files.size(); ++i) {
        if (std::rename(temporaries[i].c_str(), files[i].first.c_str()) != 0) {
            const std::string why = describe(errno);
            for (size_t j = i; j < files.size(); ++j)
                ::unlink(temporaries[j].c_str());
            throw file_error(files[i].first + ": cannot rename into place (" + why + ")");
        }
    }
}

void check_output_paths(const std::vector<std::pair<std::string, std::string>>& outputs)
{
    for (size_t i = 0; i < outputs.size(); ++i) {
        const auto& [option, path] = outputs[i];
        if (path.empty())
            continue;
        if (is_directory(path))
            throw file_error(option + " " + path + ": is a directory");
        const fs::path parent = fs::path(path).parent_path();
        if (!parent.empty() && !is_directory(parent.string()))
            throw file_error(option + " " + path + ": directory " + parent.string() + " does not exist");
        for (size_t j = 0; j < i; ++j)
            if (!outputs[j].second.empty() && identity(path) == identity(outputs[j].second))
                throw file_error(option + " " + path + ": the same file as " + outputs[j].first +
                                 "; every output needs its own file");
    }
}

}  // namespace ant
