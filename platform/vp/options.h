// Command-line pieces shared by the ant-vp subcommands: the usage-error exception (exit
// status 2), "AxB" pair parsing, and configuration from a JSON file plus --set overrides.
#pragma once

#include <stdexcept>

#include <boost/program_options.hpp>
#include <string>
#include <utility>
#include <vector>

#include "accelerator_config.h"
#include "common/timeline.h"
#include "energy_model.h"
#include "memory/dram_config.h"

namespace ant {

// Bad command line or input files: one line, exit status 2.
class usage_error : public std::runtime_error {
public:
    explicit usage_error(const std::string& what) : std::runtime_error(what) {}
};

enum exit_status { exit_ok = 0, exit_job_failed = 1, exit_usage = 2 };

// Parses a subcommand's options into the variables bound in `desc`. Prints the help and
// returns false for --help; throws usage_error (prefixed with the command) for a bad line.
bool parse_command_line(const boost::program_options::options_description& desc, int argc, char** argv,
                        const std::string& command, boost::program_options::variables_map& vm);

// "3" -> (3, 3), "3x2" -> (3, 2), each number 0..65535 (what a job descriptor holds);
// `what` names the option in errors.
std::pair<int32_t, int32_t> parse_pair(const std::string& text, const std::string& what);

// What a layer run is configured by: the accelerator and the DRAM behind it. The runner's
// DRAM defaults to SCNN's nominal 50 GB/s (preset scnn-50gbps), the baseline's memory.
struct vp_config {
    accelerator_config accelerator;
    dram_config dram = dram_preset("scnn-50gbps");
    energy_table energy;
};

// Applies a JSON configuration file (flat {"key": value} or nested {"block": {"key": v}})
// and then key=value overrides, whose value is read as JSON when it parses (numbers,
// true/false) and as a string otherwise. Keys under "dram." configure the DRAM (a
// "dram.preset" is applied before the other DRAM keys).
void apply_config(vp_config& config, const std::string& file, const std::vector<std::string>& overrides);

// The JSON of a --timeline, with a warning on stderr when detail slices had to be dropped.
std::string timeline_document(const timeline& t);

}  // namespace ant
