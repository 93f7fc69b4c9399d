// --log-level for the ant-vp commands: which SystemC reports reach stderr. The models explain
// themselves in SC_REPORT_* messages (a rejected job's exact reason, DRAM warnings); this
// chooses how much of that a user sees. Info messages print as one line,
// "ant-vp: info: <message type>: <text>".
//   error    errors only
//   warning  errors and warnings (the default)
//   info     also SC_INFO up to SC_MEDIUM verbosity: e.g. every rejected job's sentence
//   debug    also SC_INFO up to SC_DEBUG verbosity: the models' step-by-step notes
#pragma once

#include <string>

#include <boost/program_options.hpp>

namespace ant {

enum class log_level { error, warning, info, debug };

// "error" | "warning" | "info" | "debug"; throws usage_error otherwise.
log_level parse_log_level(const std::string& text);

// Installs the report actions, verbosity and the one-line info format.
void set_log_level(log_level level);

// Adds --log-level to a command's options; the level takes effect when the line is parsed.
void add_log_level_option(boost::program_options::options_description& desc);

}  // namespace ant
