#pragma once
// Where request threads find the current catalog. A reload builds a whole new catalog
// and swaps the pointer; readers keep the snapshot they took for as long as they need it.

#include "catalog/catalog.hpp"

#include <atomic>
#include <filesystem>
#include <memory>

namespace kvarter::catalog {

class catalog_holder {
public:
    catalog_holder(std::shared_ptr<const catalog> initial, std::filesystem::path config_file);

    std::shared_ptr<const catalog> get() const { return m_current.load(); }
    // Bumped on every successful reload, so caches can tell their entries are stale.
    std::uint64_t generation() const noexcept { return m_generation.load(); }
    const std::filesystem::path& config_file() const noexcept { return m_config_file; }

    // Loads the config file again; on any error the current catalog stays and the error is rethrown.
    void reload();

private:
    std::atomic<std::shared_ptr<const catalog>> m_current;
    std::atomic<std::uint64_t> m_generation{1};
    std::filesystem::path m_config_file;
}; // class catalog_holder

} // namespace kvarter::catalog
