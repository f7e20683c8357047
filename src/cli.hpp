#pragma once

namespace kvarter::cli {

// The `kvarter` command: serve, check. Returns the process exit code.
int run(int argc, char** argv);

} // namespace kvarter::cli
