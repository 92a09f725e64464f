# The C extension of the layerdemo example; the metadata lives in pyproject.toml.
from setuptools import Extension, setup

setup(
    package_dir={"": "src"},
    packages=["layerdemo"],
    ext_modules=[Extension("layerdemo._fastsum", sources=["src/layerdemo/_fastsum.c"])],
)
