/* Never finishes: iss-run must stop at --max-instructions. */
#include "test_macros.h"
TEST_MAIN
1:  j 1b
