#!/usr/bin/env python3
"""Rewrites a jar without the entries the package never uses (other platforms' native libraries,
unused themes), keeping every other entry, its order and its timestamps.

    trim-jar.py JAR DROP_GLOB... [--keep KEEP_GLOB...]

An entry is dropped when it matches a DROP_GLOB and no KEEP_GLOB (fnmatch globs on the entry's
path inside the jar; '*' also matches '/'). Prints how many entries and bytes went.
"""
import fnmatch
import os
import sys
import zipfile


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: trim-jar.py JAR DROP_GLOB... [--keep KEEP_GLOB...]")
    jar, rest = argv[1], argv[2:]
    if "--keep" in rest:
        cut = rest.index("--keep")
        drop, keep = rest[:cut], rest[cut + 1:]
    else:
        drop, keep = rest, []

    def dropped(name):
        return any(fnmatch.fnmatchcase(name, g) for g in drop) and not any(fnmatch.fnmatchcase(name, g) for g in keep)

    before = os.path.getsize(jar)
    out = jar + ".trimmed"
    gone = 0
    with zipfile.ZipFile(jar) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if dropped(info.filename):
                gone += 1
                continue
            dst.writestr(info, src.read(info.filename), compress_type=info.compress_type)
    if gone == 0:
        os.remove(out)
        sys.exit(f"trim-jar: nothing in {jar} matched {drop}: has the library changed its layout?")
    os.replace(out, jar)
    print(f"trim-jar: {os.path.basename(jar)}: {gone} entries, {(before - os.path.getsize(jar)) // 1024} KiB dropped")


if __name__ == "__main__":
    main(sys.argv)
