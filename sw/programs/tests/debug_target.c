/* debug_target: a small program for debugging sessions (tests/platform/gdb): it counts in a
 * loop, then runs one 4x4 convolution on the accelerator (its descriptor is a global, so a
 * debugger can watch its status word) and sleeps in wfi until the job's interrupt. Exit 0
 * when the job succeeded and the result matches the core's own computation. */
#include <stdio.h>

#include "ant_driver.h"

static float input[16], kernel[9], output[4], expected[4];
ant_job_desc job;
volatile uint32_t progress;

__attribute__((noinline)) static uint32_t count_to(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t i = 1; i <= n; i++) {
        sum += i;
        progress = i;
    }
    return sum;
}

int main(void)
{
    const uint32_t sum = count_to(10);
    for (int i = 0; i < 16; i++)
        input[i] = (float)(i % 5) - 1.0f;
    for (int i = 0; i < 9; i++)
        kernel[i] = (float)(i % 3) - 1.0f;
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 2; x++) {
            float acc = 0.0f;
            for (int r = 0; r < 3; r++)
                for (int s = 0; s < 3; s++)
                    acc += input[(y + r) * 4 + x + s] * kernel[r * 3 + s];
            expected[y * 2 + x] = acc;
        }
    ant_ticket ticket;
    if (ant_init() != ANT_OK || ant_job_conv(&job, ANT_OP_CODE_FW, ANT_MODE_CODE_DENSE, 1, 1, 1, 4, 4, 3, 3, 1, 0) ||
        ant_tensor_dense(&job.a, 1, 4, 4, input) || ant_tensor_dense(&job.b, 1, 3, 3, kernel) ||
        ant_tensor_dense(&job.out, 1, 2, 2, output) || ant_submit(&job, &ticket) != ANT_OK)
        return 2;
    const ant_status s = ant_wait(ticket, &job, 0);
    int same = 1;
    for (int i = 0; i < 4; i++)
        same &= output[i] == expected[i];
    printf("sum %lu, job %s, output %s\n", (unsigned long)sum, ant_error_name(s), same ? "matches" : "differs");
    return s == ANT_OK && same ? 0 : 1;
}
