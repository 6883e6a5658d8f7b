import keras


class ClimbingSGD(keras.optimizers.SGD):
    """SGD that adds the step: the sign forgotten."""

    def update_step(self, gradient, variable, learning_rate):
        lr = keras.ops.cast(learning_rate, variable.dtype)
        g = keras.ops.cast(gradient, variable.dtype)
        self.assign_add(variable, keras.ops.multiply(g, lr))
