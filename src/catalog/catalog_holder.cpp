#include "catalog/catalog_holder.hpp"

#include "catalog/config.hpp"
#include "catalog/loader.hpp"

namespace kvarter::catalog {

catalog_holder::catalog_holder(std::shared_ptr<const catalog> initial, std::filesystem::path config_file)
    : m_current{std::move(initial)}, m_config_file{std::move(config_file)} {}

void catalog_holder::reload() {
    auto next = load_catalog(load_config(m_config_file));
    m_current.store(std::move(next));
    ++m_generation;
}

} // namespace kvarter::catalog
