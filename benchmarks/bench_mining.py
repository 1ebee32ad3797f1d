"""How long mining the seeds and loading the bank take (issue 3: mining the five seeds < 3 s).

Run:  python benchmarks/bench_mining.py [--repeat N]

Measures, on this machine:

* ``draftgen mine`` on the five seeds as a whole process (Python start, imports, mining,
  writing YAML), and the same with ``--words`` (jieba word boundaries) for comparison;
* mining in-process (``mine_paths`` + ``write_bank``), best of N;
* ``load_bank`` cold (parsing the YAML, then writing the compiled cache) and warm (reading
  the compiled JSON cache), in-process, best of N.

Timings are printed, never asserted: unit tests stay free of timing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def process(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", *argv], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from generator.bank import load_bank
    from generator.mining import mine_paths, write_bank

    seeds = ROOT / "seeds"
    size = sum(p.stat().st_size for p in seeds.glob("*.txt"))
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "DRAFTGEN_CACHE_DIR": str(work / "cache"), "PYTHONPATH": str(ROOT)}
        rows.append(("python -c pass (process floor)", min(
            _timed([sys.executable, "-c", "pass"]) for _ in range(args.repeat))))
        mine_argv = ["mine", str(seeds), "--out", str(work / "out"), "-q"]
        rows.append(("draftgen mine seeds (process)",
                     min(process(mine_argv, env) for _ in range(args.repeat))))
        rows.append(("draftgen mine seeds --words (process)",
                     process(["mine", str(seeds), "--out", str(work / "out-words"), "-q", "--words"], env)))
        out = work / "inproc"
        rows.append(("mine_paths + write_bank (in-process)",
                     best_of(args.repeat, lambda: write_bank(mine_paths([seeds], data_dir=out), out))))
        os.environ["DRAFTGEN_CACHE_DIR"] = str(work / "cache2")
        bank_dir = ROOT / "phrasebank"
        yaml_files = [p for sub in ("mined", "curated") for p in (bank_dir / sub).glob("*.yaml")]
        yaml_bytes = sum(p.stat().st_size for p in yaml_files)
        rows.append(("load_bank cold (YAML, no cache)",
                     best_of(args.repeat, lambda: load_bank(bank_dir, use_cache=False))))
        load_bank(bank_dir)  # writes the compiled cache
        rows.append(("load_bank warm (compiled JSON cache)",
                     best_of(args.repeat, lambda: load_bank(bank_dir))))
        entries = len(load_bank(bank_dir))

    print(f"seeds: 5 files, {size / 1024:.0f} KB; "
          f"bank: {entries} entries, {yaml_bytes / 1024:.0f} KB of YAML")
    print(f"{'measure':<42}{'seconds':>10}")
    for name, seconds in rows:
        print(f"{name:<42}{seconds:>10.3f}")
    cold = rows[-2][1]
    warm = rows[-1][1]
    print(f"\nwarm load is {cold / warm:.0f}x faster than parsing the YAML; aim for mining: < 3 s")


def _timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
