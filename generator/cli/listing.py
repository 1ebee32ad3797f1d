"""The files a command wrote, listed on stdout one whole line each as they land.

The listing is a courtesy to a pipe reader; the files are the product.  So a
listing that cannot go on never costs a file: a reader that went away (``| head -1``)
is a stop request, like Ctrl-C (:mod:`generator.interrupt`); stdout closed, full
or unable to hold a name only ends the listing, and the command says so at the
end, with the counts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class Listing:
    """Call with each path written; afterwards ``listed`` says how many went out and ``failure`` why not all."""

    def __init__(self) -> None:
        self.listed = 0
        self.failure: str | None = None

    def __call__(self, path: Path) -> None:
        if self.failure is not None:
            return
        from generator import interrupt
        from generator.cli import streams
        from generator.errors import os_reason

        out = sys.stdout
        try:
            if out is None:  # started with stdout closed (``>&-``)
                raise ValueError
            buffer = getattr(out, "buffer", None)
            if buffer is not None and os.name == "posix":
                # The name's own bytes, as ls and find print them: a name in another encoding (GBK bytes
                # from a Windows archive) or a stdout whose encoding cannot hold Chinese still lists exactly.
                out.flush()
                buffer.write(os.fsencode(path) + b"\n")
                buffer.flush()
            else:
                print(path, file=out, flush=True)
        except BrokenPipeError:
            streams.discard()
            self.failure = "读取标准输出的程序已经退出"
            interrupt.request(interrupt.PIPE)
            return
        except UnicodeEncodeError:
            encoding = getattr(out, "encoding", "?")
            self.failure = f"标准输出的编码（{encoding}）无法表示文件名 {str(path)!a}"
            return
        except OSError as exc:
            streams.discard()
            self.failure = f"标准输出无法写入（{os_reason(exc)}）"
            return
        except ValueError:  # a closed stream
            self.failure = "标准输出已关闭"
            return
        self.listed += 1

    def shortfall(self, written: int) -> str:
        """What to add to the summary when not every file was listed ("" when all were)."""
        if self.failure is None:
            return ""
        return f"{self.failure}，标准输出只列出了写出的 {written} 个文件中的 {self.listed} 个。"
