#include "gdb_server.h"

#include <cstdio>
#include <cstring>
#include <iostream>

#include "target_description.h"

namespace ant {

namespace {

constexpr auto poll_interval = std::chrono::milliseconds(5);  // host time between socket looks
constexpr std::size_t max_memory_reply = 0x1000;             // bytes per 'm' reply (PacketSize)
constexpr std::size_t max_memory_write = 0x2000;             // bytes an 'M' packet can carry

int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string to_hex(const std::uint8_t* bytes, std::size_t n)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        s.push_back(digits[bytes[i] >> 4]);
        s.push_back(digits[bytes[i] & 15u]);
    }
    return s;
}

// Target byte order (little-endian) for register values.
std::string word_hex(std::uint32_t v)
{
    const std::uint8_t b[4] = {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
    return to_hex(b, 4);
}

bool from_hex(const std::string& s, std::size_t at, std::size_t bytes, std::uint8_t* out)
{
    if (s.size() < at + 2 * bytes)
        return false;
    for (std::size_t i = 0; i < bytes; ++i) {
        const int hi = hex_digit(s[at + 2 * i]), lo = hex_digit(s[at + 2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return true;
}

bool word_from_hex(const std::string& s, std::size_t at, std::uint32_t& v)
{
    std::uint8_t b[4];
    if (!from_hex(s, at, 4, b))
        return false;
    v = b[0] | (std::uint32_t{b[1]} << 8) | (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[3]} << 24);
    return true;
}

// A big-endian hex number (addresses, lengths, register numbers) ending the text or before
// `end`; advances pos past it.
bool parse_number(const std::string& s, std::size_t& pos, std::uint64_t& v, char end)
{
    v = 0;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] != end) {
        const int d = hex_digit(s[pos]);
        if (d < 0 || pos - start >= 16)
            return false;
        v = v * 16 + static_cast<unsigned>(d);
        ++pos;
    }
    return pos > start;
}

// "ADDR,LEN" (then `end` or the end of the text).
bool parse_address_length(const std::string& s, std::size_t pos, std::uint64_t& addr, std::uint64_t& len,
                          char end, std::size_t* after = nullptr)
{
    if (!parse_number(s, pos, addr, ',') || pos >= s.size())
        return false;
    ++pos;
    if (!parse_number(s, pos, len, end))
        return false;
    if (after)
        *after = pos;
    return addr <= 0xFFFF'FFFFull;
}

}  // namespace

gdb_server::gdb_server(soc& platform, int port, bool wait_for_client)
    : platform_(platform), core_(platform.core.core()), channel_(port), wait_for_client_(wait_for_client)
{
}

void gdb_server::start()
{
    platform_.core.attach_debugger(this);
    if (!wait_for_client_)
        return;
    std::cerr << "ant-vp: waiting for GDB on 127.0.0.1:" << channel_.port() << " (target remote :" << channel_.port()
              << ")" << std::endl;
    while (!channel_.accept_client(true)) {
    }
    attach();
}

void gdb_server::attach()
{
    attach_pending_ = true;
    waiting_for_stop_ = false;
    last_stop_ = "S05";
    iss_debug_set_ebreak_halts(core_, 1);  // dcsr.ebreakm: ebreak belongs to the debugger
}

bool gdb_server::halt_requested()
{
    if (attach_pending_)
        return true;
    const auto now = std::chrono::steady_clock::now();
    if (now < next_poll_)
        return false;
    next_poll_ = now + poll_interval;
    if (!channel_.connected()) {
        if (channel_.accept_client(false)) {
            std::cerr << "ant-vp: GDB connected; the core halts" << std::endl;
            attach();
            return true;
        }
        return false;
    }
    if (channel_.poll_interrupt())
        return true;
    if (!channel_.connected())
        detach("the debugger went away (" + channel_.last_error() + "); the firmware continues");
    return false;
}

std::string gdb_server::stop_reply(const halt_event& event) const
{
    switch (event.core.cause) {
    case ISS_HALT_EBREAK: return "T05swbreak:;";
    case ISS_HALT_EXECUTE: return "T05hwbreak:;";
    case ISS_HALT_DATA:
        for (const hw_trigger& t : triggers_)
            if (t.index == event.core.trigger) {
                // GDB identifies the watchpoint by an address inside it.
                std::uint32_t a = event.core.address;
                if (a < t.address || a >= t.address + t.length)
                    a = t.address;
                const char* kind = t.type == '2' ? "watch" : t.type == '3' ? "rwatch" : "awatch";
                char buf[48];
                std::snprintf(buf, sizeof buf, "T05%s:%x;", kind, a);
                return buf;
            }
        return "T05";
    case ISS_HALT_NONE: break;
    }
    return event.requested && waiting_for_stop_ ? "T02" : "T05";  // SIGINT for Ctrl-C
}

core_debugger::resume gdb_server::halted(const halt_event& event)
{
    if (attach_pending_) {
        attach_pending_ = false;  // a new client asks with '?' itself
    } else {
        last_stop_ = stop_reply(event);
        if (waiting_for_stop_)
            channel_.send(last_stop_);
    }
    waiting_for_stop_ = false;
    for (;;) {
        std::string packet;
        const rsp_channel::input in = channel_.receive(packet);
        if (in == rsp_channel::input::closed) {
            detach("the debugger went away (" + channel_.last_error() + "); the firmware continues");
            return resume::run;
        }
        if (in == rsp_channel::input::interrupt) {  // already halted: just say so again
            channel_.send(last_stop_);
            continue;
        }
        switch (handle(packet)) {
        case action::none: break;
        case action::resume_run: waiting_for_stop_ = true; return resume::run;
        case action::resume_step: waiting_for_stop_ = true; return resume::step;
        case action::kill: channel_.close_client(); return resume::kill;
        }
        if (!channel_.connected())
            return resume::run;  // detached
    }
}

gdb_server::action gdb_server::handle(const std::string& p)
{
    auto reply = [this](const std::string& s) { channel_.send(s); return action::none; };
    if (p.empty())
        return reply("");
    const char cmd = p[0];
    switch (cmd) {
    case '?': return reply(last_stop_);
    case 'g': return reply(read_registers());
    case 'G': return reply(write_registers(p.substr(1)) ? "OK" : "E01");
    case 'p': {
        std::size_t pos = 1;
        std::uint64_t n;
        std::uint32_t v;
        if (!parse_number(p, pos, n, '\0') || !read_register(static_cast<unsigned>(n), v))
            return reply("E01");
        return reply(word_hex(v));
    }
    case 'P': {
        std::size_t pos = 1;
        std::uint64_t n;
        std::uint32_t v;
        if (!parse_number(p, pos, n, '=') || pos >= p.size() || !word_from_hex(p, pos + 1, v) ||
            p.size() != pos + 9 || !write_register(static_cast<unsigned>(n), v))
            return reply("E01");
        return reply("OK");
    }
    case 'm': return reply(read_memory(p.substr(1)));
    case 'M': return reply(write_memory(p.substr(1)));
    case 'c': case 's': case 'C': case 'S': {
        // c/s [addr]; C/S sig[;addr]: signals mean nothing to bare-metal firmware.
        std::size_t pos = 1;
        if (cmd == 'C' || cmd == 'S') {
            pos = p.find(';');
            pos = pos == std::string::npos ? p.size() : pos + 1;
        }
        if (pos < p.size()) {
            std::uint64_t a;
            if (!parse_number(p, pos, a, '\0'))
                return reply("E01");
            iss_set_pc(core_, static_cast<std::uint32_t>(a));
        }
        return cmd == 'c' || cmd == 'C' ? action::resume_run : action::resume_step;
    }
    case 'Z': return reply(insert_point(p.substr(1)));
    case 'z': return reply(remove_point(p.substr(1)));
    case 'D':
        channel_.send("OK");
        detach("GDB detached; the firmware continues");
        return action::none;
    case 'k': return action::kill;
    case 'H': case 'T': return reply("OK");  // one thread, always alive
    default: break;
    }
    if (p.rfind("qSupported", 0) == 0)
        return reply("PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+");
    if (p == "QStartNoAckMode") {
        reply("OK");
        channel_.set_no_ack();
        return action::none;
    }
    if (p.rfind("qXfer:features:read:", 0) == 0)
        return reply(features(p.substr(20)));
    if (p == "qAttached")
        return reply("1");  // ending the session must not look like killing a process we made
    if (p == "qC")
        return reply("QC1");
    if (p == "qfThreadInfo")
        return reply("m1");
    if (p == "qsThreadInfo")
        return reply("l");
    if (p.rfind("qSymbol", 0) == 0)
        return reply("OK");
    if (p.rfind("vKill", 0) == 0) {
        channel_.send("OK");
        return action::kill;
    }
    return reply("");  // not supported: GDB falls back or says so
}

std::string gdb_server::read_registers() const
{
    std::string s;
    for (unsigned i = 0; i <= gdb_pc_regnum; ++i) {
        std::uint32_t v = 0;
        read_register(i, v);
        s += word_hex(v);
    }
    return s;
}

bool gdb_server::write_registers(const std::string& hex)
{
    if (hex.size() < 8u * (gdb_pc_regnum + 1))
        return false;
    for (unsigned i = 0; i <= gdb_pc_regnum; ++i) {
        std::uint32_t v;
        if (!word_from_hex(hex, 8u * i, v))
            return false;
        write_register(i, v);
    }
    return true;
}

bool gdb_server::read_register(unsigned n, std::uint32_t& v) const
{
    if (n < 32) {
        v = iss_get_reg(core_, n);
        return true;
    }
    if (n == gdb_pc_regnum) {
        v = iss_get_pc(core_);
        return true;
    }
    return n >= gdb_first_csr_regnum && n < gdb_first_csr_regnum + 4096 &&
           iss_get_csr(core_, n - gdb_first_csr_regnum, &v) == 0;
}

bool gdb_server::write_register(unsigned n, std::uint32_t v)
{
    if (n < 32) {
        iss_set_reg(core_, n, v);
        return true;
    }
    if (n == gdb_pc_regnum) {
        iss_set_pc(core_, v);
        return true;
    }
    return n >= gdb_first_csr_regnum && n < gdb_first_csr_regnum + 4096 &&
           iss_debug_set_csr(core_, n - gdb_first_csr_regnum, v) == 0;
}

std::string gdb_server::read_memory(const std::string& args)
{
    std::uint64_t addr, len;
    if (!parse_address_length(args, 0, addr, len, '\0'))
        return "E01";
    len = std::min<std::uint64_t>({len, max_memory_reply, 0x1'0000'0000ull - addr});
    std::vector<std::uint8_t> data(len);
    std::size_t n = len ? platform_.debug_read(addr, data.data(), len) : 0;
    if (n == 0 && len > 0) {
        // Registers answer word accesses only (the accelerator's): GDB reads them as such
        // when asked for 4 aligned bytes, which is what `x/w` and a uint32_t variable do.
        return "E14";
    }
    // GDB must see the program, not the ebreaks standing in for its breakpoints.
    for (const auto& [at, bp] : breakpoints_)
        for (unsigned i = 0; i < bp.kind; ++i)
            if (at + i >= addr && at + i < addr + n)
                data[at + i - addr] = bp.saved[i];
    return to_hex(data.data(), n);
}

std::string gdb_server::write_memory(const std::string& args)
{
    std::uint64_t addr, len;
    std::size_t colon;
    if (!parse_address_length(args, 0, addr, len, ':', &colon) || colon >= args.size() || len > max_memory_write)
        return "E01";
    std::vector<std::uint8_t> data(len);
    if (!from_hex(args, colon + 1, len, data.data()) || args.size() != colon + 1 + 2 * len)
        return "E01";
    if (len == 0)
        return "OK";
    if (platform_.debug_write(addr, data.data(), len) != len)
        return "E14";
    iss_invalidate_code(core_, static_cast<std::uint32_t>(addr), static_cast<std::uint32_t>(len));
    return "OK";
}

std::string gdb_server::features(const std::string& args) const
{
    // target.xml:OFFSET,LENGTH
    const std::string annex = "target.xml:";
    if (args.rfind(annex, 0) != 0)
        return "E00";
    std::uint64_t offset, length;
    if (!parse_address_length(args, annex.size(), offset, length, '\0'))
        return "E01";
    static const std::string xml = rv32_target_xml();
    if (offset >= xml.size())
        return "l";
    const std::string part = xml.substr(offset, length);
    return (offset + part.size() >= xml.size() ? "l" : "m") + part;
}

std::string gdb_server::insert_point(const std::string& args)
{
    // TYPE,ADDR,KIND|LENGTH
    if (args.size() < 2 || args[1] != ',')
        return "E01";
    const char type = args[0];
    std::uint64_t addr, len;
    if (!parse_address_length(args, 2, addr, len, '\0'))
        return "E01";
    const auto a = static_cast<std::uint32_t>(addr);
    if (type == '0') {
        if (len != 2 && len != 4)
            return "E01";
        if (breakpoints_.count(a))
            return "OK";
        sw_breakpoint bp{static_cast<unsigned>(len), {}};
        if (platform_.debug_read(a, bp.saved, bp.kind) != bp.kind)
            return "E14";
        // c.ebreak for a compressed instruction, ebreak otherwise (little-endian bytes).
        const std::uint8_t c_ebreak[2] = {0x02, 0x90}, ebreak[4] = {0x73, 0x00, 0x10, 0x00};
        if (platform_.debug_write(a, bp.kind == 2 ? c_ebreak : ebreak, bp.kind) != bp.kind)
            return "E14";
        iss_invalidate_code(core_, a, bp.kind);
        breakpoints_[a] = bp;
        return "OK";
    }
    if (type < '1' || type > '4')
        return "";  // unsupported kind: GDB says so
    if (len == 0 || addr + len > 0x1'0000'0000ull)
        return "E01";
    // A trigger neither the firmware nor GDB uses (all enables clear), last ones first.
    for (unsigned i = ISS_TRIGGERS; i-- > 0;) {
        std::uint32_t t1, t2;
        iss_trigger_get(core_, i, &t1, &t2);
        if (t1 & (ISS_MCONTROL_EXECUTE | ISS_MCONTROL_STORE | ISS_MCONTROL_LOAD))
            continue;
        std::uint32_t control = ISS_MCONTROL_TYPE | ISS_MCONTROL_DMODE | ISS_MCONTROL_ACTION_DEBUG | ISS_MCONTROL_M;
        std::uint32_t match = a;
        if (type == '1') {
            control |= ISS_MCONTROL_EXECUTE;
        } else {
            control |= type == '2' ? ISS_MCONTROL_STORE
                       : type == '3' ? ISS_MCONTROL_LOAD
                                     : ISS_MCONTROL_STORE | ISS_MCONTROL_LOAD;
            // The smallest naturally aligned power-of-two range holding [addr, addr + len).
            std::uint64_t span = 1;
            while ((addr & ~(span - 1)) + span < addr + len)
                span *= 2;
            if (span > 1) {
                control |= ISS_MCONTROL_MATCH_NAPOT;
                match = static_cast<std::uint32_t>((addr & ~(span - 1)) | (span / 2 - 1));
            }
        }
        iss_trigger_set(core_, i, control, match);
        triggers_.push_back({type, a, static_cast<std::uint32_t>(len), i});
        return "OK";
    }
    return "E28";  // no trigger left (ENOSPC): GDB reports it cannot insert the point
}

std::string gdb_server::remove_point(const std::string& args)
{
    if (args.size() < 2 || args[1] != ',')
        return "E01";
    const char type = args[0];
    std::uint64_t addr, len;
    if (!parse_address_length(args, 2, addr, len, '\0'))
        return "E01";
    const auto a = static_cast<std::uint32_t>(addr);
    if (type == '0') {
        auto it = breakpoints_.find(a);
        if (it == breakpoints_.end())
            return "OK";
        platform_.debug_write(a, it->second.saved, it->second.kind);
        iss_invalidate_code(core_, a, it->second.kind);
        breakpoints_.erase(it);
        return "OK";
    }
    for (auto it = triggers_.begin(); it != triggers_.end(); ++it)
        if (it->type == type && it->address == a && it->length == len) {
            iss_trigger_set(core_, it->index, 0, 0);
            triggers_.erase(it);
            return "OK";
        }
    return type >= '1' && type <= '4' ? "OK" : "";
}

void gdb_server::detach(const std::string& why)
{
    for (const auto& [at, bp] : breakpoints_) {
        platform_.debug_write(at, bp.saved, bp.kind);
        iss_invalidate_code(core_, at, bp.kind);
    }
    breakpoints_.clear();
    for (const hw_trigger& t : triggers_)
        iss_trigger_set(core_, t.index, 0, 0);
    triggers_.clear();
    iss_debug_set_ebreak_halts(core_, 0);
    iss_debug_set_irq_inhibit(core_, 0);
    attach_pending_ = waiting_for_stop_ = false;
    channel_.close_client();
    std::cerr << "ant-vp: " << why << std::endl;
}

void gdb_server::finished(const run_result& result)
{
    if (!channel_.connected())
        return;
    if (result.end == run_end::exited) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "W%02x", result.exit_code & 0xffu);
        channel_.send(buf);
    } else if (result.end != run_end::killed) {
        // The reason as console output ('O' packet), then "terminated by SIGABRT".
        const std::string text = "ant-vp: " + result.message + "\n";
        channel_.send("O" + to_hex(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
        channel_.send("X06");
    }
    channel_.close_client();
}

}  // namespace ant
