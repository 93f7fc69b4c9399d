// libsystemc references sc_main; Boost.Test provides main(). Tests that need the kernel
// call sc_core::sc_start() from a test case (one per process, see CMakeLists.txt).
extern "C" int sc_main(int, char*[]) { return 0; }
