"""Generated Python modules of a given size for the output-format and editor scenarios
(bench/bench.py --formats, --editor): logging code with about one finding every 50 lines,
of the kinds whose fixes change one call (f-string and %-messages, `.warn`, `exc_info`
on `error`) and, with `root_calls`, root-logger calls whose fix inserts a module logger."""

from __future__ import annotations


def module(lines: int, root_calls: bool = False, seed: int = 0) -> str:
    """A module of about `lines` lines; every function differs by its index so that the
    file is not one block repeated (real files rarely are)."""
    head = ["import logging", "import os", "", ""]
    if not root_calls:
        head[2:2] = ["", "log = logging.getLogger(__name__)"]
    out = list(head)
    i = seed
    while len(out) < lines:
        n = i
        receiver = "logging" if root_calls and n % 4 == 0 else "log"
        kind = n % 5
        body = [
            f"def handle_{n}(request_{n}, items, retries={n % 7}):",
            f'    """Handle request {n} and report how it went."""',
            f"    total_{n} = 0",
            f"    for item in items[{n % 3}:]:",
            f"        total_{n} += len(str(item)) * {n % 11 + 1}",
            "        if total_{0} > {1}:".format(n, 1000 + n),
            "            break",
        ]
        if kind == 0:
            body.append(f'    {receiver}.info(f"request {{request_{n}}} took {{total_{n}}} units")')
        elif kind == 1:
            body.append(f'    {receiver}.warning("request %s failed %d times" % (request_{n}, retries))')
        elif kind == 2:
            body.append(f'    {receiver}.warn("slow request {n}: %s", request_{n})')
        elif kind == 3:
            body += ["    try:", f"        os.stat(str(request_{n}))", "    except OSError:",
                     f'        {receiver}.error("stat failed for %s", request_{n}, exc_info=True)']
        else:
            body.append(f'    {receiver}.debug("request " + str(request_{n}) + " done")')
        body += [f"    return total_{n}", "", ""]
        # filler without findings, so that about one line in 50 has one
        for k in range(3):
            body += [f"def helper_{n}_{k}(value, scale={k + 1}):",
                     "    result = []",
                     f"    for index in range(value % {n % 13 + 2}):",
                     f"        result.append(index * scale + {n * 3 + k})",
                     "    if not result:",
                     "        return None",
                     f"    return sum(result) / len(result)  # mean of helper {n}.{k}",
                     "", ""]
        out += body
        i += 1
    return "\n".join(out).rstrip() + "\n"
