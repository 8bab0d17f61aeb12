# Types of the compiled extension built from _kernels.c.
from collections.abc import Callable, Sequence

class TokenCache: ...

def token_cache() -> TokenCache: ...
def token_cache_size(cache: TokenCache, /) -> int: ...
def token_codes(
    texts: Sequence[str],
    cache: TokenCache,
    code_of: Callable[[str], int],
    limit: int,
    mask: int,
    /,
) -> tuple[bytearray, bytearray, bytearray]: ...
def extract(
    codes: bytearray,
    counts: bytearray,
    spec: tuple[object, ...],
    span_rows: object,
    span_columns: object,
    idf: object,
    log_table: object,
    /,
) -> tuple[bytearray, bytearray, bytearray, bytearray, bytearray, bytearray] | None: ...
