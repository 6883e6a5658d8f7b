"""Finding the learner's line: the rebinding, the loop variable, the unmodified starter."""

import textwrap

from checker._extract import read_py
from checker._source import loop_variable_update, rebinding, unimplemented


def _ext(tmp_path, source, name):
    path = tmp_path / "optim.py"
    path.write_text(textwrap.dedent(source))
    return read_py(f"{path}:{name}")


def test_the_rebinding_statement_of_the_book_and_the_list_api(tmp_path):
    ext = _ext(tmp_path, """
        class SGD:
            def update(self, params, grads):
                for key in params:
                    params[key][...] = params[key]  # in place: not a rebinding
                    params[key] = params[key] - 0.1 * grads[key]
        """, "SGD")
    line = rebinding(ext, "SGD")
    assert (line.line, line.text) == (6, "params[key] = params[key] - 0.1 * grads[key]")
    ext = _ext(tmp_path, """
        class SGD:
            def update(self, params, grads):
                for i in range(len(params)):
                    params[i] = params[i] - 0.1 * grads[i]
        """, "SGD")
    assert rebinding(ext, "SGD", "booklist").line == 5


def test_the_update_made_on_a_loop_variable(tmp_path):
    for loop, update in [("for k, p in params.items():", "p -= 0.1 * grads[k]"),
                         ("for p, g in zip(params.values(), grads.values()):", "p -= 0.1 * g"),
                         ("for k, p in params.items():", "np.subtract(p, grads[k], out=p)")]:
        ext = _ext(tmp_path, f"""
            import numpy as np
            class SGD:
                def update(self, params, grads):
                    {loop}
                        {update}
            """, "SGD")
        line = loop_variable_update(ext, "SGD")
        assert line is not None and line.text == update, (loop, update)
    ext = _ext(tmp_path, """
        class SGD:
            def update(self, params, grads):
                for key in params:
                    params[key] -= 0.1 * grads[key]
        """, "SGD")
    assert loop_variable_update(ext, "SGD") is None


def test_an_unmodified_starter(tmp_path):
    ext = _ext(tmp_path, """
        def adam(w, dw, config=None):
            next_w = None
            # TODO
            return next_w, config
        """, "adam")
    line = unimplemented(ext, "adam", "cs231n")
    assert (line.line, line.text) == (3, "next_w = None")
    ext = _ext(tmp_path, '''
        class Adam:
            def update(self, params, grads):
                """To do."""
                pass
        ''', "Adam")
    assert unimplemented(ext, "Adam").text == "pass"
    ext = _ext(tmp_path, """
        class Adam:
            def update(self, params, grads):
                for key in params:
                    params[key] -= grads[key]
        """, "Adam")
    assert unimplemented(ext, "Adam") is None
    assert unimplemented(None, "Adam") is None
