"""The README's Python example runs as written."""

import contextlib
import io
import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_the_readme_has_one_python_example():
    assert len(python_blocks()) == 1


def test_the_python_example_runs_and_prints_the_history():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(python_blocks()[0], str(README), "exec"), {"__name__": "readme"})
    lines = out.getvalue().splitlines()
    assert lines[0] == "1 alice created with the scarthgap defaults"
    assert lines[1] == '2 alice set IMAGE_FSTYPES = "ext4 wic"'
    assert lines[2].startswith("3 alice undo revision 2: back to revision 1")
    assert lines[3].startswith("refused: invalid machine `qemu arm`")
