#include "catalog/config_parts.hpp"

namespace kvarter::catalog {

namespace {

using json = json_reader::json;

derive_config::method parse_method(json_reader& r) {
    const std::string text = r.string("method", true);
    if (text == "union") return derive_config::method::union_of_members;
    if (text == "renewal_programmes") return derive_config::method::renewal_programmes;
    if (text == "inside") return derive_config::method::inside_areas;
    r.fail(r.key("method"), "unknown method \"" + text + "\"; expected union, renewal_programmes or inside");
}

double number(json_reader& r, const std::string& name, double fallback, double low, double high) {
    const json* j = r.find(name);
    if (!j) return fallback;
    if (!j->is_number() || j->get<double>() < low || j->get<double>() > high)
        r.fail(r.key(name), "expected a number from " + std::to_string(low) + " to " + std::to_string(high) + ", got " + j->dump());
    return j->get<double>();
}

std::string table(json_reader& r, const std::string& name, const std::filesystem::path& base) {
    const std::string path = resolve_source(r.string(name, true), base);
    if (path.empty()) r.fail(r.key(name), "expected a table's path");
    return path;
}

} // namespace

derive_config parse_derive(const json& j, const std::string& path, const std::string& file, const std::filesystem::path& base) {
    json_reader r{j, path, file};
    derive_config d;
    d.how = parse_method(r);
    d.from = r.string("from", true);
    d.note = r.string("note", false);
    switch (d.how) {
    case derive_config::method::union_of_members:
        d.members = table(r, "members", base);
        d.group_key = r.string("group_key", false, d.group_key);
        d.group_name = r.string("group_name", false, d.group_name);
        d.member_key = r.string("member_key", false, d.member_key);
        d.match_field = r.string("match_field", false);
        d.member_name = r.string("member_name", false);
        d.reason = r.string("reason", false);
        break;
    case derive_config::method::renewal_programmes:
        d.tag_field = r.string("tag_field", true);
        d.tags = table(r, "tags", base);
        d.programmes = table(r, "programmes", base);
        d.closing_m = number(r, "closing_m", d.closing_m, 0, 10000);
        d.assumed_years = static_cast<int>(number(r, "assumed_years", d.assumed_years, 0, 100));
        break;
    case derive_config::method::inside_areas:
        d.within = r.string("within", true);
        d.min_share = number(r, "min_share", d.min_share, 0, 1);
        d.start_year = static_cast<int>(number(r, "start_year", 0, 0, 9999));
        break;
    }
    r.finish();
    return d;
}

} // namespace kvarter::catalog
