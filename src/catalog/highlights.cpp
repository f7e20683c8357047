#include "catalog/highlights.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>

namespace kvarter::catalog {

std::optional<int> latest_year(const catalog& cat) {
    std::optional<int> latest;
    for (const auto& l : cat.layers)
        if (!l.years.empty()) latest = std::max(latest.value_or(l.years.back()), l.years.back());
    return latest;
}

int default_year(const catalog& cat) {
    if (const auto latest = latest_year(cat)) return *latest;
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

bool active_in(const layer& l, const feature& f, int year) { return status_in(l, f, year) == "active"; }

std::string status_in(const layer& l, const feature& f, int year) {
    const auto start = field_number(l, f, "start_year");
    const auto end = field_number(l, f, "end_year");
    if (start && year < *start) return "planned";
    if (end && year > *end) return "finished";
    return "active";
}

std::vector<highlight_flag> highlight_flags(const layer& l) {
    std::vector<highlight_flag> out;
    switch (l.role) {
    case layer_role::deprived_area: return {{"deprived", value_type::boolean}};
    case layer_role::renewal_zone: out.push_back({"renewal_status", value_type::string}); break;
    case layer_role::green_team: out.push_back({"green_team_status", value_type::string}); break;
    default: break;
    }
    out.push_back({"in_deprived_area", value_type::boolean});
    if (l.role != layer_role::renewal_zone) out.push_back({"renewal_active", value_type::boolean});
    if (l.role != layer_role::green_team) out.push_back({"green_team_active", value_type::boolean});
    return out;
}

std::vector<value> highlight_values(const catalog& cat, const layer& l, const feature& f, int year) {
    std::vector<value> out;
    switch (l.role) {
    case layer_role::deprived_area: return {value{true}};
    case layer_role::renewal_zone:
    case layer_role::green_team: out.emplace_back(status_in(l, f, year)); break;
    default: break;
    }
    // Departments, housing areas and facilities say "no" when they lie in no area; other layers
    // only carry the flags for features the join placed somewhere.
    const bool always = l.role == layer_role::housing_department || l.role == layer_role::housing_area ||
                        l.role == layer_role::facility;
    bool deprived = false, renewal_active = false, green_team_active = false;
    for (const auto& a : f.areas) {
        const auto& area_layer = cat.layers[a.layer];
        const auto& area = area_layer.features[a.feature];
        switch (area_layer.role) {
        case layer_role::deprived_area: deprived = true; break;
        case layer_role::renewal_zone: renewal_active |= active_in(area_layer, area, year); break;
        case layer_role::green_team: green_team_active |= active_in(area_layer, area, year); break;
        default: break;
        }
    }
    const bool known = always || !f.areas.empty();
    out.push_back(known ? value{deprived} : value{});
    if (l.role != layer_role::renewal_zone) out.push_back(known ? value{renewal_active} : value{});
    if (l.role != layer_role::green_team) out.push_back(known ? value{green_team_active} : value{});
    return out;
}

} // namespace kvarter::catalog
