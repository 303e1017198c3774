#ifndef CBLAS_SHIM_H
#define CBLAS_SHIM_H
#include <cblas.h>
/* OpenBLAS extension: set the number of threads its own pool uses. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
