#!/usr/bin/env python3
"""Runs a command, keeps its output with each line's time, and splits that time into phases by the lines it prints.

  phases.py build|image LOG PHASES -- COMMAND...

LOG gets the output (each line prefixed with its seconds since the start); PHASES gets one "name seconds" line per
phase. The phases of `guli build --sonar` (Maven's and the scanner's own lines mark them):
  guli       guli's JVM start, its settings and checks (the SonarQube server asked), up to the Maven command
  mvn-start  Maven's JVM start, the reading of the poms, clean, up to the first goal of the module
  compile    resources and the compiler (main and test), up to the tests
  tests      surefire: the tests forked and run
  package    the jar, Spring Boot's repackage, the coverage report, up to the scanner
  scan-boot  the scanner's bootstrap: its engine, plugins, settings, quality profiles, up to indexing
  analysis   the sensors, up to the report
  upload     the report sent, up to ANALYSIS SUCCESSFUL
  end        Maven's end and guli's
and of `guli image`:
  prep       guli's JVM start, the base image read, the layers written
  push       the blobs and the manifest sent
  end        guli's end
Phases are looked for in this order; once one is missing, the rest of the time goes to end.
"""
import re
import subprocess
import sys
import time

MARKS = {
    "build": [
        ("guli", r"^\[guli build\] in "),
        ("mvn-start", r"\] --- "),
        ("compile", r"\] --- maven-surefire-plugin"),
        ("tests", r"\] --- (?!maven-surefire-plugin)"),
        ("package", r"\] --- sonar-maven-plugin"),
        ("scan-boot", r"\] (Indexing files|Sensor )"),
        ("analysis", r"\] Analysis report generated"),
        ("upload", r"\] ANALYSIS SUCCESSFUL"),
    ],
    "image": [
        ("prep", r"^\[guli image\] layers of "),
        ("push", r"^\[guli image\] pushed "),
    ],
}


def main():
    kind, log, out = sys.argv[1:4]
    command = sys.argv[sys.argv.index("--") + 1 :]
    marks = MARKS[kind]
    ends = {}
    at = 0  # the next phase whose end is looked for
    start = time.monotonic()
    with open(log, "w") as f:
        p = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        for line in p.stdout:
            t = time.monotonic() - start
            f.write("%8.3f %s" % (t, line))
            if at < len(marks) and re.search(marks[at][1], line):
                ends[marks[at][0]] = t
                at += 1
        rc = p.wait()
    total = time.monotonic() - start
    with open(out, "w") as f:
        last = 0.0
        for name, _ in marks:
            end = ends.get(name, last)
            f.write("%s %.2f\n" % (name, end - last))
            last = end
        f.write("end %.2f\n" % (total - last))
    sys.exit(rc)


if __name__ == "__main__":
    main()
