#include "log_level.h"

#include <iostream>

#include <systemc>

#include "options.h"

namespace ant {

namespace {

void one_line_info(const sc_core::sc_report& report, const sc_core::sc_actions& actions)
{
    if (report.get_severity() == sc_core::SC_INFO && (actions & sc_core::SC_DISPLAY)) {
        std::cerr << "ant-vp: info: " << report.get_msg_type() << ": " << report.get_msg() << std::endl;
        sc_core::sc_report_handler::default_handler(report, actions & ~sc_core::SC_DISPLAY);
        return;
    }
    sc_core::sc_report_handler::default_handler(report, actions);
}

// A notifier, so that each command needs one line for the option (a function rather than a
// lambda: GCC 12 warns about boost::function holding a lambda).
void apply_log_level_text(const std::string& text) { set_log_level(parse_log_level(text)); }

}  // namespace

log_level parse_log_level(const std::string& text)
{
    if (text == "error")
        return log_level::error;
    if (text == "warning")
        return log_level::warning;
    if (text == "info")
        return log_level::info;
    if (text == "debug")
        return log_level::debug;
    throw usage_error("--log-level '" + text + "' is not one of error, warning, info, debug");
}

void set_log_level(log_level level)
{
    using namespace sc_core;
    sc_report_handler::set_handler(&one_line_info);
    sc_report_handler::set_actions(SC_WARNING, level == log_level::error ? SC_DO_NOTHING : SC_LOG | SC_DISPLAY);
    const bool info = level == log_level::info || level == log_level::debug;
    sc_report_handler::set_actions(SC_INFO, info ? SC_LOG | SC_DISPLAY : SC_DO_NOTHING);
    sc_report_handler::set_verbosity_level(level == log_level::debug ? SC_DEBUG : SC_MEDIUM);
}

void add_log_level_option(boost::program_options::options_description& desc)
{
    desc.add_options()("log-level",
                       boost::program_options::value<std::string>()->notifier(&apply_log_level_text),
                       "error | warning | info | debug: which model messages reach stderr (default warning; "
                       "info shows why each rejected job failed)");
}

}  // namespace ant
