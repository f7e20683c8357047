#pragma once
// Opening GDAL sources with errors captured instead of printed, and reading field values.

#include "core/value.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <optional>
#include <string>
#include <vector>

namespace kvarter::catalog {

// Registers GDAL's drivers once per process.
void register_gdal();

// While alive, GDAL's messages are kept (CPLGetLastErrorMsg) rather than printed to stderr.
class quiet_gdal_errors {
public:
    quiet_gdal_errors() {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
    }
    ~quiet_gdal_errors() { CPLPopErrorHandler(); }
    quiet_gdal_errors(const quiet_gdal_errors&) = delete;
    quiet_gdal_errors& operator=(const quiet_gdal_errors&) = delete;
    static std::string last_message();
};

// Opens a vector source read-only; returns null (with the reason in `why`) on failure.
GDALDatasetUniquePtr open_vector(const std::string& source, std::string& why);
// The named layer, or the first when name is empty; null if absent.
OGRLayer* pick_layer(GDALDataset& ds, const std::string& name);
std::string layer_names(GDALDataset& ds);
std::string field_names(OGRFeatureDefn& defn);
// The index of the field `name`, which the config requires: config_error naming the file and
// key ("no WHAT \"name\" in \"SOURCE\"; it has …") when the source has none.
int required_field(OGRFeatureDefn& defn, const std::string& name, const char* what, const std::string& source,
                   const std::string& config_file, const std::string& key);

// A small table read whole as text (the CSV files derivations read). Row i is line i + 2 of a
// CSV file: line 1 is the header.
struct text_table {
    std::string source;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::optional<std::size_t> column(const std::string& name) const;
    std::size_t line_of(std::size_t row) const noexcept { return row + 2; }
};
// Null (with the reason in `why`) when GDAL cannot open it.
std::optional<text_table> read_text_table(const std::string& source, std::string& why);

value_type type_of(const OGRFieldDefn& field);
value read_value(const OGRFeature& f, int index, value_type type);
// The value as text; empty when null.
std::string text_of(const value& v);

} // namespace kvarter::catalog
