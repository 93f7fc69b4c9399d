#include "rsp_channel.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ant {

namespace {

constexpr std::size_t max_packet = 64 * 1024;  // longer than any request GDB sends us

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace

rsp_channel::rsp_channel(int port)
{
    if (port < 0 || port > 65535)
        throw debug_error("port " + std::to_string(port) + " is not a TCP port (0..65535)");
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0)
        throw debug_error(std::string("cannot create a socket: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never reachable from other machines
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 1) != 0) {
        const std::string why = std::strerror(errno);
        ::close(listener_);
        listener_ = -1;
        throw debug_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + why);
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
}

rsp_channel::~rsp_channel()
{
    close_client();
    if (listener_ >= 0)
        ::close(listener_);
}

bool rsp_channel::accept_client(bool block)
{
    if (client_ >= 0)
        return true;
    if (!block) {
        pollfd p{listener_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0)
            return false;
    }
    int fd;
    do
        fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        error_ = std::string("accept failed: ") + std::strerror(errno);
        return false;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // replies are tiny
    client_ = fd;
    no_ack_ = false;
    buffer_.clear();
    last_sent_.clear();
    error_.clear();
    return true;
}

void rsp_channel::close_client()
{
    if (client_ >= 0)
        ::close(client_);
    client_ = -1;
    buffer_.clear();
}

bool rsp_channel::fill(bool block)
{
    if (client_ < 0)
        return false;
    if (!block) {
        pollfd p{client_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0)
            return true;
    }
    char chunk[4096];
    ssize_t n;
    do
        n = ::recv(client_, chunk, sizeof chunk, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
        error_ = n == 0 ? "the debugger closed the connection" : std::string("connection failed: ") + std::strerror(errno);
        close_client();
        return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

// Takes the first complete packet (or interrupt byte) out of buffer_. Acknowledgements are
// consumed ('-' resends the last packet); bytes outside a packet are dropped.
bool rsp_channel::parse(std::string& payload, bool& interrupt)
{
    interrupt = false;
    for (;;) {
        std::size_t i = 0;
        while (i < buffer_.size() && buffer_[i] != '$') {
            if (buffer_[i] == '\x03')
                interrupt = true;
            else if (buffer_[i] == '-' && !last_sent_.empty())
                write_all(last_sent_);
            ++i;
        }
        buffer_.erase(0, i);
        if (interrupt)
            return false;
        if (buffer_.empty())
            return false;
        const std::size_t hash = buffer_.find('#');
        if (hash == std::string::npos) {
            if (buffer_.size() > max_packet) {  // no end in sight: drop it and ask again
                buffer_.clear();
                write_all("-");
            }
            return false;
        }
        if (buffer_.size() < hash + 3)
            return false;
        const std::string body = buffer_.substr(1, hash - 1);
        const int hi = hex_value(buffer_[hash + 1]), lo = hex_value(buffer_[hash + 2]);
        buffer_.erase(0, hash + 3);
        unsigned sum = 0;
        for (unsigned char c : body)
            sum += c;
        if (!no_ack_ && (hi < 0 || lo < 0 || static_cast<unsigned>(hi * 16 + lo) != (sum & 0xffu))) {
            write_all("-");  // corrupt: the client sends it again
            continue;
        }
        if (!no_ack_)
            write_all("+");
        payload.clear();
        for (std::size_t k = 0; k < body.size(); ++k) {
            if (body[k] == '}' && k + 1 < body.size())
                payload.push_back(static_cast<char>(body[++k] ^ 0x20));
            else
                payload.push_back(body[k]);
        }
        return true;
    }
}

rsp_channel::input rsp_channel::receive(std::string& payload)
{
    for (;;) {
        bool interrupt = false;
        if (parse(payload, interrupt))
            return input::packet;
        if (interrupt)
            return input::interrupt;
        if (!fill(true))
            return input::closed;
    }
}

bool rsp_channel::poll_interrupt()
{
    if (!fill(false))
        return false;
    // While the target runs GDB sends nothing but the interrupt byte; keep anything else.
    const std::size_t at = buffer_.find('\x03');
    if (at == std::string::npos)
        return false;
    buffer_.erase(at, 1);
    return true;
}

bool rsp_channel::send(const std::string& payload)
{
    std::string frame = "$";
    unsigned sum = 0;
    for (char c : payload) {
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            frame.push_back('}');
            sum += '}';
            c = static_cast<char>(c ^ 0x20);
        }
        frame.push_back(c);
        sum += static_cast<unsigned char>(c);
    }
    char tail[4];
    std::snprintf(tail, sizeof tail, "#%02x", sum & 0xffu);
    frame += tail;
    last_sent_ = no_ack_ ? std::string() : frame;
    return write_all(frame);
}

bool rsp_channel::write_all(const std::string& bytes)
{
    std::size_t done = 0;
    while (client_ >= 0 && done < bytes.size()) {
        const ssize_t n = ::send(client_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            error_ = std::string("connection failed: ") + std::strerror(errno);
            close_client();
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return client_ >= 0;
}

}  // namespace ant
