// ant-vp: the ANT virtual platform's command-line front end.
//   ant-vp                 the main job (ResNet-18 layers, all modes, comparison table)
//   ant-vp layer ...       one layer job from .npy files
// Exit status: 0 success, 1 a job failed, 2 bad command line or input.
#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include <systemc>

#include "common/config_error.h"
#include "layer_command.h"
#include "log_level.h"
#include "options.h"
#include "resnet18_comparison.h"
#include "run_command.h"

namespace {

void usage()
{
    std::cout << "usage: ant-vp [resnet18 [options]]   ResNet-18 layers in all four modes (default)\n"
                 "       ant-vp layer --op OP --a A.npy --b B.npy --out OUT.npy [options]\n"
                 "       ant-vp run --firmware PROG.elf [options]   RV32 firmware on the virtual platform\n"
                 "       ant-vp <command> --help          options of a command\n";
}

// glibc maps every block above 128 KiB (a threshold that grows with use) with mmap and
// unmaps it when freed, and trims the heap's free top: a model that builds and drops buffers
// of that size gets fresh pages each time, and each fresh page is a page fault, which in a
// virtual machine costs microseconds. Freed memory kept in the heap is reused without one;
// the process then holds at most its peak use.
void keep_freed_memory()
{
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace

int sc_main(int argc, char** argv)
{
    keep_freed_memory();
    // Quiet the kernel's banner and the deprecation chatter; our output is the product.
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_DISPLAY | sc_core::SC_THROW);
    ant::set_log_level(ant::log_level::warning);  // a command's --log-level may change it
    const std::string command = argc > 1 ? argv[1] : "resnet18";
    try {
        if (command == "run")
            return ant::run_command(argc - 1, argv + 1);
        if (command == "layer")
            return ant::layer_command(argc - 1, argv + 1);
        if (command == "resnet18")
            return ant::resnet18_comparison(argc > 1 ? argc - 1 : 1, argc > 1 ? argv + 1 : argv);
        if (command == "--help" || command == "-h" || command == "help") {
            usage();
            return ant::exit_ok;
        }
        if (command.rfind("--", 0) == 0)
            return ant::resnet18_comparison(argc, argv);
        std::cerr << "ant-vp: error: unknown command '" << command << "' (try ant-vp --help)\n";
        return ant::exit_usage;
    } catch (const ant::usage_error& e) {
        std::cerr << "ant-vp: error: " << e.what() << "\n";
        return ant::exit_usage;
    } catch (const ant::config_error& e) {
        std::cerr << "ant-vp: error: " << e.what() << "\n";
        return ant::exit_usage;
    } catch (const sc_core::sc_report& e) {
        std::cerr << "ant-vp: error: " << e.what() << "\n";
        return ant::exit_job_failed;
    } catch (const std::exception& e) {
        std::cerr << "ant-vp: error: " << e.what() << "\n";
        return ant::exit_job_failed;
    }
}

// Our own entry point, so the kernel's copyright banner can be turned off before the
// kernel prints it; the tool's output is the product's.
int main(int argc, char** argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
