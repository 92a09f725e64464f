/* layerdemo._fastsum: a deliberately tiny C extension, so the image needs a compiler and
   Python headers to build, but only the interpreter to run. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* sum_squares(n) -> sum of i*i for i in [1, n] */
static PyObject *sum_squares(PyObject *self, PyObject *args) {
    long long n;
    if (!PyArg_ParseTuple(args, "L", &n)) {
        return NULL;
    }
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "n must be non-negative");
        return NULL;
    }
    unsigned long long total = 0;
    for (long long i = 1; i <= n; i++) {
        total += (unsigned long long)(i * i);
    }
    return PyLong_FromUnsignedLongLong(total);
}

static PyMethodDef fastsum_methods[] = {
    {"sum_squares", sum_squares, METH_VARARGS, "Sum of squares 1..n, computed in C."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef fastsum_module = {
    PyModuleDef_HEAD_INIT, "_fastsum", "Tiny native helper for layerdemo.", -1, fastsum_methods,
};

PyMODINIT_FUNC PyInit__fastsum(void) { return PyModule_Create(&fastsum_module); }
