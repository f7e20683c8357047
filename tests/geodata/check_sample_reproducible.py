#!/usr/bin/env python3
"""Runs the sample generator into a fresh folder and compares every file it writes
with the committed copy, byte for byte. Usage: check_sample_reproducible.py SAMPLE_DIR OUT_DIR"""
import filecmp
import os
import shutil
import subprocess
import sys

sample, out = sys.argv[1], sys.argv[2]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
subprocess.run([sys.executable, os.path.join(sample, "generate.py"), "--out", out], check=True)
written = sorted(os.listdir(out))
if not written:
    sys.exit("the generator wrote nothing")
differ = [f for f in written if not filecmp.cmp(os.path.join(sample, f), os.path.join(out, f), shallow=False)]
if differ:
    sys.exit("regenerated files differ from the committed ones: " + ", ".join(differ))
print("identical: " + ", ".join(written))
