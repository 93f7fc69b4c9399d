#include "layer_command.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <iostream>
#include <map>
#include <optional>

#include <boost/program_options.hpp>

#include "atomic_file.h"
#include "job_summary.h"
#include "npy.h"
#include "log_level.h"
#include "options.h"
#include "simulation.h"

namespace ant {

namespace po = boost::program_options;

namespace {

const std::map<std::string, ant_op> ops = {
    {"fw", ANT_OP_FW}, {"bd", ANT_OP_BD}, {"bw", ANT_OP_BW}, {"spmm", ANT_OP_SPMM}};
const std::map<std::string, ant_mode> modes = {
    {"dense", ANT_MODE_DENSE}, {"scnn", ANT_MODE_SCNN}, {"ant", ANT_MODE_ANT}, {"ideal", ANT_MODE_IDEAL}};

struct layer_options {
    std::string op, mode = "ant", a, b, out, stats, timeline, config, stride = "1", pad = "0", kernel, in;
    std::string out_format = "csr", in_format = "csr";
    bool relu = false;
    int64_t topk = 0;  // 0: no top-K
    std::vector<std::string> overrides;
};

void require_rank(const dense_tensor& t, size_t rank, const std::string& file, const std::string& what)
{
    if (t.shape.size() != rank)
        throw usage_error(file + ": " + what + " must have " + std::to_string(rank) + " dimensions, got " +
                          std::to_string(t.shape.size()) + " (" + t.shape_string() + ")");
    for (int64_t d : t.shape)
        if (d <= 0 || d > 65535)
            throw usage_error(file + ": dimension " + std::to_string(d) + " of " + t.shape_string() +
                              " is outside 1..65535");
}

struct job_shape {
    ant_geometry geometry{};
    uint32_t n = 1, c = 1, k = 1;
};

// Checks the operands against each other and fills the job's shape.
void shape_job(job_shape& job, const layer_options& o, const dense_tensor& a, const dense_tensor& b)
{
    char msg[256];
    const auto [sh, sw] = parse_pair(o.stride, "--stride");
    const auto [ph, pw] = parse_pair(o.pad, "--pad");
    if (sh < 1 || sw < 1)
        throw usage_error("--stride must be at least 1, got '" + o.stride + "'");
    const ant_op op = job.geometry.op;
    auto fail_if = [](bool bad, const std::string& text) {
        if (bad)
            throw usage_error(text);
    };
    if (op == ANT_OP_SPMM) {
        require_rank(a, 2, o.a, "SPMM operand A (M x K)");
        require_rank(b, 2, o.b, "SPMM operand B (K x N)");
        fail_if(a.shape[1] != b.shape[0], "inconsistent shapes: A is " + a.shape_string() + " but B is " +
                                              b.shape_string() + " (A's columns must equal B's rows)");
        if (ant_geometry_spmm(&job.geometry, int32_t(a.shape[0]), int32_t(a.shape[1]), int32_t(b.shape[1]), msg,
                              sizeof msg) != 0)
            throw usage_error(msg);
        return;
    }
    require_rank(a, 4, o.a, op == ANT_OP_BD ? "the output gradient (N x K x Ho x Wo)" : "the activation (N x C x H x W)");
    require_rank(b, 4, o.b, op == ANT_OP_BW ? "the output gradient (N x K x Ho x Wo)" : "the weight (K x C x R x S)");
    int32_t h, w, r, s;
    if (op == ANT_OP_FW) {
        fail_if(a.shape[1] != b.shape[1], "inconsistent shapes: activation " + a.shape_string() + " has C=" +
                                              std::to_string(a.shape[1]) + " but weight " + b.shape_string() +
                                              " has C=" + std::to_string(b.shape[1]));
        job.n = uint32_t(a.shape[0]);
        job.c = uint32_t(a.shape[1]);
        job.k = uint32_t(b.shape[0]);
        h = int32_t(a.shape[2]), w = int32_t(a.shape[3]), r = int32_t(b.shape[2]), s = int32_t(b.shape[3]);
    } else if (op == ANT_OP_BD) {
        fail_if(o.in.empty(), "--op bd needs --in HxW (the input plane; several give the same output size)");
        fail_if(a.shape[1] != b.shape[0], "inconsistent shapes: gradient " + a.shape_string() + " has K=" +
                                              std::to_string(a.shape[1]) + " but weight " + b.shape_string() +
                                              " has K=" + std::to_string(b.shape[0]));
        std::tie(h, w) = parse_pair(o.in, "--in");
        job.n = uint32_t(a.shape[0]);
        job.k = uint32_t(b.shape[0]);
        job.c = uint32_t(b.shape[1]);
        r = int32_t(b.shape[2]), s = int32_t(b.shape[3]);
    } else {
        fail_if(o.kernel.empty(), "--op bw needs --kernel RxS (the weight gradient's kernel size)");
        fail_if(a.shape[0] != b.shape[0], "inconsistent shapes: activation " + a.shape_string() +
                                              " and gradient " + b.shape_string() + " differ in batch N");
        std::tie(r, s) = parse_pair(o.kernel, "--kernel");
        job.n = uint32_t(a.shape[0]);
        job.c = uint32_t(a.shape[1]);
        job.k = uint32_t(b.shape[1]);
        h = int32_t(a.shape[2]), w = int32_t(a.shape[3]);
    }
    if (ant_geometry_conv(&job.geometry, op, h, w, r, s, sh, sw, ph, pw, msg, sizeof msg) != 0)
        throw usage_error(msg);
    fail_if(job.geometry.out[0] > 65535 || job.geometry.out[1] > 65535,
            "--pad '" + o.pad + "' makes the output plane " + std::to_string(job.geometry.out[0]) + "x" +
                std::to_string(job.geometry.out[1]) + ", more than a job can hold (65535)");
    const dense_tensor& grad = op == ANT_OP_BD ? a : b;
    if (op != ANT_OP_FW)
        fail_if(grad.shape[2] != job.geometry.out[0] || grad.shape[3] != job.geometry.out[1],
                "inconsistent shapes: the gradient " + grad.shape_string() + " must be " +
                    std::to_string(job.geometry.out[0]) + "x" + std::to_string(job.geometry.out[1]) +
                    " in its last two dimensions for this input, kernel, stride and padding");
}

}  // namespace

int layer_command(int argc, char** argv)
{
    layer_options o;
    po::options_description desc("ant-vp layer: run one layer job on the accelerator model");
    desc.add_options()
        ("help,h", "show this help")
        ("op", po::value(&o.op)->required(), "fw | bd | bw | spmm")
        ("mode", po::value(&o.mode), "dense | scnn | ant | ideal (default ant)")
        ("a", po::value(&o.a)->required(), "first operand .npy (fw/bw: activation NxCxHxW, bd: output gradient, spmm: A MxK)")
        ("b", po::value(&o.b)->required(), "second operand .npy (fw/bd: weight KxCxRxS, bw: output gradient NxKxHoxWo, spmm: B KxN)")
        ("out", po::value(&o.out)->required(), "output .npy")
        ("stride", po::value(&o.stride), "S or SHxSW (default 1)")
        ("pad", po::value(&o.pad), "P or PHxPW (default 0)")
        ("kernel", po::value(&o.kernel), "RxS, required for bw")
        ("in", po::value(&o.in), "HxW input plane, required for bd")
        ("relu", po::bool_switch(&o.relu), "apply ReLU in the post-processing unit")
        ("topk", po::value(&o.topk), "SWAT top-K in the post-processing unit: keep the K largest magnitudes of the whole output")
        ("in-format", po::value(&o.in_format),
         "csr | dense | smaller: how the operands are stored in DRAM; smaller picks, per operand, the encoding with "
         "fewer bytes (default csr)")
        ("out-format", po::value(&o.out_format), "csr | dense: how the accelerator writes the output (default csr)")
        ("stats", po::value(&o.stats), "write statistics JSON here")
        ("timeline", po::value(&o.timeline), "write a Chrome/Perfetto trace-event timeline of the job here (docs/tracing.md)")
        ("config", po::value(&o.config), "configuration JSON file")
        ("set", po::value(&o.overrides)->composing(), "key=value configuration override (repeatable)");
    add_log_level_option(desc);
    po::variables_map vm;
    if (!parse_command_line(desc, argc, argv, "layer", vm))
        return exit_ok;  // --help
    if (!ops.count(o.op))
        throw usage_error("--op '" + o.op + "' is not one of fw, bd, bw, spmm");
    if (!modes.count(o.mode))
        throw usage_error("--mode '" + o.mode + "' is not one of dense, scnn, ant, ideal");
    if (o.out_format != "csr" && o.out_format != "dense")
        throw usage_error("--out-format '" + o.out_format + "' is not one of csr, dense");
    const std::map<std::string, operand_format> in_formats = {
        {"csr", operand_format::csr}, {"dense", operand_format::dense}, {"smaller", operand_format::smaller}};
    if (!in_formats.count(o.in_format))
        throw usage_error("--in-format '" + o.in_format + "' is not one of csr, dense, smaller");
    if (vm.count("topk") && (o.topk < 1 || o.topk > int64_t(UINT32_MAX)))
        throw usage_error("--topk must be a whole number from 1 to " + std::to_string(UINT32_MAX) + ", got " +
                          std::to_string(o.topk));

    try {
        check_output_paths({{"--out", o.out}, {"--stats", o.stats}, {"--timeline", o.timeline}});
    } catch (const file_error& e) {
        throw usage_error(e.what());
    }
    vp_config config;
    apply_config(config, o.config, o.overrides);

    dense_tensor a, b;
    try {
        a = load_npy(o.a);
        b = load_npy(o.b);
    } catch (const npy_error& e) {
        throw usage_error(e.what());
    }
    job_shape shape;
    shape.geometry.op = ops.at(o.op);
    shape_job(shape, o, a, b);

    const auto t0 = std::chrono::steady_clock::now();
    simulation sim(config);
    std::unique_ptr<timeline> recorded;
    if (!o.timeline.empty()) {
        recorded = std::make_unique<timeline>();
        sim.set_timeline(recorded.get());
    }
    layer_job job;
    try {
        job = sim.prepare(shape.geometry.op, modes.at(o.mode), mapping_for(config.accelerator.mapping, shape.geometry.op),
                          o.relu, shape.geometry, shape.n, shape.c, shape.k, a, b,
                          o.out_format == "dense" ? ANT_FORMAT_DENSE : ANT_FORMAT_CSR, in_formats.at(o.in_format));
        if (o.topk) {
            job.desc.flags |= ANT_JOB_FLAG_TOPK;
            job.desc.topk = uint32_t(o.topk);
        }
    } catch (const std::runtime_error& e) {
        std::cerr << "ant-vp: error: " << e.what() << "\n";
        return exit_job_failed;
    }
    sim.run(job);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!job.ok) {
        std::cerr << "ant-vp: error: job failed: " << job.error << "\n";
        return exit_job_failed;
    }
    const dense_tensor out = sim.output(job);
    const job_summary s = summarize(job, sim);
    try {
        std::vector<std::pair<std::string, std::string>> files = {{o.out, npy_bytes(out)}};
        if (!o.stats.empty())
            files.emplace_back(o.stats, stats_document(s, job, sim, wall).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        if (recorded)
            files.emplace_back(o.timeline, timeline_document(*recorded));
        write_files_atomically(files);
    } catch (const file_error& e) {
        throw usage_error(e.what());
    }
    std::cout << s.op << " " << s.mode << ": " << s.cycles << " cycles, " << s.vector_pairs << " vector pairs, "
              << s.products_valid << " valid / " << s.products_issued << " issued products ("
              << s.products_rcp << " RCP), output " << out.shape_string() << "\n";
    return exit_ok;
}

}  // namespace ant
