/*
 * execute_traced.c - the interpreter loop with trace reports (iss_set_trace).
 *
 * The same source as the plain loop, compiled a second time with the TRACE_* hooks active,
 * so that tracing costs the untraced loop nothing.
 */
#define ISS_TRACED 1
#define ISS_RUN_LOOP iss_run_traced
#include "execute.c"
