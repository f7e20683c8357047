#include "catalog/gdal_source.hpp"

#include "core/error.hpp"

#include <filesystem>

#include <charconv>
#include <mutex>

namespace kvarter::catalog {

void register_gdal() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

std::string quiet_gdal_errors::last_message() {
    const char* msg = CPLGetLastErrorMsg();
    return msg && *msg ? msg : "no reason given";
}

GDALDatasetUniquePtr open_vector(const std::string& source, std::string& why) {
    register_gdal();
    quiet_gdal_errors quiet;
    GDALDatasetUniquePtr ds{GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY)};
    if (!ds) {
        // GDAL says nothing of a file that is not there; a connection string ("PG:…") is no file.
        const bool looks_like_file = source.find(':') == std::string::npos;
        why = looks_like_file && !std::filesystem::exists(source) ? "no such file" : quiet_gdal_errors::last_message();
    }
    return ds;
}

std::optional<std::size_t> text_table::column(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return i;
    return std::nullopt;
}

std::optional<text_table> read_text_table(const std::string& source, std::string& why) {
    auto ds = open_vector(source, why);
    if (!ds) return std::nullopt;
    OGRLayer* layer = pick_layer(*ds, "");
    if (!layer) {
        why = "it holds no table";
        return std::nullopt;
    }
    text_table t;
    t.source = source;
    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    for (int i = 0; i < defn.GetFieldCount(); ++i) t.columns.emplace_back(defn.GetFieldDefn(i)->GetNameRef());
    for (auto& f : *layer) {
        auto& row = t.rows.emplace_back();
        for (int i = 0; i < defn.GetFieldCount(); ++i)
            row.emplace_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
    }
    return t;
}

OGRLayer* pick_layer(GDALDataset& ds, const std::string& name) {
    if (name.empty()) return ds.GetLayerCount() > 0 ? ds.GetLayer(0) : nullptr;
    return ds.GetLayerByName(name.c_str());
}

std::string layer_names(GDALDataset& ds) {
    std::string out;
    for (int i = 0; i < ds.GetLayerCount(); ++i) out += (i ? ", " : "") + std::string{ds.GetLayer(i)->GetName()};
    return out.empty() ? "(none)" : out;
}

std::string field_names(OGRFeatureDefn& defn) {
    std::string out;
    for (int i = 0; i < defn.GetFieldCount(); ++i) out += (i ? ", " : "") + std::string{defn.GetFieldDefn(i)->GetNameRef()};
    return out.empty() ? "(none)" : out;
}

int required_field(OGRFeatureDefn& defn, const std::string& name, const char* what, const std::string& source,
                   const std::string& config_file, const std::string& key) {
    const int index = defn.GetFieldIndex(name.c_str());
    if (index < 0)
        throw config_error{config_file, key,
                           std::string{"no "} + what + " \"" + name + "\" in \"" + source + "\"; it has " + field_names(defn)};
    return index;
}

value_type type_of(const OGRFieldDefn& field) {
    switch (field.GetType()) {
    case OFTInteger:
        return field.GetSubType() == OFSTBoolean ? value_type::boolean : value_type::integer;
    case OFTInteger64: return value_type::integer;
    case OFTReal: return value_type::real;
    default: return value_type::string;
    }
}

value read_value(const OGRFeature& f, int index, value_type type) {
    if (!f.IsFieldSetAndNotNull(index)) return {};
    switch (type) {
    case value_type::boolean: return f.GetFieldAsInteger(index) != 0;
    case value_type::integer: return static_cast<std::int64_t>(f.GetFieldAsInteger64(index));
    case value_type::real: return f.GetFieldAsDouble(index);
    case value_type::string: return std::string{f.GetFieldAsString(index)};
    }
    return {};
}

std::string text_of(const value& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) return {};
            else if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
            else if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(x);
            else if constexpr (std::is_same_v<T, double>) {
                char buf[32];
                auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
                return std::string(buf, end);
            } else return x;
        },
        v);
}

} // namespace kvarter::catalog
