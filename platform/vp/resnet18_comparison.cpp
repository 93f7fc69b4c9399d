#include "resnet18_comparison.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/program_options.hpp>

#include "job_summary.h"
#include "options.h"
#include "simulation.h"
#include "synthetic_tensors.h"

namespace ant {

namespace po = boost::program_options;

namespace {

struct conv_layer {
    const char* name;
    int c, k, h, stride;
};

// One layer per distinct shape of ResNet-18 on 32x32 inputs (3x3 kernels, padding 1);
// the stem (C = 3) is left out, as in the paper's sparse layers.
const conv_layer layers[] = {
    {"conv2_x", 64, 64, 32, 1},    {"conv3_1", 64, 128, 32, 2},  {"conv3_x", 128, 128, 16, 1},
    {"conv4_1", 128, 256, 16, 2},  {"conv4_x", 256, 256, 8, 1},  {"conv5_1", 256, 512, 8, 2},
    {"conv5_x", 512, 512, 4, 1},
};

const ant_mode all_modes[] = {ANT_MODE_DENSE, ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_IDEAL};

bool outputs_match(const dense_tensor& x, const dense_tensor& ref)
{
    if (x.data.size() != ref.data.size())
        return false;
    for (size_t i = 0; i < x.data.size(); ++i)
        if (std::fabs(x.data[i] - ref.data[i]) > 1e-3f * (1.0f + std::fabs(ref.data[i])))
            return false;
    return true;
}

struct workload {
    int batch = 1;
    double weight_density = 0.1, act_density = 0.1, grad_density = 0.5;
    uint64_t seed = 1;
};

struct table_totals {
    int jobs = 0, failures = 0, mismatches = 0;
};

// Runs every layer and op in all four modes under one mapping and prints its table.
table_totals run_table(simulation& sim, const workload& w, ant_mapping mapping, bool progress,
                       std::chrono::steady_clock::time_point t0)
{
    table_totals t;
    std::printf("mapping: %s\n", ant_mapping_name(mapping));
    std::printf("%-8s %-3s %12s %12s %12s %12s %7s %7s %9s %8s %8s %s\n", "layer", "op", "dense cyc",
                "scnn cyc", "ant cyc", "ideal cyc", "RCP scn", "RCP ant", "anticip.", "ant/scn", "idl/scn",
                "outputs");
    double log_speedup = 0.0, log_ideal = 0.0, log_energy = 0.0, energy[4] = {0, 0, 0, 0};
    uint64_t total[4] = {0, 0, 0, 0}, rcp_scnn = 0, rcp_avoided = 0;
    const size_t total_jobs = std::size(layers) * 3;
    for (size_t li = 0; li < std::size(layers); ++li) {
        const conv_layer& L = layers[li];
        const int ho = (L.h + 2 - 3) / L.stride + 1;
        const uint64_t s = w.seed * 1000 + li * 10;
        const dense_tensor act = random_sparse({w.batch, L.c, L.h, L.h}, w.act_density, s + 1);
        const dense_tensor wgt = random_sparse({L.k, L.c, 3, 3}, w.weight_density, s + 2);
        const dense_tensor grad = random_sparse({w.batch, L.k, ho, ho}, w.grad_density, s + 3);
        for (ant_op op : {ANT_OP_FW, ANT_OP_BD, ANT_OP_BW}) {
            if (progress) {
                const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                std::fprintf(stderr, "\r[%s %d/%zu] %s %s  elapsed %.0fs   ", ant_mapping_name(mapping), t.jobs + 1,
                             total_jobs, L.name, ant_op_name(op), el);
            }
            job_summary sum[4];
            dense_tensor out[4];
            bool ok = true;
            for (ant_mode mode : all_modes) {
                ant_geometry g;
                char msg[256];
                ant_geometry_conv(&g, op, L.h, L.h, 3, 3, L.stride, L.stride, 1, 1, msg, sizeof msg);
                layer_job job = sim.prepare(op, mode, mapping, false, g, uint32_t(w.batch), uint32_t(L.c),
                                            uint32_t(L.k), op == ANT_OP_BD ? grad : act, op == ANT_OP_BW ? grad : wgt);
                sim.run(job);
                if (!job.ok) {
                    std::fprintf(stderr, "\nant-vp: error: %s %s %s failed: %s\n", L.name, ant_op_name(op),
                                 ant_mode_name(mode), job.error.c_str());
                    ok = false;
                    break;
                }
                sum[mode] = summarize(job, sim);
                energy[mode] += sum[mode].energy.total_pj();
                out[mode] = sim.output(job);
                total[mode] += sum[mode].cycles;
            }
            ++t.jobs;
            if (!ok) {
                ++t.failures;
                continue;
            }
            bool agree = true;
            for (ant_mode mode : {ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_IDEAL})
                agree = agree && outputs_match(out[mode], out[ANT_MODE_DENSE]);
            t.mismatches += !agree;
            const double sp = double(sum[ANT_MODE_SCNN].cycles) / double(sum[ANT_MODE_ANT].cycles);
            const double spi = double(sum[ANT_MODE_SCNN].cycles) / double(sum[ANT_MODE_IDEAL].cycles);
            log_speedup += std::log(sp);
            log_ideal += std::log(spi);
            log_energy += std::log(sum[ANT_MODE_SCNN].energy.total_pj() / sum[ANT_MODE_ANT].energy.total_pj());
            rcp_scnn += sum[ANT_MODE_ANT].products_rcp_scnn;
            rcp_avoided += uint64_t(sum[ANT_MODE_ANT].rcp_avoided_vs_scnn);
            std::printf("%-8s %-3s %12llu %12llu %12llu %12llu %6.1f%% %6.1f%% %8.1f%% %7.2fx %7.2fx %s\n", L.name,
                        ant_op_name(op), (unsigned long long)sum[0].cycles, (unsigned long long)sum[1].cycles,
                        (unsigned long long)sum[2].cycles, (unsigned long long)sum[3].cycles,
                        100 * sum[ANT_MODE_SCNN].rcp_share, 100 * sum[ANT_MODE_ANT].rcp_share,
                        100 * sum[ANT_MODE_ANT].rcp_avoided_share, sp, spi, agree ? "agree" : "DIFFER");
            std::fflush(stdout);
        }
    }
    if (progress)
        std::fprintf(stderr, "\r%70s\r", "");
    const int measured = t.jobs - t.failures;
    std::printf("total cycles: dense %llu, scnn %llu, ant %llu, ideal %llu\n", (unsigned long long)total[0],
                (unsigned long long)total[1], (unsigned long long)total[2], (unsigned long long)total[3]);
    if (measured > 0)
        std::printf("geomean speedup over scnn: ant %.2fx, ideal %.2fx; total-time speedup: ant %.2fx; "
                    "RCPs anticipated by ant: %.1f%%\n",
                    std::exp(log_speedup / measured), std::exp(log_ideal / measured),
                    double(total[1]) / double(total[2]),
                    rcp_scnn ? 100.0 * double(rcp_avoided) / double(rcp_scnn) : 0.0);
    if (measured > 0)
        std::printf("energy: dense %.1f uJ, scnn %.1f uJ, ant %.1f uJ, ideal %.1f uJ; scnn/ant geomean %.2fx, "
                    "total %.2fx (table: energy.* keys, Horowitz ISSCC 2014 defaults)\n\n",
                    energy[0] * 1e-6, energy[1] * 1e-6, energy[2] * 1e-6, energy[3] * 1e-6,
                    std::exp(log_energy / measured), energy[1] / energy[2]);
    return t;
}

}  // namespace

int resnet18_comparison(int argc, char** argv)
{
    workload w;
    std::string config_file, mappings = "planar,channel";
    std::vector<std::string> overrides;
    po::options_description desc("ant-vp [resnet18]: ResNet-18 layers in all four modes");
    desc.add_options()
        ("help,h", "show this help")
        ("batch", po::value(&w.batch), "batch size N (default 1)")
        ("weight-density", po::value(&w.weight_density), "fraction of non-zero weights (default 0.1)")
        ("act-density", po::value(&w.act_density), "fraction of non-zero activations (default 0.1)")
        ("grad-density", po::value(&w.grad_density), "fraction of non-zero output gradients (default 0.5)")
        ("seed", po::value(&w.seed), "random seed (default 1)")
        ("mappings", po::value(&mappings), "comma-separated mappings to compare: planar, channel (default both)")
        ("config", po::value(&config_file), "configuration JSON file")
        ("set", po::value(&overrides)->composing(), "key=value configuration override (repeatable)");
    po::variables_map vm;
    if (!parse_command_line(desc, argc, argv, "resnet18", vm))
        return exit_ok;  // --help
    for (double d : {w.weight_density, w.act_density, w.grad_density})
        if (!(d > 0.0 && d <= 1.0))
            throw usage_error("densities must be in (0, 1]");
    if (w.batch < 1 || w.batch > 256)
        throw usage_error("--batch must be in 1..256");
    std::vector<ant_mapping> selected;
    std::stringstream list(mappings);
    for (std::string item; std::getline(list, item, ',');) {
        if (item == "planar")
            selected.push_back(ANT_MAPPING_PLANAR);
        else if (item == "channel")
            selected.push_back(ANT_MAPPING_CHANNEL);
        else
            throw usage_error("--mappings: '" + item + "' is not planar or channel");
    }
    if (selected.empty())
        throw usage_error("--mappings needs at least one of planar, channel");
    vp_config config;
    apply_config(config, config_file, overrides);
    simulation sim(config);
    const bool progress = isatty(STDERR_FILENO);
    const auto t0 = std::chrono::steady_clock::now();

    std::printf("ANT virtual platform: ResNet-18 (CIFAR-10 shapes, 3x3 convolutions, padding 1), batch %d, "
                "weight density %.2f, activation density %.2f, gradient density %.2f, seed %llu\n",
                w.batch, w.weight_density, w.act_density, w.grad_density, (unsigned long long)w.seed);
    std::printf("array: %ux%u PEs x %ux%u multipliers, %u banks, FIFO %u, %.2f GHz; cycles are accelerator "
                "cycles per job\n\n",
                config.accelerator.array.pe_rows, config.accelerator.array.pe_cols, config.accelerator.array.f,
                config.accelerator.array.i, config.accelerator.array.banks, config.accelerator.array.fifo_depth,
                config.accelerator.clock_ghz);
    table_totals all;
    for (ant_mapping m : selected) {
        const table_totals t = run_table(sim, w, m, progress, t0);
        all.jobs += t.jobs;
        all.failures += t.failures;
        all.mismatches += t.mismatches;
    }
    const int measured = all.jobs - all.failures;
    std::printf("outputs of scnn/ant/ideal equal the dense array's in %d of %d jobs; wall %.1f s\n",
                measured - all.mismatches, measured,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return all.failures || all.mismatches ? exit_job_failed : exit_ok;
}

}  // namespace ant
