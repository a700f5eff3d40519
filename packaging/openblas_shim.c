/* OpenCV's BLAS/LAPACK calls forwarded to NumPy's OpenBLAS.
 *
 * The Linux wheels of OpenCV and NumPy each carry a full OpenBLAS (39 MB and 25 MB, every CPU kernel
 * twice). cv2 calls only the 19 functions below. packaging/slim.py compiles this file into a library
 * with the file name and soname of OpenCV's OpenBLAS, so the bundle keeps one OpenBLAS: NumPy's
 * (ILP64: 64-bit integers, symbols prefixed "scipy_" and suffixed "64_"). Integer arguments are widened,
 * integer outputs (info, pivots) narrowed back; character arguments get gfortran's hidden lengths (1).
 * tests/packaging/test_slim.py checks cv2's results with and without it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef int32_t i32;
typedef int64_t i64;

/* ---- CBLAS: the enums are ints in both; only the sizes widen ---------------------------------- */
#define GEMM_REAL(T, x)                                                                                  \
    extern void scipy_cblas_##x##gemm64_(int, int, int, i64, i64, i64, T, const T *, i64, const T *, i64, \
                                         T, T *, i64);                                                    \
    void cblas_##x##gemm(int o, int ta, int tb, i32 m, i32 n, i32 k, T alpha, const T *a, i32 lda,       \
                         const T *b, i32 ldb, T beta, T *c, i32 ldc) {                                    \
        scipy_cblas_##x##gemm64_(o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);                \
    }
GEMM_REAL(float, s)
GEMM_REAL(double, d)

#define GEMM_COMPLEX(x)                                                                                  \
    extern void scipy_cblas_##x##gemm64_(int, int, int, i64, i64, i64, const void *, const void *, i64,  \
                                         const void *, i64, const void *, void *, i64);                   \
    void cblas_##x##gemm(int o, int ta, int tb, i32 m, i32 n, i32 k, const void *alpha, const void *a,  \
                         i32 lda, const void *b, i32 ldb, const void *beta, void *c, i32 ldc) {           \
        scipy_cblas_##x##gemm64_(o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);                \
    }
GEMM_COMPLEX(c)
GEMM_COMPLEX(z)

/* ---- LAPACK (Fortran calling convention: everything by pointer) --------------------------------- */
static i64 *wide_buffer(i64 count) { return (i64 *)malloc((size_t)(count > 0 ? count : 1) * sizeof(i64)); }
static void narrow(i32 *out, const i64 *in, i64 count) {
    for (i64 i = 0; i < count; i++) out[i] = (i32)in[i];
}
#define NO_MEMORY (-1000) /* info < 0 means a bad argument: OpenCV treats any non-zero info as failure */

#define LAPACK_REAL(T, x)                                                                                 \
    extern void scipy_##x##gesv_64_(i64 *, i64 *, T *, i64 *, i64 *, T *, i64 *, i64 *);                  \
    void x##gesv_(i32 *n, i32 *nrhs, T *a, i32 *lda, i32 *ipiv, T *b, i32 *ldb, i32 *info) {              \
        i64 n_ = *n, nrhs_ = *nrhs, lda_ = *lda, ldb_ = *ldb, info_ = 0, *ipiv_ = wide_buffer(n_);         \
        if (!ipiv_) { *info = NO_MEMORY; return; }                                                        \
        scipy_##x##gesv_64_(&n_, &nrhs_, a, &lda_, ipiv_, b, &ldb_, &info_);                              \
        narrow(ipiv, ipiv_, n_);                                                                           \
        free(ipiv_);                                                                                       \
        *info = (i32)info_;                                                                                \
    }                                                                                                      \
    extern void scipy_##x##getrf_64_(i64 *, i64 *, T *, i64 *, i64 *, i64 *);                             \
    void x##getrf_(i32 *m, i32 *n, T *a, i32 *lda, i32 *ipiv, i32 *info) {                                \
        i64 m_ = *m, n_ = *n, lda_ = *lda, info_ = 0, k = m_ < n_ ? m_ : n_, *ipiv_ = wide_buffer(k);      \
        if (!ipiv_) { *info = NO_MEMORY; return; }                                                        \
        scipy_##x##getrf_64_(&m_, &n_, a, &lda_, ipiv_, &info_);                                          \
        narrow(ipiv, ipiv_, k);                                                                            \
        free(ipiv_);                                                                                       \
        *info = (i32)info_;                                                                                \
    }                                                                                                      \
    extern void scipy_##x##gels_64_(char *, i64 *, i64 *, i64 *, T *, i64 *, T *, i64 *, T *, i64 *,      \
                                    i64 *, size_t);                                                        \
    void x##gels_(char *trans, i32 *m, i32 *n, i32 *nrhs, T *a, i32 *lda, T *b, i32 *ldb, T *work,        \
                  i32 *lwork, i32 *info) {                                                                 \
        i64 m_ = *m, n_ = *n, nrhs_ = *nrhs, lda_ = *lda, ldb_ = *ldb, lwork_ = *lwork, info_ = 0;         \
        scipy_##x##gels_64_(trans, &m_, &n_, &nrhs_, a, &lda_, b, &ldb_, work, &lwork_, &info_, 1);       \
        *info = (i32)info_;                                                                                \
    }                                                                                                      \
    extern void scipy_##x##geqrf_64_(i64 *, i64 *, T *, i64 *, T *, T *, i64 *, i64 *);                   \
    void x##geqrf_(i32 *m, i32 *n, T *a, i32 *lda, T *tau, T *work, i32 *lwork, i32 *info) {              \
        i64 m_ = *m, n_ = *n, lda_ = *lda, lwork_ = *lwork, info_ = 0;                                     \
        scipy_##x##geqrf_64_(&m_, &n_, a, &lda_, tau, work, &lwork_, &info_);                             \
        *info = (i32)info_;                                                                                \
    }                                                                                                      \
    extern void scipy_##x##gesdd_64_(char *, i64 *, i64 *, T *, i64 *, T *, T *, i64 *, T *, i64 *, T *,  \
                                     i64 *, i64 *, i64 *, size_t);                                         \
    void x##gesdd_(char *jobz, i32 *m, i32 *n, T *a, i32 *lda, T *s, T *u, i32 *ldu, T *vt, i32 *ldvt,    \
                   T *work, i32 *lwork, i32 *iwork, i32 *info) {                                           \
        i64 m_ = *m, n_ = *n, lda_ = *lda, ldu_ = *ldu, ldvt_ = *ldvt, lwork_ = *lwork, info_ = 0;         \
        i64 *iwork_ = wide_buffer(8 * (m_ < n_ ? m_ : n_)); /* workspace only: nothing to copy back */    \
        (void)iwork;                                                                                       \
        if (!iwork_) { *info = NO_MEMORY; return; }                                                       \
        scipy_##x##gesdd_64_(jobz, &m_, &n_, a, &lda_, s, u, &ldu_, vt, &ldvt_, work, &lwork_, iwork_,    \
                             &info_, 1);                                                                   \
        free(iwork_);                                                                                      \
        *info = (i32)info_;                                                                                \
    }                                                                                                      \
    extern void scipy_##x##posv_64_(char *, i64 *, i64 *, T *, i64 *, T *, i64 *, i64 *, size_t);         \
    void x##posv_(char *uplo, i32 *n, i32 *nrhs, T *a, i32 *lda, T *b, i32 *ldb, i32 *info) {             \
        i64 n_ = *n, nrhs_ = *nrhs, lda_ = *lda, ldb_ = *ldb, info_ = 0;                                   \
        scipy_##x##posv_64_(uplo, &n_, &nrhs_, a, &lda_, b, &ldb_, &info_, 1);                            \
        *info = (i32)info_;                                                                                \
    }                                                                                                      \
    extern void scipy_##x##potrf_64_(char *, i64 *, T *, i64 *, i64 *, size_t);                           \
    void x##potrf_(char *uplo, i32 *n, T *a, i32 *lda, i32 *info) {                                       \
        i64 n_ = *n, lda_ = *lda, info_ = 0;                                                               \
        scipy_##x##potrf_64_(uplo, &n_, a, &lda_, &info_, 1);                                             \
        *info = (i32)info_;                                                                                \
    }
LAPACK_REAL(float, s)
LAPACK_REAL(double, d)

extern void scipy_dgeev_64_(char *, char *, i64 *, double *, i64 *, double *, double *, double *, i64 *,
                            double *, i64 *, double *, i64 *, i64 *, size_t, size_t);
void dgeev_(char *jobvl, char *jobvr, i32 *n, double *a, i32 *lda, double *wr, double *wi, double *vl,
            i32 *ldvl, double *vr, i32 *ldvr, double *work, i32 *lwork, i32 *info) {
    i64 n_ = *n, lda_ = *lda, ldvl_ = *ldvl, ldvr_ = *ldvr, lwork_ = *lwork, info_ = 0;
    scipy_dgeev_64_(jobvl, jobvr, &n_, a, &lda_, wr, wi, vl, &ldvl_, vr, &ldvr_, work, &lwork_, &info_, 1, 1);
    *info = (i32)info_;
}
