// ant::rsp_channel — the transport of the GDB remote serial protocol on a TCP socket bound to
// 127.0.0.1: listening, one client at a time, packet framing ($payload#checksum), checksum
// checking with '-' for a corrupt packet, acknowledgements (until no-ack mode), escaping,
// and the out-of-band interrupt byte (Ctrl-C, 0x03) that a client sends while the target runs.
// It knows nothing about what the packets mean (gdb_server does).
#pragma once

#include <stdexcept>
#include <string>

namespace ant {

class debug_error : public std::runtime_error {
public:
    explicit debug_error(const std::string& what) : std::runtime_error(what) {}
};

class rsp_channel {
public:
    // Listens on 127.0.0.1:port (0: a free port, see port()). Throws debug_error with a
    // one-line reason (e.g. the port is in use).
    explicit rsp_channel(int port);
    ~rsp_channel();
    rsp_channel(const rsp_channel&) = delete;
    rsp_channel& operator=(const rsp_channel&) = delete;

    int port() const { return port_; }
    bool connected() const { return client_ >= 0; }

    // Accepts a client; with block = false only when one is already waiting. Returns
    // whether a client is connected now.
    bool accept_client(bool block);

    enum class input { packet, interrupt, closed };
    // Blocks for the next packet (payload unescaped, checksum verified and acknowledged) or
    // interrupt byte. `closed` when the client went away (last_error() says how).
    input receive(std::string& payload);
    // Without blocking: has the client sent an interrupt (or gone away, see connected())?
    bool poll_interrupt();
    // Sends one packet; false when the connection is gone.
    bool send(const std::string& payload);
    // After the reply to QStartNoAckMode: no more '+' either way.
    void set_no_ack() { no_ack_ = true; }
    void close_client();
    const std::string& last_error() const { return error_; }

private:
    bool fill(bool block);  // reads what the socket has into buffer_; false when closed
    bool parse(std::string& payload, bool& interrupt);
    bool write_all(const std::string& bytes);

    int listener_ = -1;
    int client_ = -1;
    int port_ = 0;
    bool no_ack_ = false;
    std::string buffer_;        // received bytes not yet parsed
    std::string last_sent_;     // for a '-' retransmission request
    std::string error_;
};

}  // namespace ant
