#ifndef CPNG_SHIM_H
#define CPNG_SHIM_H
/* libpng's simplified API (png_image_*): it catches libpng's errors itself and returns 0 with a
   message in image.message, so no setjmp is needed on the Swift side. */
#include <png.h>
#endif
