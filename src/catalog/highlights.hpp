#pragma once
// The highlight flags of a feature: whether it is a deprived area or lies in one, whether the
// renewal zone or Green Team it is (or lies in) is active in a year. Tiles carry them for styles
// and filters may name them; both ask here, so the rule is written once.

#include "catalog/catalog.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kvarter::catalog {

struct highlight_flag {
    std::string name;
    value_type type;
};

// The flags the features of `l` carry, by its role.
std::vector<highlight_flag> highlight_flags(const layer& l);

// The values of those flags for one feature in `year`, aligned with highlight_flags(l). A flag
// a feature does not carry (a feature in no area of a layer that joins none) is null.
std::vector<value> highlight_values(const catalog& cat, const layer& l, const feature& f, int year);

// The latest indicator year of any layer; nothing when no layer has indicators.
std::optional<int> latest_year(const catalog& cat);

// The year tiles, filters and the overlay use when a request names none: latest_year, else this year.
int default_year(const catalog& cat);

// Whether a feature with start_year/end_year fields (a renewal zone, a Green Team) runs in
// `year`, both ends included; a missing bound is open.
bool active_in(const layer& l, const feature& f, int year);

// "active", "finished" or "planned" in `year`, by the same fields.
std::string status_in(const layer& l, const feature& f, int year);

} // namespace kvarter::catalog
