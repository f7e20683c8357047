#include "cli.hpp"

#include "catalog/catalog_holder.hpp"
#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "core/error.hpp"
#include "http/access_log.hpp"
#include "http/params.hpp"
#include "http/server.hpp"
#include "proposals/proposal_store.hpp"
#include "proposals/tokens.hpp"
#include "service.hpp"
#include "tiles/tile_cache.hpp"
#include "tiles/tile_export.hpp"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

namespace kvarter::cli {

namespace {

constexpr const char* default_config = "geodata/copenhagen.json";

int core_count() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

struct serve_args {
    std::string config = default_config;
    int port = 8080;
    std::string address = "0.0.0.0";
    int threads = core_count();
    std::string log_level = "info";
};

struct check_args {
    std::string config = default_config;
};

struct export_args {
    std::string config = default_config;
    std::string tileset = "default";
    int minzoom = 0;
    int maxzoom = 14;
    int year = 0; // 0: the latest year of the data
    std::string out;
};

// The one definition of the command line: CLI11 parses, validates and writes --help from it.
class command_line {
public:
    command_line() {
        // `--port 8080 --port 9000` takes the last one, as scripts/run relies on; subcommands inherit this.
        m_app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        m_app.get_formatter()->column_width(26);

        m_serve = m_app.add_subcommand("serve", "load the layers and serve them over HTTP (OGC API - Features)");
        m_serve->footer(R"(Loads every layer named in the config, then serves them at http://ADDRESS:PORT/.
Nothing is served unless everything loaded. SIGHUP reloads the config (the old
catalog stays if the new one fails); SIGINT or SIGTERM stop the server.

Proposals are stored where the config's proposals.store says (a GeoPackage, made on
first use, or a PG: connection), else in $KVARTER_DATA_DIR/proposals.gpkg, else in
./proposals.gpkg. Write tokens come from proposals.tokens_file and from
KVARTER_TOKENS="token:name,token2:name2".)");
        add_config(*m_serve, m_serve_args.config);
        m_serve->add_option("--port", m_serve_args.port, "TCP port, 0 to 65535 (0 picks a free one)")
            ->type_name("N")
            ->check(CLI::Range(0, 65535).description(""))
            ->capture_default_str();
        m_serve->add_option("--address", m_serve_args.address, "address to listen on")
            ->type_name("IP")
            ->capture_default_str();
        m_serve->add_option("--threads", m_serve_args.threads, "worker threads, 1 to 256 (default: the number of cores)")
            ->type_name("N")
            ->check(CLI::Range(1, 256).description(""))
            ->capture_default_str();

        m_serve->add_option("--log-level", m_serve_args.log_level,
                            "trace, debug, info (an access line per request), warn (slow requests), error (5xx), off")
            ->type_name("LEVEL")
            ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
            ->capture_default_str();

        m_check = m_app.add_subcommand("check", "load the layers, print a summary per layer and exit 0 (loaded) or 1 (not)");
        m_check->footer(R"(Loads everything the config names and prints, per layer: features, geometries
repaired, features without geometry, indicator rows matched and unmatched.
Exits 0 when everything loaded, 1 otherwise (the message names file and key).)");
        add_config(*m_check, m_check_args.config);

        m_export = m_app.add_subcommand("export", "write a tileset's tiles to a folder (z/x/y.mvt) or an MBTiles file");
        m_export->footer(R"(Cuts every tile of the tileset over the data's extent from zoom A to B and writes
them to PATH: an MBTiles file when PATH ends in .mbtiles (gzipped tiles, written
under PATH.partial and renamed when complete), else a folder of z/x/y.mvt files.
Empty tiles are not written. A progress bar is drawn when stderr is a terminal.)");
        add_config(*m_export, m_export_args.config);
        m_export->add_option("--tileset", m_export_args.tileset, "the tileset")->type_name("NAME")->capture_default_str();
        m_export->add_option("--minzoom", m_export_args.minzoom, "first zoom, 0 to 22")
            ->type_name("A")
            ->check(CLI::Range(0, 22).description(""))
            ->capture_default_str();
        m_export->add_option("--maxzoom", m_export_args.maxzoom, "last zoom, 0 to 22, not below --minzoom")
            ->type_name("B")
            ->check(CLI::Range(0, 22).description(""))
            ->capture_default_str();
        m_export->add_option("--year", m_export_args.year, "indicator year of the tiles, 1900 to 2100 (default: the latest)")
            ->type_name("Y")
            ->check(CLI::Range(http::first_year, http::last_year).description(""));
        m_export->add_option("--out", m_export_args.out, "where to write (a folder, or a file ending in .mbtiles)")
            ->type_name("PATH")
            ->required();
        // Runs after the options are parsed and checked one by one, before any command runs.
        m_export->callback([this] {
            if (m_export_args.minzoom > m_export_args.maxzoom)
                throw CLI::ValidationError{"--minzoom", "must not be above --maxzoom (" + std::to_string(m_export_args.minzoom) +
                                                            " > " + std::to_string(m_export_args.maxzoom) + ")"};
        });

        // Set after the subcommands, which would otherwise inherit them.
        m_app.require_subcommand(1);
        m_app.footer("Run `kvarter <command> --help` for a command's options.");
    }
    command_line(const command_line&) = delete;
    command_line& operator=(const command_line&) = delete;

    CLI::App& app() { return m_app; }
    bool has_command(const std::string& name) const {
        return !m_app.get_subcommands([&name](const CLI::App* sub) { return sub->get_name() == name; }).empty();
    }
    // The subcommand being parsed or parsed ("" if none yet).
    std::string command() const {
        const auto parsed = m_app.get_subcommands();
        return parsed.empty() ? std::string{} : parsed.front()->get_name();
    }

    const CLI::App* serve() const { return m_serve; }
    const CLI::App* check() const { return m_check; }
    const CLI::App* export_command() const { return m_export; }
    const serve_args& serve_options() const { return m_serve_args; }
    const check_args& check_options() const { return m_check_args; }
    const export_args& export_options() const { return m_export_args; }

private:
    static void add_config(CLI::App& cmd, std::string& file) {
        cmd.add_option("--config", file, "the configuration")->type_name("FILE")->capture_default_str();
    }

    CLI::App m_app{"kvarter: a spatial analysis server for Copenhagen's deprived urban areas", "kvarter"};
    CLI::App* m_serve = nullptr;
    CLI::App* m_check = nullptr;
    CLI::App* m_export = nullptr;
    serve_args m_serve_args;
    check_args m_check_args;
    export_args m_export_args;
}; // class command_line

int check(const check_args& args) {
    const auto& file = args.config;
    const auto start = std::chrono::steady_clock::now();
    const auto cat = catalog::load_catalog(catalog::load_config(file));
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    catalog::print_report(std::cout, *cat);
    std::cout << "loaded " << cat->layers.size() << " layers from " << file << " in " << took.count() << " s\n";
    return 0;
}

int export_command(const export_args& args) {
    const auto& file = args.config;
    tiles::export_options options;
    options.tileset = args.tileset;
    options.minzoom = args.minzoom;
    options.maxzoom = args.maxzoom;
    options.year = args.year;
    options.out = args.out;
    options.progress = ::isatty(STDERR_FILENO) != 0;
    const auto cat = catalog::load_catalog(catalog::load_config(file));
    const auto start = std::chrono::steady_clock::now();
    const auto summary = tiles::export_tiles(*cat, options, std::cerr);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << "wrote " << summary.tiles << " tiles (" << summary.bytes << " bytes, " << summary.empty
              << " empty tiles skipped) to " << options.out.string() << " in " << took.count() << " s\n";
    return 0;
}

int serve(const serve_args& args) {
    http::init_logging(args.log_level);
    const std::string& file = args.config;
    const auto cfg = catalog::load_config(file);
    const auto start = std::chrono::steady_clock::now();
    catalog::catalog_holder holder{catalog::load_catalog(cfg), file};
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    catalog::print_report(std::cout, *holder.get());
    std::cout << "loaded " << holder.get()->layers.size() << " layers in " << took.count() << " s\n";

    http::server_options options;
    options.address = args.address;
    options.port = static_cast<unsigned short>(args.port); // 0 to 65535, checked by the command line
    options.threads = args.threads;
    options.body_limit_bytes = cfg.server.body_limit_bytes;
    options.header_limit_bytes = cfg.server.header_limit_bytes;
    options.idle_timeout = std::chrono::seconds{cfg.server.idle_timeout_seconds};
    options.request_timeout = std::chrono::seconds{cfg.server.request_timeout_seconds};
    options.max_connections = cfg.server.max_connections;
    options.keepalive_requests = cfg.server.keepalive_requests;
    options.shutdown_timeout = std::chrono::seconds{cfg.server.shutdown_timeout_seconds};
    options.worker_threads = cfg.server.worker_threads;
    options.worker_queue = cfg.server.worker_queue;
    options.on_request = http::access_log(cfg.server.slow_request_ms);
    options.on_error = [](const std::string& message) { spdlog::error("{}", message); };

    tiles::tile_cache cache{cfg.server.tile_cache_bytes};
    const std::string store_at = cfg.proposals.store.empty() ? proposals::default_store() : cfg.proposals.store;
    proposals::proposal_store store{store_at, cfg.proposals.max_vertices,
                                    std::chrono::milliseconds{cfg.proposals.write_wait_ms}};
    const auto tokens = proposals::token_list::load(cfg.proposals.tokens_file, std::getenv("KVARTER_TOKENS"));
    std::cout << "proposals in " << (store.is_postgres() ? "PostgreSQL" : store_at) << ", " << tokens.size()
              << " write tokens" << (tokens.empty() ? " (writes are refused: set proposals.tokens_file or KVARTER_TOKENS)" : "")
              << "\n";
    const auto routes = make_router(holder, cache, &store, &tokens);
    http::server server{*routes, options};
    server.start();
    // The handlers before the line that says it serves: whoever reads that line may send SIGHUP
    // at once, and before them SIGHUP's default action would end the process.
    server.handle_signals([&holder] {
        try {
            holder.reload();
            spdlog::info("reloaded {}", holder.config_file().string());
        } catch (const std::exception& e) {
            spdlog::error("reload failed, still serving the previous data: {}", e.what());
        }
    });
    const std::string host = options.address == "0.0.0.0" ? "localhost" : options.address;
    std::cout << "kvarter serving " << cfg.title << " at http://" << host << ":" << server.port() << "/ with "
              << options.threads << " threads" << std::endl;
    server.wait_for_stop();
    spdlog::info("stopping: no new connections, finishing what is in flight");
    const bool clean = server.stop();
    if (clean) spdlog::info("stopped");
    else spdlog::warn("stopped; requests still in flight were cut");
    return 0;
}

} // namespace

int run(int argc, char** argv) {
    command_line cli;
    auto& app = cli.app();
    if (argc < 2) {
        std::cout << app.help();
        return 2;
    }
    // CLI11 would only say "A subcommand is required"; name the word it did not know.
    if (const std::string first = argv[1]; !first.starts_with("-") && !cli.has_command(first)) {
        std::cerr << "kvarter: unknown command \"" << first << "\" (the commands are serve, check and export)\n"
                  << "Run `kvarter --help` for the commands.\n";
        return 2;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help(); // the help of the subcommand given, if any
        return 0;
    } catch (const CLI::ParseError& e) {
        const auto command = cli.command();
        const auto name = command.empty() ? std::string{"kvarter"} : "kvarter " + command;
        std::string message = e.what();
        // CLI11 2.1 lists unexpected arguments backwards ("red --colour"): say them in the order given.
        if (const auto extras = app.remaining(true); dynamic_cast<const CLI::ExtrasError*>(&e) && !extras.empty())
            message = std::string{extras.size() > 1 ? "The following arguments were not expected: "
                                                    : "The following argument was not expected: "} +
                      CLI::detail::join(extras, " ");
        std::cerr << name << ": " << message << "\nRun `" << name << " --help` for the options.\n";
        return 2;
    }
    const auto command = cli.command();
    try {
        if (cli.serve()->parsed()) return serve(cli.serve_options());
        if (cli.check()->parsed()) return check(cli.check_options());
        return export_command(cli.export_options());
    } catch (const std::exception& e) {
        std::cerr << "kvarter " << command << ": " << e.what() << "\n";
        return 1;
    }
}

} // namespace kvarter::cli
