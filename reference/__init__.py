"""Plain NumPy optimizers with the book's API, each exactly one variant of `spec`.

>>> import numpy as np, reference
>>> params, grads = {"W": np.ones(3)}, {"W": np.full(3, 0.5)}
>>> reference.SGD(lr=0.1).update(params, grads)
>>> params["W"]
array([0.95, 0.95, 0.95])

``update(params, grads)`` changes the arrays in ``params`` in place (networks
share them with their layers) and never changes ``grads``; state is created,
per key, the first time a key is seen.  This package depends on NumPy only.
"""

from .adagrad import AdaGrad
from .adam import Adam
from .momentum import Momentum
from .nesterov import Nesterov
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]
