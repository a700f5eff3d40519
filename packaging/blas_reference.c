/* The few pieces the reference BLAS/LAPACK library needs besides the Netlib code itself.
 *
 * packaging/slim.py replaces NumPy's OpenBLAS (25 MB: every CPU's kernels, all of BLAS and LAPACK) with a
 * library of the same file name and soname that holds only the BLAS/LAPACK routines the bundle calls
 * (NumPy's matmul/dot and numpy.linalg, and OpenCV through openblas_shim.c), linked from Debian's
 * reference 64-bit-integer BLAS/LAPACK archives (liblapack64-dev, libblas64-dev). The exported names are
 * OpenBLAS's ("scipy_dgesv_64_", "scipy_cblas_dgemm64_"), set as aliases of the reference routines.
 *
 * This file adds:
 * - xerbla_ and cblas_xerbla: the reference versions end the process on an illegal argument; OpenBLAS's
 *   (which NumPy and OpenCV were built against) print a message and return. These do the same.
 * - the three gfortran run-time routines the linked LAPACK code calls, so that the library needs no
 *   libgfortran (2.8 MB + libquadmath): string concatenation (used by ilaenv to build a routine name)
 *   and a real raised to a 64-bit integer power (by squaring, as libgfortran does). Linking with
 *   -Wl,--no-undefined proves nothing else from libgfortran is needed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void xerbla_(const char *name, const int64_t *info, size_t name_len) {
    fprintf(stderr, " ** On entry to %.*s parameter number %lld had an illegal value\n", (int)name_len, name,
            (long long)*info);
}

void cblas_xerbla(int64_t p, const char *rout, const char *form, ...) {
    (void)form;
    fprintf(stderr, "Parameter %lld to routine %s was incorrect\n", (long long)p, rout);
}

void _gfortran_concat_string(size_t dest_len, char *dest, size_t len1, const char *s1, size_t len2,
                             const char *s2) {
    if (len1 >= dest_len) {
        memcpy(dest, s1, dest_len);
        return;
    }
    memcpy(dest, s1, len1);
    dest += len1;
    dest_len -= len1;
    if (len2 >= dest_len) {
        memcpy(dest, s2, dest_len);
        return;
    }
    memcpy(dest, s2, len2);
    memset(dest + len2, ' ', dest_len - len2);   /* Fortran strings are blank-padded */
}

#define POWER(T, name)                                                                                   \
    T name(T a, int64_t b) {                                                                             \
        T result = 1, x = a;                                                                             \
        uint64_t u;                                                                                      \
        if (b == 0)                                                                                      \
            return 1;                                                                                    \
        if (b < 0) {                                                                                     \
            u = -(uint64_t)b;                                                                            \
            x = result / x;                                                                              \
        } else {                                                                                         \
            u = (uint64_t)b;                                                                             \
        }                                                                                                \
        for (;;) {                                                                                       \
            if (u & 1)                                                                                   \
                result *= x;                                                                             \
            u >>= 1;                                                                                     \
            if (!u)                                                                                      \
                break;                                                                                   \
            x *= x;                                                                                      \
        }                                                                                                \
        return result;                                                                                   \
    }
POWER(float, _gfortran_pow_r4_i8)
POWER(double, _gfortran_pow_r8_i8)
