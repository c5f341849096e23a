#!/usr/bin/env python3
"""Writes the characters the CJK font subset must cover (UTF-8, one line) for pyftsubset's
--text-file: every CJK character in the given source files (the UI's Chinese strings), GB2312
level 1 (the 3755 most common Chinese characters: first byte 0xB0-0xD7), and CJK punctuation.
Usage: cjk_charset.py OUT FILE...   (directories are searched for .cpp/.hpp/.json/.md files)"""
import os
import sys

CJK_RANGES = [(0x2E80, 0x2FFF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3400, 0x4DBF),
              (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]


def is_cjk(ch):
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


def gb2312_level1():
    chars = []
    for b1 in range(0xB0, 0xD8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.append(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # 0xD7FA-0xD7FE are unassigned
    return chars


def source_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                for name in sorted(names):
                    if name.endswith((".cpp", ".hpp", ".json", ".md")):
                        yield os.path.join(root, name)
        else:
            yield path


def main():
    out, paths = sys.argv[1], sys.argv[2:]
    chars = set(gb2312_level1())
    chars.update(chr(cp) for cp in range(0x3000, 0x3040))  # CJK punctuation
    chars.update(chr(cp) for cp in range(0xFF01, 0xFF5F))  # full-width ASCII forms
    from_sources = set()
    for path in source_files(paths):
        with open(path, encoding="utf-8", errors="ignore") as f:
            from_sources.update(ch for ch in f.read() if is_cjk(ch))
    chars |= from_sources
    text = "".join(sorted(chars))
    # Only rewrite when changed, so the font is not subset again for nothing.
    try:
        with open(out, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"cjk_charset: {len(chars)} characters ({len(from_sources)} from the sources)")


if __name__ == "__main__":
    main()
