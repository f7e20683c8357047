#include "cli.hpp"

int main(int argc, char** argv) { return kvarter::cli::run(argc, argv); }
