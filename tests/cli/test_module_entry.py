"""``python -m sandbox`` runs the same command as ``sandbox``."""

import subprocess
import sys


def test_python_m_sandbox_is_the_sandbox_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sandbox", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "organise-downloads" in done.stdout
