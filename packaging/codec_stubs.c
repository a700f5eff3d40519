/* Stand-ins for two codec libraries inside OpenCV's wheel that no GuardStation feature uses.
 *
 * packaging/slim.py compiles this file once per library (-DSTUB_VPX or -DSTUB_AOM) under the file name
 * and soname of the library it replaces, after checking that it defines every symbol the rest of the
 * bundle imports from that library:
 *
 *   libvpx (3.5 MB): FFmpeg's libavcodec links it for its "libvpx" VP8/VP9 encoders and decoders. Decoding
 *     VP8/VP9 files still works: FFmpeg's own vp8/vp9 decoders come first in its codec list, so the libvpx
 *     ones are only used when asked for by name (OpenCV never does) or to *write* VP8/VP9 video (the
 *     station writes no video). FFmpeg asks libvpx for its capabilities when it lists its codecs: these
 *     answers say "no capabilities" and every init fails cleanly.
 *   libaom (7.7 MB): needed only by libavif, OpenCV's AVIF image reader/writer. The station reads .png,
 *     .jpg, .jpeg and .bmp images (scanner/sources.py IMAGE_SUFFIXES) and writes none in AVIF. cv2.imread
 *     of an .avif file now returns None (libavif reports a decode failure), as for any unreadable image.
 *
 * Every call that would encode or decode fails with the library's own "incapable" error code and prints
 * one line to stderr, so a feature that ever reaches one of them says why.
 */
#include <stddef.h>
#include <stdio.h>

#ifdef STUB_TRACE   /* evidence runs only (slim.py --trace-stubs): every call is logged */
#define TRACE fprintf(stderr, "codec stub called: %s\n", __func__)
#else
#define TRACE
#endif

static void not_here(const char *lib, const char *what) {
    static int said;
    if (!said) {
        said = 1;
        fprintf(stderr, "guardstation: %s is not in this bundle: %s is not supported\n", lib, what);
    }
}

#ifdef STUB_VPX
/* vpx_codec_err_t: 0 OK, 1 ERROR, 2 MEM_ERROR, 3 ABI_MISMATCH, 4 INCAPABLE */
#define INCAPABLE 4
#define MESSAGE "libvpx is not in this bundle"
#define FAIL not_here("libvpx", "VP8/VP9 encoding"); return INCAPABLE

const void *vpx_codec_vp8_cx(void) { TRACE; return NULL; }
const void *vpx_codec_vp8_dx(void) { TRACE; return NULL; }
const void *vpx_codec_vp9_cx(void) { TRACE; return NULL; }
const void *vpx_codec_vp9_dx(void) { TRACE; return NULL; }
long vpx_codec_get_caps(const void *iface) { TRACE; (void)iface; return 0; }
int vpx_codec_version(void) { TRACE; return 0; }
const char *vpx_codec_version_str(void) { TRACE; return "none (" MESSAGE ")"; }
const char *vpx_codec_build_config(void) { TRACE; return ""; }
const char *vpx_codec_err_to_string(int err) { TRACE; (void)err; return MESSAGE; }
const char *vpx_codec_error(const void *ctx) { TRACE; (void)ctx; return MESSAGE; }
const char *vpx_codec_error_detail(const void *ctx) { TRACE; (void)ctx; return NULL; }
int vpx_codec_dec_init_ver(void *ctx, const void *iface, const void *cfg, long flags, int ver) { TRACE; FAIL; }
int vpx_codec_enc_init_ver(void *ctx, const void *iface, const void *cfg, long flags, int ver) { TRACE; FAIL; }
int vpx_codec_enc_config_default(const void *iface, void *cfg, unsigned usage) { TRACE; FAIL; }
int vpx_codec_enc_config_set(void *ctx, const void *cfg) { TRACE; FAIL; }
int vpx_codec_decode(void *ctx, const void *data, unsigned size, void *user, long deadline) { TRACE; FAIL; }
int vpx_codec_encode(void *ctx, const void *img, long long pts, unsigned long duration, long flags,
                     unsigned long deadline) { TRACE; FAIL; }
int vpx_codec_control_(void *ctx, int id, ...) { TRACE; FAIL; }
int vpx_codec_set_frame_buffer_functions(void *ctx, void *get, void *release, void *priv) { TRACE; FAIL; }
int vpx_codec_destroy(void *ctx) { TRACE; (void)ctx; return INCAPABLE; }
const void *vpx_codec_get_frame(void *ctx, void **iter) { TRACE; (void)ctx; (void)iter; return NULL; }
const void *vpx_codec_get_cx_data(void *ctx, void **iter) { TRACE; (void)ctx; (void)iter; return NULL; }
void *vpx_img_wrap(void *img, int fmt, unsigned w, unsigned h, unsigned align, unsigned char *data) {
    TRACE;
    return NULL;
}
#endif

#ifdef STUB_AOM
/* aom_codec_err_t: 0 OK, 1 ERROR, 2 MEM_ERROR, 3 ABI_MISMATCH, 4 INCAPABLE */
#define INCAPABLE 4
#define MESSAGE "libaom is not in this bundle"
#define FAIL not_here("libaom", "AVIF"); return INCAPABLE

const void *aom_codec_av1_cx(void) { TRACE; return NULL; }
const void *aom_codec_av1_dx(void) { TRACE; return NULL; }
int aom_codec_version(void) { TRACE; return 0; }
const char *aom_codec_version_str(void) { TRACE; return "none (" MESSAGE ")"; }
const char *aom_codec_err_to_string(int err) { TRACE; (void)err; return MESSAGE; }
const char *aom_codec_error(const void *ctx) { TRACE; (void)ctx; return MESSAGE; }
const char *aom_codec_error_detail(const void *ctx) { TRACE; (void)ctx; return NULL; }
int aom_codec_dec_init_ver(void *ctx, const void *iface, const void *cfg, long flags, int ver) { TRACE; FAIL; }
int aom_codec_enc_init_ver(void *ctx, const void *iface, const void *cfg, long flags, int ver) { TRACE; FAIL; }
int aom_codec_enc_config_default(const void *iface, void *cfg, unsigned usage) { TRACE; FAIL; }
int aom_codec_enc_config_set(void *ctx, const void *cfg) { TRACE; FAIL; }
int aom_codec_decode(void *ctx, const void *data, size_t size, void *user) { TRACE; FAIL; }
int aom_codec_encode(void *ctx, const void *img, long long pts, unsigned long duration, long flags) { TRACE; FAIL; }
int aom_codec_control(void *ctx, int id, ...) { TRACE; FAIL; }
int aom_codec_set_option(void *ctx, const char *name, const char *value) { TRACE; FAIL; }
int aom_codec_destroy(void *ctx) { TRACE; (void)ctx; return INCAPABLE; }
const void *aom_codec_get_frame(void *ctx, void **iter) { TRACE; (void)ctx; (void)iter; return NULL; }
const void *aom_codec_get_cx_data(void *ctx, void **iter) { TRACE; (void)ctx; (void)iter; return NULL; }
void *aom_img_alloc(void *img, int fmt, unsigned w, unsigned h, unsigned align) { TRACE; return NULL; }
void aom_img_free(void *img) { TRACE; (void)img; }
#endif
