#ifndef CJPEG_SHIM_H
#define CJPEG_SHIM_H
/* libjpeg reports a fatal error by calling error_exit, which must not return: the decoder below
   longjmps back to itself from there (Swift cannot), so every libjpeg failure comes back as a
   return code and a one-line message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

struct lnet_jpeg_error {
    struct jpeg_error_mgr manager;
    jmp_buf escape;
    char message[JMSG_LENGTH_MAX];
};

static void lnet_jpeg_error_exit(j_common_ptr info) {
    struct lnet_jpeg_error *error = (struct lnet_jpeg_error *)info->err;
    (*info->err->format_message)(info, error->message);
    longjmp(error->escape, 1);
}

/* Warnings (corrupt data libjpeg can skip) are kept quiet; the image decodes as far as it can. */
static void lnet_jpeg_output_message(j_common_ptr info) { (void)info; }

/* Decodes a JPEG to 8-bit grayscale. First call with pixels == NULL: reads the header and sets
   *width and *height. Second call with a buffer of width*height bytes: decodes into it.
   Returns 0 on success, -1 with message filled (at most message_size bytes) on failure. */
static inline int lnet_jpeg_decode_gray(const unsigned char *data, unsigned long size,
                                        int *width, int *height, unsigned char *pixels,
                                        char *message, int message_size) {
    struct jpeg_decompress_struct info;
    struct lnet_jpeg_error error;
    JSAMPROW row;
    memset(&info, 0, sizeof info);
    error.message[0] = 0;
    info.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = lnet_jpeg_error_exit;
    error.manager.output_message = lnet_jpeg_output_message;
    if (setjmp(error.escape)) {
        snprintf(message, (size_t)message_size, "%s", error.message);
        jpeg_destroy_decompress(&info);
        return -1;
    }
    jpeg_create_decompress(&info);
    /* Bounds libjpeg's own working memory on hostile headers (progressive coefficient buffers). */
    info.mem->max_memory_to_use = 256L * 1024 * 1024;
    jpeg_mem_src(&info, data, size);
    jpeg_read_header(&info, TRUE);
    *width = (int)info.image_width;
    *height = (int)info.image_height;
    if (pixels == NULL) {
        jpeg_destroy_decompress(&info);
        return 0;
    }
    info.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&info);
    if (info.output_width != info.image_width || info.output_height != info.image_height || info.output_components != 1) {
        snprintf(message, (size_t)message_size, "unexpected decoded size");
        jpeg_destroy_decompress(&info);
        return -1;
    }
    while (info.output_scanline < info.output_height) {
        row = pixels + (size_t)info.output_scanline * info.output_width;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return 0;
}
#endif
