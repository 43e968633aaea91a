#!/bin/sh
# Compile the client and its tests with javac and run them with JUnit 5's console launcher,
# from Debian's junit5 package (no build tool, no repository needed).
set -eu
cd "$(dirname "$0")"
JUNIT=${JUNIT_CONSOLE:-/usr/share/java/junit-platform-console-standalone.jar}
rm -rf build && mkdir -p build
javac -d build -cp "$JUNIT" $(find src -name '*.java')
exec java -jar "$JUNIT" --class-path build --select-package cvsexample --disable-banner --details=tree
