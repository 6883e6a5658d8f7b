"""optax factories written as users write them: one right, one that climbs."""

import optax


def my_adam(learning_rate: float = 1e-3) -> optax.GradientTransformation:
    """optax.adam by hand: Adam's moments, then a step down by the learning rate."""
    return optax.chain(optax.scale_by_adam(), optax.scale(-learning_rate))


def ascending_adam(learning_rate: float = 1e-3):
    """The sign of the step forgotten: optax.scale(+lr) climbs the loss."""
    return optax.chain(optax.scale_by_adam(), optax.scale(learning_rate))
