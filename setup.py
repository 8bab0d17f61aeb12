"""Build the compiled feature-extraction kernels; all other settings live in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "service.core._kernels",
            sources=["service/core/_kernels.c"],
            # No fused multiply-add: the float32 tf-idf arithmetic must round exactly as NumPy's.
            extra_compile_args=["-O2", "-ffp-contract=off"],
        )
    ]
)
