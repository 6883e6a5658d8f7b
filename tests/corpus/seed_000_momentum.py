"""Seed 000 (a Korean notebook export), cell In [5]: Momentum, exactly as written."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "crash",
    "says": "self.momentum * self.v[key]",
    "why": "self.momentum.v[key]: a float has no attribute v (meant self.momentum * self.v[key])",
}


# 스텝 계산해서 움직인 후, 아까 내려 오던 관성 방향으로 또 가자
# SGD에 momentum 개념을 추가한 것이다. 현재 batch로만 학습하는 것이 아니라 이전의 batch 학습결과도 반영한다.
# momentum 0.9 -> 이번 batch에 의해 학습이 크게 좌지우지 되지 않게하기 위해 이전까지의 학습결과를
# 보통 0.9 반영하고 이번 batch는 0.1만 반영한다.
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None
    
    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
                
        for key in params.keys():
            self.v[key] = self.momentum.v[key] - self.lr*grads[key]
            params[key] += self.v[key]
