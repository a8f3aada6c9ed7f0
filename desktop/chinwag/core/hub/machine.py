"""How much memory this machine has for a model right now: RAM, and an NVIDIA GPU's if any."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

MEMINFO = Path("/proc/meminfo")


@dataclass(frozen=True)
class Memory:
    ram_total: int | None  # bytes; None when this OS would not say
    ram_available: int | None
    gpu_name: str | None = None
    gpu_free: int | None = None


def memory() -> Memory:
    total, available = _ram()
    gpu_name, gpu_free = _nvidia_gpu()
    return Memory(total, available, gpu_name, gpu_free)


def _ram() -> tuple[int | None, int | None]:
    # MemAvailable counts the page cache the kernel would give back: what a model can use.
    if MEMINFO.exists():
        fields: dict[str, int] = {}
        for line in MEMINFO.read_text().splitlines():
            name, _, rest = line.partition(":")
            parts = rest.split()
            if parts and parts[0].isdigit():
                fields[name] = int(parts[0]) * 1024
        return fields.get("MemTotal"), fields.get("MemAvailable", fields.get("MemFree"))
    try:  # macOS and other Unixes: the total only; what is free there is not one number
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None, None
    return total, None


def _nvidia_gpu() -> tuple[str | None, int | None]:
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return None, None
    try:
        out = subprocess.run(
            [tool, "--query-gpu=name,memory.free", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout
        name, free_mib = out.splitlines()[0].rsplit(",", 1)
        return name.strip(), int(free_mib.strip()) * 1024 * 1024
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None, None
