// LAPACKE (C interface to LAPACK) and OpenBLAS's thread control, from Debian's
// liblapacke-dev and libopenblas-dev.
#include <lapacke.h>
#include <x86_64-linux-gnu/cblas.h>
