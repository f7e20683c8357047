#!/bin/sh
# The parts keep their libraries to themselves: GEOS's C API is called only in src/geometry/
# (where every handle is owned and every predicate error raised), Boost (Beast/Asio, slow to
# compile) is included only in src/http/. Prints each place that breaks the rule; fails if any.
# Usage: part_boundaries.sh [ROOT] (default: this checkout).
cd "${1:-$(dirname "$0")/../..}" || exit 2
status=0
geos=$(grep -rnE '\bGEOS[A-Za-z_]*_r\b' src --include='*.cpp' --include='*.hpp' | grep -v '^src/geometry/')
if [ -n "$geos" ]; then
  echo "GEOS C API called outside src/geometry/ (add a wrapper in geometry/geos.hpp):"
  echo "$geos"
  status=1
fi
boost=$(grep -rnE '#include *[<"]boost/' src --include='*.cpp' --include='*.hpp' | grep -v '^src/http/')
if [ -n "$boost" ]; then
  echo "Boost included outside src/http/:"
  echo "$boost"
  status=1
fi
[ $status -eq 0 ] && echo "part boundaries hold: GEOS only in src/geometry/, Boost only in src/http/"
exit $status
