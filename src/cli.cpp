#include "cli.hpp"

#include "catalog/catalog_holder.hpp"
#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "core/error.hpp"
#include "http/server.hpp"
#include "proposals/proposal_store.hpp"
#include "proposals/tokens.hpp"
#include "service.hpp"
#include "tiles/tile_cache.hpp"
#include "tiles/tile_export.hpp"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace kvarter::cli {

namespace {

constexpr const char* default_config = "geodata/copenhagen.json";

const char* usage_main = R"(kvarter: a spatial analysis server for Copenhagen's deprived urban areas

usage: kvarter <command> [options]

commands:
  serve   load the layers and serve them over HTTP (OGC API - Features)
  check   load the layers, print a summary per layer and exit 0 (loaded) or 1 (not)
  export  write a tileset's tiles to a folder (z/x/y.mvt) or an MBTiles file

Run `kvarter <command> --help` for a command's options.
)";

const char* usage_serve = R"(usage: kvarter serve [--config FILE] [--port N] [--address IP] [--threads N]

Loads every layer named in the config, then serves them at http://ADDRESS:PORT/.
Nothing is served unless everything loaded. SIGHUP reloads the config (the old
catalog stays if the new one fails); SIGINT or SIGTERM stop the server.

  --config FILE   the configuration (default geodata/copenhagen.json)
  --port N        TCP port (default 8080; 0 picks a free one)
  --address IP    address to listen on (default 0.0.0.0)
  --threads N     worker threads (default: the number of cores)

Proposals are stored where the config's proposals.store says (a GeoPackage, made on
first use, or a PG: connection), else in $KVARTER_DATA_DIR/proposals.gpkg, else in
./proposals.gpkg. Write tokens come from proposals.tokens_file and from
KVARTER_TOKENS="token:name,token2:name2".
)";

const char* usage_check = R"(usage: kvarter check [--config FILE]

Loads everything the config names and prints, per layer: features, geometries
repaired, features without geometry, indicator rows matched and unmatched.
Exits 0 when everything loaded, 1 otherwise (the message names file and key).

  --config FILE   the configuration (default geodata/copenhagen.json)
)";

const char* usage_export = R"(usage: kvarter export [--config FILE] [--tileset NAME] [--minzoom A] [--maxzoom B]
                      [--year Y] --out PATH

Cuts every tile of the tileset over the data's extent from zoom A to B and writes
them to PATH: an MBTiles file when PATH ends in .mbtiles (gzipped tiles, written
under PATH.partial and renamed when complete), else a folder of z/x/y.mvt files.
Empty tiles are not written. A progress bar is drawn when stderr is a terminal.

  --config FILE   the configuration (default geodata/copenhagen.json)
  --tileset NAME  the tileset (default "default")
  --minzoom A     first zoom (default 0)
  --maxzoom B     last zoom (default 14)
  --year Y        indicator year of the tiles (default the latest)
  --out PATH      where to write
)";

struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// --name value pairs; flags without a value are not used by any command.
std::map<std::string, std::string> parse_options(int argc, char** argv, int first, const std::vector<std::string>& known) {
    std::map<std::string, std::string> out;
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            out["help"] = "1";
            continue;
        }
        std::string value;
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            throw usage_error{arg + " needs a value"};
        }
        if (!arg.starts_with("--") || std::find(known.begin(), known.end(), arg.substr(2)) == known.end())
            throw usage_error{"unknown option " + arg};
        out[arg.substr(2)] = value;
    }
    return out;
}

int parse_int(const std::string& name, const std::string& text, int low, int high) {
    int v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v < low || v > high)
        throw usage_error{"--" + name + " must be an integer from " + std::to_string(low) + " to " + std::to_string(high)};
    return v;
}

int check(const std::map<std::string, std::string>& opts) {
    const auto file = opts.contains("config") ? opts.at("config") : default_config;
    const auto start = std::chrono::steady_clock::now();
    const auto cat = catalog::load_catalog(catalog::load_config(file));
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    catalog::print_report(std::cout, *cat);
    std::cout << "loaded " << cat->layers.size() << " layers from " << file << " in " << took.count() << " s\n";
    return 0;
}

int export_command(const std::map<std::string, std::string>& opts) {
    const auto file = opts.contains("config") ? opts.at("config") : default_config;
    tiles::export_options options;
    if (opts.contains("tileset")) options.tileset = opts.at("tileset");
    if (opts.contains("minzoom")) options.minzoom = parse_int("minzoom", opts.at("minzoom"), 0, 22);
    if (opts.contains("maxzoom")) options.maxzoom = parse_int("maxzoom", opts.at("maxzoom"), 0, 22);
    if (opts.contains("year")) options.year = parse_int("year", opts.at("year"), 1900, 2100);
    if (!opts.contains("out")) throw usage_error{"--out PATH is required"};
    options.out = opts.at("out");
    options.progress = ::isatty(STDERR_FILENO) != 0;
    const auto cat = catalog::load_catalog(catalog::load_config(file));
    const auto start = std::chrono::steady_clock::now();
    const auto summary = tiles::export_tiles(*cat, options, std::cerr);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << "wrote " << summary.tiles << " tiles (" << summary.bytes << " bytes, " << summary.empty
              << " empty tiles skipped) to " << options.out.string() << " in " << took.count() << " s\n";
    return 0;
}

int serve(const std::map<std::string, std::string>& opts) {
    const std::string file = opts.contains("config") ? opts.at("config") : default_config;
    const auto cfg = catalog::load_config(file);
    const auto start = std::chrono::steady_clock::now();
    catalog::catalog_holder holder{catalog::load_catalog(cfg), file};
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    catalog::print_report(std::cout, *holder.get());
    std::cout << "loaded " << holder.get()->layers.size() << " layers in " << took.count() << " s\n";

    http::server_options options;
    options.address = opts.contains("address") ? opts.at("address") : "0.0.0.0";
    options.port = static_cast<unsigned short>(opts.contains("port") ? parse_int("port", opts.at("port"), 0, 65535) : 8080);
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.threads = opts.contains("threads") ? parse_int("threads", opts.at("threads"), 1, 256) : cores;
    options.body_limit_bytes = cfg.server.body_limit_bytes;
    options.header_limit_bytes = cfg.server.header_limit_bytes;
    options.idle_timeout = std::chrono::seconds{cfg.server.idle_timeout_seconds};

    tiles::tile_cache cache{cfg.server.tile_cache_bytes};
    const std::string store_at = cfg.proposals.store.empty() ? proposals::default_store() : cfg.proposals.store;
    proposals::proposal_store store{store_at, cfg.proposals.max_vertices};
    const auto tokens = proposals::token_list::load(cfg.proposals.tokens_file, std::getenv("KVARTER_TOKENS"));
    std::cout << "proposals in " << (store.is_postgres() ? "PostgreSQL" : store_at) << ", " << tokens.size()
              << " write tokens" << (tokens.empty() ? " (writes are refused: set proposals.tokens_file or KVARTER_TOKENS)" : "")
              << "\n";
    const auto routes = make_router(holder, cache, &store, &tokens);
    http::server server{*routes, options};
    server.start();
    const std::string host = options.address == "0.0.0.0" ? "localhost" : options.address;
    std::cout << "kvarter serving " << cfg.title << " at http://" << host << ":" << server.port() << "/ with "
              << options.threads << " threads" << std::endl;
    server.wait_for_signals([&holder] {
        try {
            holder.reload();
            std::cout << "reloaded " << holder.config_file().string() << std::endl;
        } catch (const std::exception& e) {
            std::cerr << "reload failed, still serving the previous data: " << e.what() << std::endl;
        }
    });
    std::cout << "stopping" << std::endl;
    server.stop();
    return 0;
}

} // namespace

int run(int argc, char** argv) {
    if (argc < 2 || std::string{argv[1]} == "--help" || std::string{argv[1]} == "-h") {
        std::cout << usage_main;
        return argc < 2 ? 2 : 0;
    }
    const std::string command = argv[1];
    try {
        if (command == "serve") {
            const auto opts = parse_options(argc, argv, 2, {"config", "port", "address", "threads"});
            if (opts.contains("help")) {
                std::cout << usage_serve;
                return 0;
            }
            return serve(opts);
        }
        if (command == "check") {
            const auto opts = parse_options(argc, argv, 2, {"config"});
            if (opts.contains("help")) {
                std::cout << usage_check;
                return 0;
            }
            return check(opts);
        }
        if (command == "export") {
            const auto opts = parse_options(argc, argv, 2, {"config", "tileset", "minzoom", "maxzoom", "year", "out"});
            if (opts.contains("help")) {
                std::cout << usage_export;
                return 0;
            }
            return export_command(opts);
        }
        std::cerr << "kvarter: unknown command \"" << command << "\"\n\n" << usage_main;
        return 2;
    } catch (const usage_error& e) {
        std::cerr << "kvarter " << command << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "kvarter " << command << ": " << e.what() << "\n";
        return 1;
    }
}

} // namespace kvarter::cli
