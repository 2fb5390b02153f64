"""Demo data steps that later features add to `seed_demo` (each must be idempotent)."""

from collections.abc import Callable


def extra_demo_steps() -> list[Callable]:
    from .demo_examples import seed_examples

    return [seed_examples]
