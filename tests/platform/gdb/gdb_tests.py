#!/usr/bin/python3
"""Tests of `ant-vp run --gdb` (platform/debug). Each subcommand is one ctest:

  session VP ELF SCRIPT EXPECT   gdb-multiarch in batch mode runs SCRIPT against the platform;
                                 every regex of EXPECT must match a transcript line, in order
  protocol VP ELF                a raw protocol client: bad checksum, malformed and unknown
                                 packets, registers, memory, then continue to the exit
  disconnect VP ELF              the client vanishes in the middle of a packet: the firmware
                                 runs on to its exit
  interrupt VP ELF               attach to running firmware, continue, Ctrl-C, kill (exit 75)
  port_in_use VP ELF             the port is taken: one-line error, exit 2

Every wait is bounded; a hang fails the test instead of blocking ctest."""
import os
import re
import socket
import subprocess
import sys
import time

TIMEOUT = 30


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def start_vp(vp, elf, *extra):
    p = subprocess.Popen([vp, "run", "--firmware", elf, "--gdb", "0", *extra],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + TIMEOUT
    line = ""
    while time.time() < deadline:
        line = p.stderr.readline()
        m = re.search(r"127\.0\.0\.1:(\d+)", line)
        if m:
            return p, int(m.group(1))
        if not line and p.poll() is not None:
            break
    p.kill()
    fail("ant-vp did not announce its GDB port (last line: %r)" % line)


def finish_vp(p):
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("ant-vp did not end")
    return p.returncode, out, err


class Client:
    """The remote serial protocol, spoken by hand."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.buf = b""

    def raw(self, data):
        self.s.sendall(data)

    def frame(self, payload, checksum=None):
        cs = sum(payload.encode()) & 0xFF if checksum is None else checksum
        return b"$" + payload.encode() + b"#" + b"%02x" % cs

    def read_byte(self):
        while not self.buf:
            chunk = self.s.recv(4096)
            if not chunk:
                fail("the server closed the connection")
            self.buf += chunk
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def packet(self):
        while self.read_byte() != b"$":
            pass
        body = b""
        while True:
            b = self.read_byte()
            if b == b"#":
                break
            body += b
        cs = self.read_byte() + self.read_byte()
        if int(cs, 16) != sum(body) & 0xFF:
            fail("bad checksum from the server")
        self.raw(b"+")
        return body.decode()

    def ack(self):
        b = self.read_byte()
        return b.decode()

    def ask(self, payload):
        self.raw(self.frame(payload))
        a = self.ack()
        if a != "+":
            fail("packet %r answered %r instead of '+'" % (payload, a))
        return self.packet()


def expect(what, got, want):
    ok = re.fullmatch(want, got) is not None
    print("%-42s %-30s %s" % (what, got[:30], "ok" if ok else "expected /%s/" % want))
    if not ok:
        fail(what)


def session(vp, elf, script, expectations):
    import shutil
    gdb = shutil.which("gdb-multiarch")
    if not gdb:
        fail("gdb-multiarch is not installed (scripts/setup.sh installs it)")
    p, port = start_vp(vp, elf, "--gdb-wait")
    with open(script) as f:
        text = f.read().replace("@PORT@", str(port))
    cmd = os.path.join(os.environ.get("TMPDIR", "/tmp"), "ant_gdb_session_%d.gdb" % os.getpid())
    with open(cmd, "w") as f:
        f.write(text)
    try:
        g = subprocess.run([gdb, "-nx", "-batch", "-x", cmd, elf], capture_output=True, text=True,
                           timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("gdb did not finish")
    finally:
        os.unlink(cmd)
    transcript = (g.stdout + g.stderr).splitlines()
    print("\n".join(transcript))
    code, out, err = finish_vp(p)
    print(out + err)
    at = 0
    with open(expectations) as f:
        patterns = [l.rstrip("\n") for l in f if l.strip()]
    for pat in patterns:
        while at < len(transcript) and not re.search(pat, transcript[at]):
            at += 1
        if at == len(transcript):
            fail("no transcript line (in order) matches /%s/" % pat)
        at += 1
    if code != 0 or "sum 55, job ok, output matches" not in out:
        fail("ant-vp exit status %d, output %r" % (code, out))
    print("%d transcript checks passed" % len(patterns))


def protocol(vp, elf):
    p, port = start_vp(vp, elf, "--gdb-wait")
    c = Client(port)
    expect("qSupported", c.ask("qSupported:swbreak+;hwbreak+"), r".*qXfer:features:read\+.*")
    xml = c.ask("qXfer:features:read:target.xml:0,3fff")
    expect("target description", xml[:1], "l")
    for name in ("org.gnu.gdb.riscv.cpu", "org.gnu.gdb.riscv.csr", '"pc"', '"mstatus"', '"tdata1"'):
        if name not in xml:
            fail("the target description lacks " + name)
    expect("stop reason on attach", c.ask("?"), "S05")
    # A corrupt packet is refused with '-' and nothing else happens.
    c.raw(c.frame("g", checksum=0))
    expect("bad checksum", c.ack(), "-")
    expect("malformed memory read", c.ask("mzz,4"), "E01")
    expect("malformed register write", c.ask("P20=12"), "E01")
    expect("unknown packet", c.ask("vFrobnicate"), "")
    regs = c.ask("g")
    expect("g: 33 registers", str(len(regs)), str(33 * 8))
    entry = subprocess.run(["riscv64-unknown-elf-readelf", "-h", elf], capture_output=True, text=True).stdout
    pc = int(re.search(r"Entry point address:\s+0x([0-9a-f]+)", entry).group(1), 16)
    expect("pc is the ELF entry", regs[32 * 8:], (pc).to_bytes(4, "little").hex())
    expect("read misa", c.ask("p%x" % (65 + 0x301)), "05110040")
    expect("write a0", c.ask("Pa=78563412"), "OK")
    expect("read a0 back", c.ask("pa"), "78563412")
    expect("unmapped memory", c.ask("m30000000,4"), "E14")
    expect("DRAM write", c.ask("M80100000,4:deadbeef"), "OK")
    expect("DRAM read back", c.ask("m80100000,4"), "deadbeef")
    expect("accelerator ID register", c.ask("m40000000,4"), "31544e41")
    expect("single step", c.ask("s"), r"T05")
    expect("pc moved", str(c.ask("p20") != pc.to_bytes(4, "little").hex()), "True")
    c.raw(c.frame("c"))
    expect("ack", c.ack(), r"\+")
    expect("exit reported", c.packet(), "W00")
    code, out, err = finish_vp(p)
    expect("ant-vp exit status", str(code), "0")


def disconnect(vp, elf):
    p, port = start_vp(vp, elf, "--gdb-wait")
    c = Client(port)
    expect("stop reason on attach", c.ask("?"), "S05")
    c.raw(b"$m8000")  # half a packet, then gone
    c.s.close()
    code, out, err = finish_vp(p)
    print(err)
    expect("ant-vp exit status", str(code), "0")
    if "the debugger went away" not in err or "output matches" not in out:
        fail("no warning about the lost debugger, or the firmware did not finish")


def interrupt(vp, elf):
    p, port = start_vp(vp, elf)  # no --gdb-wait: the firmware runs before anyone connects
    time.sleep(0.2)
    c = Client(port)
    expect("stop reason on attach", c.ask("?"), "S05")
    pc1 = c.ask("p20")
    c.raw(c.frame("c"))
    expect("ack", c.ack(), r"\+")
    time.sleep(0.2)
    c.raw(b"\x03")
    expect("Ctrl-C stops with SIGINT", c.packet(), "T02")
    t0 = c.ask("m0200bff8,8")
    if int.from_bytes(bytes.fromhex(t0), "little") == 0:
        fail("mtime did not move while the firmware ran")
    time.sleep(0.3)
    expect("mtime stands still while halted", c.ask("m0200bff8,8"), t0)
    pc2 = c.ask("p20")
    print("pc at attach %s, after Ctrl-C %s" % (pc1, pc2))
    c.raw(c.frame("k"))
    code, out, err = finish_vp(p)
    print(err)
    expect("killed: exit status", str(code), "75")
    if "killed by the debugger" not in err:
        fail("no message for the kill")


def port_in_use(vp, elf):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    r = subprocess.run([vp, "run", "--firmware", elf, "--gdb", str(port)], capture_output=True, text=True,
                       timeout=TIMEOUT)
    print(r.stderr)
    expect("exit status", str(r.returncode), "2")
    expect("message", r.stderr.strip(),
           r"ant-vp: error: --gdb: cannot listen on 127\.0\.0\.1:%d: Address already in use" % port)


if __name__ == "__main__":
    name, args = sys.argv[1], sys.argv[2:]
    {"session": session, "protocol": protocol, "disconnect": disconnect, "interrupt": interrupt,
     "port_in_use": port_in_use}[name](*args)
    print("passed")
